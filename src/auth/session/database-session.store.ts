import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, Repository } from 'typeorm';
import { asDate, sqlRow } from '../../database/sql';
import { UnitOfWork } from '../../database/unit-of-work';
import { SessionRecord } from '../entities/session.entity';
import { endSessionsOf, SessionEndReason } from './ended-sessions';
import type { SessionData } from './session-data';

export const IDLE_TIMEOUT_MS = 30 * 60 * 1000;
export const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60 * 1000;
const PRUNE_EVERY_MS = 10 * 60 * 1000;
/** A touch moves the expiry only when it has drifted this far, so reads do not each cost a write. */
const TOUCH_AFTER_MS = 60 * 1000;

/** A session by its id (the benchmark's bare Today server reads it with the same statement). */
export const SESSION_SQL = 'SELECT data, "expiresAt" FROM session WHERE sid = ?';

/** A stored session: its data, and the JSON it was stored as (to tell whether a request changed it). */
export interface StoredSession {
  data: SessionData;
  json: string;
}

/** The sessions, in our own database so every app process shares them (the session middleware reads and writes them here). */
@Injectable()
export class DatabaseSessionStore implements OnModuleInit, OnModuleDestroy {
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
  ) {}

  onModuleInit(): void {
    this.pruneTimer = setInterval(() => void this.prune().catch(() => undefined), PRUNE_EVERY_MS);
    this.pruneTimer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.pruneTimer);
  }

  /** The session, if stored and not expired. */
  async load(sid: string): Promise<StoredSession | undefined> {
    const row = await sqlRow<{ data: string; expiresAt: Date | string }>(this.sessions.manager, SESSION_SQL, [sid]);
    if (!row) return undefined;
    const expiresAt = asDate(row.expiresAt).getTime();
    if (expiresAt <= Date.now()) return undefined;
    this.remember(sid, expiresAt);
    const data = JSON.parse(row.data) as SessionData & { cookie?: unknown };
    // Sessions express-session stored carry its Cookie object, which nothing reads: dropped, so the
    // request stores the session again without it (the JSON no longer matches).
    if (data.cookie !== undefined) delete data.cookie;
    return { data, json: row.data };
  }

  /** Stores the session's data (`json`, as JSON.stringify wrote it), its idle expiry counted from now. */
  async save(sid: string, data: SessionData, json: string): Promise<void> {
    const record = { sid, data: json, expiresAt: this.expiry(data), userId: data.userId ?? null };
    this.remember(sid, record.expiresAt.getTime());
    await this.unitOfWork.transaction((manager) => manager.upsert(SessionRecord, record, ['sid']));
  }

  /**
   * Moves a session's idle expiry on; undefined when that is not worth a write yet (it moved less than
   * TOUCH_AFTER_MS since this process last knew it), so most requests write nothing.
   */
  touch(sid: string, data: SessionData): Promise<void> | undefined {
    const expiresAt = this.expiry(data);
    const known = this.knownExpiry.get(sid);
    if (known !== undefined && expiresAt.getTime() - known < TOUCH_AFTER_MS) return undefined;
    this.remember(sid, expiresAt.getTime());
    return this.unitOfWork
      .transaction((manager) =>
        manager.update(SessionRecord, { sid, expiresAt: LessThan(new Date(expiresAt.getTime() - TOUCH_AFTER_MS)) }, { expiresAt }),
      )
      .then(() => undefined);
  }

  async destroy(sid: string): Promise<void> {
    this.knownExpiry.delete(sid);
    await this.unitOfWork.transaction((manager) => manager.delete(SessionRecord, { sid }));
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
    // A PIN session on a ward tablet says its own, shorter idle limit (5 minutes).
    const idle = typeof session.idleTimeoutMs === 'number' && session.idleTimeoutMs > 0 ? Math.min(session.idleTimeoutMs, IDLE_TIMEOUT_MS) : IDLE_TIMEOUT_MS;
    return new Date(Date.now() + idle);
  }
}
