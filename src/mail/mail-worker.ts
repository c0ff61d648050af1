import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { In, LessThan, LessThanOrEqual } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { UnitOfWork } from '../database/unit-of-work';
import { MailMessage } from './entities/mail-message.entity';
import { MAX_ATTEMPTS, retryDelayMs } from './mail-retry';
import { MAIL_TRANSPORT, MailTransport } from './mail-transport';

/** How often the worker looks for due mail. */
export const POLL_INTERVAL_MS = 5_000;
/** A claim not finished by then (the process died mid-send) is taken again by any worker. */
export const LEASE_MS = 5 * 60_000;
/** Mails claimed at once: a worker holds no more than it sends in one lease. */
const BATCH = 20;

export interface WorkerRun {
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
}

/**
 * Sends the outbox. Every process runs one; they share the work through the database: a mail is
 * claimed by a conditional UPDATE (status and due time, or an expired lease, in its WHERE), which
 * only one transaction can win on PostgreSQL (the loser re-reads the row after the winner commits
 * and no longer matches) and which runs alone on SQLite (the write queue, and SQLite's one writer
 * across processes). A mail is therefore sent once; only a process that dies between the SMTP
 * server's "accepted" and marking it sent leaves a claim that another worker takes after the lease,
 * and that mail is sent a second time (with the same Message-ID).
 */
@Injectable()
export class MailWorker implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(MailWorker.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<WorkerRun> | null = null;
  private stopped = false;

  constructor(
    @Inject(MAIL_TRANSPORT) private readonly transport: MailTransport | null,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  onModuleInit(): void {
    if (!this.transport) return;
    this.timer = setInterval(() => void this.tick(), POLL_INTERVAL_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    // A send in progress finishes and is marked, rather than leaving a claim for the lease to expire.
    if (this.running) await this.running.catch(() => undefined);
    this.transport?.close();
  }

  /** One pass, unless one is already running in this process. Errors are logged, never thrown into the timer. */
  private async tick(): Promise<void> {
    if (this.running || this.stopped) return;
    try {
      await this.processDue();
    } catch (error) {
      this.logger.warn(`Mail worker: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /**
   * Claims the mail due at `now` and sends it, one mail after another. `now` is a parameter so the
   * retry schedule can be walked without waiting for it.
   */
  processDue(now = new Date()): Promise<WorkerRun> {
    const run = this.sendDue(now).finally(() => {
      if (this.running === run) this.running = null;
    });
    this.running = run;
    return run;
  }

  private async sendDue(now: Date): Promise<WorkerRun> {
    const result: WorkerRun = { claimed: 0, sent: 0, retried: 0, failed: 0 };
    if (!this.transport) return result;
    const claimed = await this.claim(now);
    result.claimed = claimed.length;
    for (const [index, mail] of claimed.entries()) {
      if (this.stopped) {
        await this.release(claimed.slice(index));
        break;
      }
      try {
        await this.transport.send({
          from: this.config.mail.from, to: mail.toAddress, subject: mail.subject, text: mail.textBody, html: mail.htmlBody,
          messageId: `<${mail.id}@${senderDomain(this.config.mail.from)}>`,
        });
      } catch (error) {
        const failed = await this.markTried(mail, now, error);
        if (failed) result.failed++;
        else result.retried++;
        continue;
      }
      await this.unitOfWork.transaction((m) =>
        m.update(MailMessage, { id: mail.id, claimToken: mail.claimToken }, { status: 'sent', sentAt: new Date(), claimToken: null, claimedUntil: null, lastError: null }),
      );
      result.sent++;
    }
    return result;
  }

  /** Takes the due mail for this worker: waiting and due, or claimed by a worker whose lease has run out. */
  private claim(now: Date): Promise<MailMessage[]> {
    const token = randomUUID();
    return this.unitOfWork.transaction(async (m) => {
      const due = await m.find(MailMessage, {
        select: { id: true },
        where: [{ status: 'waiting', nextAttemptAt: LessThanOrEqual(now) }, { status: 'sending', claimedUntil: LessThan(now) }],
        order: { nextAttemptAt: 'ASC' },
        take: BATCH,
      });
      if (due.length === 0) return [];
      const ids = In(due.map((row) => row.id));
      const claim = { status: 'sending' as const, claimToken: token, claimedUntil: new Date(now.getTime() + LEASE_MS), attempts: () => 'attempts + 1' };
      await m.update(MailMessage, { id: ids, status: 'waiting', nextAttemptAt: LessThanOrEqual(now) }, claim);
      await m.update(MailMessage, { id: ids, status: 'sending', claimedUntil: LessThan(now) }, claim);
      return m.find(MailMessage, { where: { claimToken: token }, order: { nextAttemptAt: 'ASC' } });
    });
  }

  /** Hands back claims this process will not send (it is stopping), without counting a try. */
  private async release(mails: MailMessage[]): Promise<void> {
    await this.unitOfWork.transaction(async (m) => {
      for (const mail of mails) {
        await m.update(MailMessage, { id: mail.id, claimToken: mail.claimToken }, { status: 'waiting', claimToken: null, claimedUntil: null, attempts: mail.attempts - 1 });
      }
    });
  }

  /** After a refused try: wait and try again, or after the last try mark the mail failed. True when failed. */
  private async markTried(mail: MailMessage, now: Date, error: unknown): Promise<boolean> {
    const failed = mail.attempts >= MAX_ATTEMPTS;
    const lastError = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').slice(0, 500);
    await this.unitOfWork.transaction((m) =>
      m.update(MailMessage, { id: mail.id, claimToken: mail.claimToken }, {
        status: failed ? 'failed' : 'waiting', lastError, claimToken: null, claimedUntil: null,
        nextAttemptAt: new Date(now.getTime() + retryDelayMs(mail.attempts)),
      }),
    );
    if (failed) this.logger.warn(`Mail ${mail.id} failed after ${mail.attempts} tries: ${lastError}`);
    return failed;
  }
}

/** The domain of MAIL_FROM's address, for Message-IDs. */
function senderDomain(from: string): string {
  return /@([^\s<>@]+)>?\s*$/.exec(from)?.[1] ?? 'localhost';
}
