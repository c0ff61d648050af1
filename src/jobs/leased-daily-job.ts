import { Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { LeaseService } from './lease.service';

/** Each process looks this often whether the job is due; the lease makes it run once a day. */
export const JOB_CHECK_EVERY_MS = 60 * 60_000;
/** The first look after start-up: soon, but after the app has settled. */
export const JOB_FIRST_CHECK_MS = 60_000;
/** A run holds the lease this long: no process runs the job again within the day. */
export const JOB_LEASE_MS = 23 * 60 * 60_000;

/**
 * A job that runs about once a day across every app process: each process checks shortly after its
 * start and then hourly, and only the one that takes the job's lease (`job_lease`, LeaseService)
 * runs it. A run that fails gives the lease back, so the next check (here or elsewhere) tries again.
 * Timers are registered with @nestjs/schedule's registry and unref'd; `stop()` clears them and waits
 * for a run in progress, for a clean shutdown.
 */
export class LeasedDailyJob<T> {
  private running: Promise<T | null> | null = null;
  private stopped = false;

  constructor(
    private readonly name: string,
    private readonly lease: LeaseService,
    private readonly scheduler: SchedulerRegistry,
    private readonly logger: Logger,
    private readonly work: (now: Date) => Promise<T>,
  ) {}

  /** Starts the checks in this process; idempotent. */
  start(firstCheckMs = JOB_FIRST_CHECK_MS, everyMs = JOB_CHECK_EVERY_MS): void {
    if (this.scheduler.doesExist('interval', this.name)) return;
    this.stopped = false;
    const first = setTimeout(() => void this.tick(), firstCheckMs);
    first.unref();
    this.scheduler.addTimeout(this.name, first);
    const timer = setInterval(() => void this.tick(), everyMs);
    timer.unref();
    this.scheduler.addInterval(this.name, timer);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.scheduler.doesExist('timeout', this.name)) this.scheduler.deleteTimeout(this.name);
    if (this.scheduler.doesExist('interval', this.name)) this.scheduler.deleteInterval(this.name);
    if (this.running) await this.running.catch(() => undefined);
  }

  /** One run when this process takes the lease; null when another holds it (or this one is already running). */
  runOnce(now = new Date()): Promise<T | null> {
    if (this.running) return Promise.resolve(null);
    const run = this.leased(now).finally(() => {
      if (this.running === run) this.running = null;
    });
    this.running = run;
    return run;
  }

  private async leased(now: Date): Promise<T | null> {
    if (!(await this.lease.acquire(this.name, JOB_LEASE_MS, now))) return null;
    try {
      return await this.work(now);
    } catch (error) {
      await this.lease.release(this.name).catch(() => undefined);
      throw error;
    }
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.runOnce();
    } catch (error) {
      this.logger.error(`${this.name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
