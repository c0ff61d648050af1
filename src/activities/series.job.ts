import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { LeasedDailyJob } from '../jobs/leased-daily-job';
import { LeaseService } from '../jobs/lease.service';
import { SeriesService } from './series.service';

/**
 * Keeps every series' occurrences 12 weeks ahead: once a day across all app processes (the
 * `activity-series` lease), and shortly after start. Idempotent (SeriesService.materialise), so a
 * second run, or a run after an edit that already materialised, adds nothing. Off under
 * NODE_ENV=test unless a test runs it.
 */
@Injectable()
export class SeriesJob implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SeriesJob.name);
  readonly job: LeasedDailyJob<number>;

  constructor(
    private readonly series: SeriesService,
    lease: LeaseService,
    scheduler: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.job = new LeasedDailyJob('activity-series', lease, scheduler, this.logger, (now) => this.extend(now));
  }

  onApplicationBootstrap(): void {
    if (this.config.nodeEnv !== 'test') this.job.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.job.stop();
  }

  /** One run, if this process takes the lease; null when another run holds it (today's ran). */
  runOnce(now = new Date()): Promise<number | null> {
    return this.job.runOnce(now);
  }

  /** Materialises what is due at `now`, without the lease; answers how many occurrences it created. */
  async extend(now = new Date()): Promise<number> {
    const created = await this.series.extendAll(now);
    this.logger.log(`Series: ${created} occurrences added (12 weeks ahead)`);
    return created;
  }
}
