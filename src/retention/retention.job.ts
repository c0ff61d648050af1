import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { LoginThrottle } from '../auth/login-throttle';
import { DatabaseSessionStore } from '../auth/session/database-session.store';
import { IdempotencyService } from '../common/idempotency/idempotency.service';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { LeasedDailyJob } from '../jobs/leased-daily-job';
import { LeaseService } from '../jobs/lease.service';
import { MailService } from '../mail/mail.service';

const DAY_MS = 24 * 60 * 60_000;
/** Sign-in attempts (and password-reset requests) are kept 30 days: enough to look into an attack. */
export const LOGIN_ATTEMPTS_KEPT_MS = 30 * DAY_MS;
/** Sent mail is kept 90 days, for admins answering "did the mail go out?"; failed mail stays. */
export const SENT_MAIL_KEPT_MS = 90 * DAY_MS;

/** What one run deleted. */
export interface RetentionRun {
  idempotencyKeys: number;
  sessions: number;
  loginAttempts: number;
  sentMail: number;
}

/**
 * Deletes technical records past their retention period (docs/data-protection.md, "Retention
 * periods"), once a day across all app processes (the `retention` lease), and shortly after start.
 * Each owning module deletes its own rows; this only calls them and logs the counts. Off under
 * NODE_ENV=test unless a test starts it.
 */
@Injectable()
export class RetentionJob implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RetentionJob.name);
  readonly job: LeasedDailyJob<RetentionRun>;

  constructor(
    private readonly idempotency: IdempotencyService,
    private readonly sessions: DatabaseSessionStore,
    private readonly loginThrottle: LoginThrottle,
    private readonly mail: MailService,
    lease: LeaseService,
    scheduler: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.job = new LeasedDailyJob('retention', lease, scheduler, this.logger, (now) => this.prune(now));
  }

  onApplicationBootstrap(): void {
    if (this.config.nodeEnv !== 'test') this.job.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.job.stop();
  }

  /** One run, if this process takes the lease; null when another process has it (ran today). */
  runOnce(now = new Date()): Promise<RetentionRun | null> {
    return this.job.runOnce(now);
  }

  /** Deletes what is past its period at `now`, without the lease (runOnce takes it). */
  async prune(now = new Date()): Promise<RetentionRun> {
    const run: RetentionRun = {
      idempotencyKeys: await this.idempotency.prune(now),
      sessions: await this.sessions.prune(now),
      loginAttempts: await this.loginThrottle.prune(new Date(now.getTime() - LOGIN_ATTEMPTS_KEPT_MS)),
      sentMail: await this.mail.pruneSent(new Date(now.getTime() - SENT_MAIL_KEPT_MS)),
    };
    this.logger.log(
      `Retention: deleted ${run.idempotencyKeys} idempotency keys (over 7 days), ${run.sessions} expired sessions, ` +
        `${run.loginAttempts} sign-in attempts (over 30 days), ${run.sentMail} sent mails (over 90 days)`,
    );
    return run;
  }
}
