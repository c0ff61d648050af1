import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { SessionData, Store } from 'express-session';
import { LessThan, Repository } from 'typeorm';
import { asDate, sqlRow } from '../../database/sql';
import { UnitOfWork } from '../../database/unit-of-work';
import { SessionRecord } from '../entities/session.entity';
import { endSessionsOf, SessionEndReason } from './ended-sessions';

export const IDLE_TIMEOUT_MS = 30 * 60 * 1000;
export const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60 * 1000;
const PRUNE_EVERY_MS = 10 * 60 * 1000;
/** A touch moves the expiry only when it has drifted this far, so reads do not each cost a write. */
const TOUCH_AFTER_MS = 60 * 1000;

type Callback = (err?: unknown, value?: SessionData | null) => void;

/** A session by its id (the benchmark's bare Today server reads it with the same statement). */
export const SESSION_SQL = 'SELECT data, "expiresAt" FROM session WHERE sid = ?';

/** express-session's store, in our own database so every app process shares the sessions. */
@Injectable()
export class DatabaseSessionStore extends Store implements OnModuleInit, OnModuleDestroy {
  private pruneTimer?: NodeJS.Timeout;
  /**
   * The expiry each session had in the database when this process last read or wrote it, so that a
   * touch that would not move the expiry by TOUCH_AFTER_MS costs no write. Only a shortcut: the
   * database stays the one truth (the stored expiry only ever moves forward, so a value known here
   * is never later than the stored one, and a skipped touch is one the database would have ignored).
   */
  private readonly knownExpiry = new Map<string, number>();

  constructor(
    @InjectRepository(SessionRecord) private readonly sessions: Repository<SessionRecord>,
    private readonly unitOfWork: UnitOfWork,
  ) {
    super();
  }

  onModuleInit(): void {
    this.pruneTimer = setInterval(() => void this.prune().catch(() => undefined), PRUNE_EVERY_MS);
    this.pruneTimer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.pruneTimer);
  }

  override get(sid: string, callback: Callback): void {
    sqlRow<{ data: string; expiresAt: Date | string }>(this.sessions.manager, SESSION_SQL, [sid])
      .then((row) => {
        const expiresAt = row ? asDate(row.expiresAt).getTime() : 0;
        const live = row !== undefined && expiresAt > Date.now();
        if (live) this.remember(sid, expiresAt);
        callback(null, live ? (JSON.parse(row.data) as SessionData) : null);
      })
      .catch((err) => callback(err));
  }

  override set(sid: string, session: SessionData, callback?: (err?: unknown) => void): void {
    const record = { sid, data: JSON.stringify(session), expiresAt: this.expiry(session), userId: session.userId ?? null };
    this.remember(sid, record.expiresAt.getTime());
    this.unitOfWork
      .transaction((manager) => manager.upsert(SessionRecord, record, ['sid']))
      .then(() => callback?.())
      .catch((err) => callback?.(err));
  }

  override touch(sid: string, session: SessionData, callback?: (err?: unknown) => void): void {
    const expiresAt = this.expiry(session);
    const known = this.knownExpiry.get(sid);
    if (known !== undefined && expiresAt.getTime() - known < TOUCH_AFTER_MS) {
      callback?.();
      return;
    }
    this.remember(sid, expiresAt.getTime());
    this.unitOfWork
      .transaction((manager) =>
        manager.update(SessionRecord, { sid, expiresAt: LessThan(new Date(expiresAt.getTime() - TOUCH_AFTER_MS)) }, { expiresAt }),
      )
      .then(() => callback?.())
      .catch((err) => callback?.(err));
  }

  override destroy(sid: string, callback?: (err?: unknown) => void): void {
    this.knownExpiry.delete(sid);
    this.unitOfWork
      .transaction((manager) => manager.delete(SessionRecord, { sid }))
      .then(() => callback?.())
      .catch((err) => callback?.(err));
  }

  /** Ends every session of a user but the one given, each telling its device why when it comes back. */
  async endForUser(userId: string, reason: SessionEndReason, exceptSid?: string): Promise<void> {
    await this.unitOfWork.transaction((manager) => endSessionsOf(manager, userId, reason, exceptSid));
  }

  async prune(now = new Date()): Promise<number> {
    const result = await this.unitOfWork.transaction((manager) => manager.delete(SessionRecord, { expiresAt: LessThan(now) }));
    return result.affected ?? 0;
  }

  private remember(sid: string, expiresAt: number): void {
    if (this.knownExpiry.size >= 10_000) this.knownExpiry.clear();
    this.knownExpiry.set(sid, Math.max(expiresAt, this.knownExpiry.get(sid) ?? 0));
  }

  private expiry(session: SessionData): Date {
    const cookieExpiry = session.cookie?.expires ? new Date(session.cookie.expires) : undefined;
    // A PIN session on a ward tablet says its own, shorter idle limit (5 minutes).
    const idle = typeof session.idleTimeoutMs === 'number' && session.idleTimeoutMs > 0 ? Math.min(session.idleTimeoutMs, IDLE_TIMEOUT_MS) : IDLE_TIMEOUT_MS;
    return cookieExpiry && !Number.isNaN(cookieExpiry.getTime()) ? cookieExpiry : new Date(Date.now() + idle);
  }
}
