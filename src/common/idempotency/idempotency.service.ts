import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager, LessThan } from 'typeorm';
import { ValidationError } from '../errors/domain-errors';
import { sqlRow, sqlRun } from '../../database/sql';
import { UnitOfWork } from '../../database/unit-of-work';
import { isUniqueViolation } from '../../database/unique-violation';
import { IdempotencyKey } from './idempotency-key.entity';

const KEY_PATTERN = /^[A-Za-z0-9_.:-]{8,100}$/;
/** How long a key is remembered; a tablet syncing after a long day offline is well within it. */
export const IDEMPOTENCY_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export interface IdempotentResult<T> {
  body: T;
  replayed: boolean;
}

/**
 * Checks, inside the transaction, that the user may still make the request; throws the domain error a
 * fresh request would meet (NotFoundError, ForbiddenError). What it resolves to (the record it read
 * to decide) is handed to the work, which need not read it again.
 */
export type AccessCheck<A = unknown> = (manager: EntityManager) => Promise<A>;

/**
 * Writes sent with an Idempotency-Key happen once. The key row, the write and the stored answer are
 * one transaction: a replay (to any app process) finds the row and gets the first answer back; the
 * same key with a different request is refused. A stored answer is only given to a user who may
 * still make the request: access can be lost between the two (a volunteer's offer declined, a home
 * taken away), and the answer holds what the first request could read.
 */
@Injectable()
export class IdempotencyService {
  constructor(private readonly unitOfWork: UnitOfWork) {}

  async run<T, A>(userId: string, key: string, request: unknown, access: AccessCheck<A>, work: (manager: EntityManager, allowed: A) => Promise<T>): Promise<IdempotentResult<T>> {
    if (!KEY_PATTERN.test(key)) throw new ValidationError({ 'Idempotency-Key': { key: 'idempotency.badKey' } });
    const id = `${userId}:${key}`;
    const requestHash = createHash('sha256').update(JSON.stringify(request)).digest('hex');
    try {
      return await this.attempt(id, userId, requestHash, access, work);
    } catch (error) {
      // Two identical requests raced on PostgreSQL: the loser now finds the winner's answer.
      if (isUniqueViolation(error)) return this.attempt(id, userId, requestHash, access, work);
      throw error;
    }
  }

  /**
   * Deletes keys older than IDEMPOTENCY_TTL_MS (run daily by src/retention): their stored answers
   * hold staff and family notes, kept no longer than a replay needs. Returns how many went.
   */
  async prune(now = new Date()): Promise<number> {
    const result = await this.unitOfWork.transaction((m) => m.delete(IdempotencyKey, { createdAt: LessThan(new Date(now.getTime() - IDEMPOTENCY_TTL_MS)) }));
    return result.affected ?? 0;
  }

  private attempt<T, A>(id: string, userId: string, requestHash: string, access: AccessCheck<A>, work: (manager: EntityManager, allowed: A) => Promise<T>): Promise<IdempotentResult<T>> {
    return this.unitOfWork.transaction(async (m) => {
      // Before the stored answer is even read, so a replay is refused exactly as a fresh request is.
      const allowed = await access(m);
      const existing = await sqlRow<Pick<IdempotencyKey, 'requestHash' | 'responseBody'>>(m, 'SELECT "requestHash", "responseBody" FROM idempotency_key WHERE id = ?', [id]);
      if (existing) {
        if (existing.requestHash !== requestHash) throw new ValidationError({ 'Idempotency-Key': { key: 'idempotency.reused' } });
        return { body: JSON.parse(existing.responseBody ?? 'null') as T, replayed: true };
      }
      const body = await work(m, allowed);
      // Written with the answer, in the same transaction as the work. On PostgreSQL a twin request
      // racing this one fails here on the primary key, rolls its work back and replays this answer.
      await sqlRun(
        m,
        'INSERT INTO idempotency_key (id, "userId", "requestHash", "statusCode", "responseBody", "createdAt") VALUES (?, ?, ?, ?, ?, ?)',
        [id, userId, requestHash, 200, JSON.stringify(body), new Date()],
      );
      return { body, replayed: false };
    });
  }
}
