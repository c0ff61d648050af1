import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, MoreThanOrEqual, Repository } from 'typeorm';
import { UnitOfWork } from '../database/unit-of-work';
import { LoginAttempt } from './entities/login-attempt.entity';

export const THROTTLE_WINDOW_MS = 15 * 60 * 1000;
/** Failures allowed in the window for one email address, known or not, and for one client address. */
export const MAX_FAILURES_PER_EMAIL = 5;
export const MAX_FAILURES_PER_IP = 30;

/**
 * Counts failed sign-ins in the database, so every app process sees the same counts. Unknown emails
 * are counted like known ones, so throttling does not tell which accounts exist.
 */
@Injectable()
export class LoginThrottle {
  constructor(
    @InjectRepository(LoginAttempt) private readonly attempts: Repository<LoginAttempt>,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  /** Seconds to wait before trying again, or 0 when a sign-in may be tried now. */
  async retryAfterSeconds(email: string, ip: string, now = new Date()): Promise<number> {
    const since = new Date(now.getTime() - THROTTLE_WINDOW_MS);
    const [byEmail, byIp] = await Promise.all([this.recent('email', email, since), this.recent('ip', ip, since)]);
    const blocking = [
      byEmail.length >= MAX_FAILURES_PER_EMAIL ? byEmail[byEmail.length - MAX_FAILURES_PER_EMAIL] : undefined,
      byIp.length >= MAX_FAILURES_PER_IP ? byIp[byIp.length - MAX_FAILURES_PER_IP] : undefined,
    ].filter((at): at is Date => at !== undefined);
    if (blocking.length === 0) return 0;
    const until = Math.max(...blocking.map((at) => at.getTime() + THROTTLE_WINDOW_MS));
    return Math.max(1, Math.ceil((until - now.getTime()) / 1000));
  }

  async recordFailure(email: string, ip: string): Promise<void> {
    await this.unitOfWork.transaction(async (manager) => {
      const at = new Date();
      await manager.insert(LoginAttempt, [{ scope: 'email', key: email, at }, { scope: 'ip', key: ip, at }]);
      // Old attempts say nothing any more; clearing them here keeps the table small.
      await manager.delete(LoginAttempt, { at: LessThan(new Date(Date.now() - 2 * THROTTLE_WINDOW_MS)) });
    });
  }

  async clearEmail(email: string): Promise<void> {
    await this.unitOfWork.transaction((manager) => manager.delete(LoginAttempt, { scope: 'email', key: email }));
  }

  private async recent(scope: 'email' | 'ip', key: string, since: Date): Promise<Date[]> {
    const rows = await this.attempts.find({
      select: { at: true },
      where: { scope, key, at: MoreThanOrEqual(since) },
      order: { at: 'ASC' },
    });
    return rows.map((row) => row.at);
  }
}
