import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { LeasedDailyJob } from '../jobs/leased-daily-job';
import { LeaseService } from '../jobs/lease.service';
import { AuditService, describeCheck } from './audit.service';

/**
 * On start: re-keys a chain written before AUDIT_KEY (after verifying it). Then, daily and in one
 * process at a time, verifies the chain and writes its head to the log and the heads file, so
 * entries removed from the end of the table are missed at the next check. Off under NODE_ENV=test
 * unless a test starts it; re-keying runs everywhere.
 */
@Injectable()
export class AuditHeadJob implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(AuditHeadJob.name);
  readonly job: LeasedDailyJob<unknown>;

  constructor(
    private readonly audit: AuditService,
    lease: LeaseService,
    scheduler: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.job = new LeasedDailyJob('audit-head', lease, scheduler, this.logger, async (now) => {
      const written = await this.audit.writeHead(now);
      // Said loudly, every day, until someone looks: no head is written over a chain that fails.
      if (!written.check.ok) this.logger.error(`AUDIT CHAIN DOES NOT VERIFY; no head written: ${describeCheck(written.check)}`);
      else if (written.head) this.logger.log(`Audit chain head: entry ${written.head.seq} (id ${written.head.id}) hash ${written.head.hash}, ${written.check.entries} entries verified, written to ${this.audit.headsFile}`);
      return written;
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.audit.rekeyLegacyChain();
    if (this.config.nodeEnv !== 'test') this.job.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.job.stop();
  }
}
