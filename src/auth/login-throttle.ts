import { Injectable } from '@nestjs/common';
import { EntityManager, LessThan } from 'typeorm';
import { likeEscaped, sqlRow, sqlRun } from '../database/sql';
import { UnitOfWork } from '../database/unit-of-work';
import { LoginAttempt } from './entities/login-attempt.entity';
import { LoginThrottleCounter } from './entities/login-throttle-counter.entity';

export const THROTTLE_WINDOW_MS = 15 * 60 * 1000;
/** Wrong passwords one client address may try for one account before each further try waits. */
export const FREE_FAILURES_PER_PAIR = 5;
/** …and while the account is under attack from many addresses (see ACCOUNT_UNDER_ATTACK). */
export const FREE_FAILURES_UNDER_ATTACK = 1;
/** Failures for one account in the window, from all addresses together, that mean it is under attack. */
export const ACCOUNT_UNDER_ATTACK = 10;
/** Wrong passwords one client address may try in the window, over all accounts. */
export const MAX_FAILURES_PER_IP = 30;
/** The first wait once a pair has used its free failures; each further failure doubles it, up to MAX_DELAY_MS. */
export const FIRST_DELAY_MS = 60 * 1000;
export const MAX_DELAY_MS = 60 * 60 * 1000;
/** A pair that has not failed for this long starts again with its free failures. */
export const PAIR_MEMORY_MS = 24 * 60 * 60 * 1000;

type Scope = LoginThrottleCounter['scope'];
interface Counter {
  failures: number;
  windowStart: number;
  lastAt: number;
  blockedUntil: number;
}

/**
 * Throttles password checks (sign-in, and the current password on the account page) in the database,
 * so every app process sees the same counts. A check is reserved before argon2 runs, as a failure, in
 * one unit of work that first locks the three counter rows it reads (pair, address, account, always in
 * that order, so two reservations cannot deadlock) with an upsert: on PostgreSQL a concurrent
 * reservation of the same row waits for the first to commit and then sees its count; on SQLite the
 * write queue runs units one at a time. A check that turns out right gives its reservation back.
 *
 * The limits are per (account, client address) pair, with a wait that doubles after each failure
 * past the free ones, and per client address; never on the account alone, so failures from elsewhere
 * cannot lock its owner out. An account under attack from many addresses leaves each address fewer
 * free failures. Unknown emails are counted like known ones, so throttling does not tell which
 * accounts exist.
 */
@Injectable()
export class LoginThrottle {
  constructor(private readonly unitOfWork: UnitOfWork) {}

  /**
   * Reserves one password check for this account from this address, counted as a failure until
   * `succeeded` gives it back. Resolves 0 when reserved, or the seconds to wait (nothing reserved).
   */
  async reserve(email: string, ip: string, now = new Date()): Promise<number> {
    const at = now.getTime();
    return this.unitOfWork.transaction(async (m) => {
      const pair = await this.lock(m, 'pair', pairKey(email, ip), at);
      const byIp = await this.lock(m, 'ip', ip, at);
      const account = await this.lock(m, 'account', email, at);

      const pairFailures = pair.lastAt < at - PAIR_MEMORY_MS ? 0 : pair.failures;
      const ipFailures = inWindow(byIp, at) ? byIp.failures : 0;
      const accountFailures = inWindow(account, at) ? account.failures : 0;
      const waitUntil = Math.max(
        pairFailures > 0 ? pair.blockedUntil : 0,
        ipFailures >= MAX_FAILURES_PER_IP ? byIp.windowStart + THROTTLE_WINDOW_MS : 0,
      );
      if (waitUntil > at) return Math.max(1, Math.ceil((waitUntil - at) / 1000));

      const failures = pairFailures + 1;
      const free = accountFailures >= ACCOUNT_UNDER_ATTACK ? FREE_FAILURES_UNDER_ATTACK : FREE_FAILURES_PER_PAIR;
      const blockedUntil = failures >= free ? at + delayAfter(failures - free) : 0;
      await this.save(m, 'pair', pairKey(email, ip), { failures, windowStart: at, lastAt: at, blockedUntil });
      await this.save(m, 'ip', ip, countOne(byIp, at));
      await this.save(m, 'account', email, countOne(account, at));
      return 0;
    });
  }

  /**
   * The reserved check was right: it was no failure, and the pair starts afresh. Its earlier failures
   * were the owner's own mistypes, so they no longer count towards the account being under attack;
   * the address keeps them (one address may serve many people).
   */
  async succeeded(email: string, ip: string): Promise<void> {
    await this.unitOfWork.transaction(async (m) => {
      const pair = await m.findOneBy(LoginThrottleCounter, { scope: 'pair', key: pairKey(email, ip) });
      await m.delete(LoginThrottleCounter, { scope: 'pair', key: pairKey(email, ip) });
      const forgiven = Math.max(1, Number(pair?.failures ?? 1));
      for (const [scope, key, n] of [['ip', ip, 1], ['account', email, forgiven]] as const) {
        await sqlRun(m, `UPDATE login_throttle SET failures = CASE WHEN failures > ? THEN failures - ? ELSE 0 END WHERE scope = ? AND "key" = ?`, [n, n, scope, key]);
      }
    });
  }

  /**
   * Counts one use of an action limited per window (asking for a password-reset mail), in the
   * caller's unit of work, when every limit allows it; the rows are locked as in `reserve`, in the
   * order given. Resolves 0 when counted, or the seconds to wait (nothing counted).
   */
  async countWithin(m: EntityManager, limits: { scope: 'reset_mail' | 'reset_ip'; key: string; max: number }[], windowMs: number, now = new Date()): Promise<number> {
    const at = now.getTime();
    const counters: Counter[] = [];
    for (const limit of limits) counters.push(await this.lock(m, limit.scope, limit.key, at));
    const waitUntil = Math.max(0, ...limits.map((limit, i) => (inWindow(counters[i], at, windowMs) && counters[i].failures >= limit.max ? counters[i].windowStart + windowMs : 0)));
    if (waitUntil > at) return Math.max(1, Math.ceil((waitUntil - at) / 1000));
    for (const [i, limit] of limits.entries()) await this.save(m, limit.scope, limit.key, countOne(counters[i], at, windowMs));
    return 0;
  }

  /** Forgets every pair of an account and its count (its password was reset by mail), inside the caller's transaction. */
  async clearAccount(m: EntityManager, email: string): Promise<void> {
    await sqlRun(m, `DELETE FROM login_throttle WHERE (scope = 'pair' AND "key" LIKE ? ESCAPE '\\') OR (scope = 'account' AND "key" = ?)`, [`${likeEscaped(email)} %`, email]);
  }

  /** Deletes counters and attempt rows last touched before `before`; how many went. For the retention job. */
  async prune(before: Date): Promise<number> {
    return this.unitOfWork.transaction(async (m) => {
      const counters = await m.delete(LoginThrottleCounter, { lastAt: LessThan(before.getTime()) });
      const attempts = await m.delete(LoginAttempt, { at: LessThan(before) });
      return (counters.affected ?? 0) + (attempts.affected ?? 0);
    });
  }

  /**
   * The counter's row, created empty when missing, locked until the unit of work ends: ON CONFLICT DO
   * UPDATE locks the row it updates, and returns it as last committed, not as this transaction's
   * snapshot saw it.
   */
  private async lock(m: EntityManager, scope: Scope, key: string, at: number): Promise<Counter> {
    const row = await sqlRow<Record<keyof Counter, number | string>>(
      m,
      `INSERT INTO login_throttle (scope, "key", failures, "windowStart", "lastAt", "blockedUntil") VALUES (?, ?, 0, ?, ?, 0)
       ON CONFLICT (scope, "key") DO UPDATE SET failures = login_throttle.failures
       RETURNING failures, "windowStart", "lastAt", "blockedUntil"`,
      [scope, key, at, at],
    );
    if (!row) throw new Error('login_throttle upsert returned no row');
    return { failures: Number(row.failures), windowStart: Number(row.windowStart), lastAt: Number(row.lastAt), blockedUntil: Number(row.blockedUntil) };
  }

  private async save(m: EntityManager, scope: Scope, key: string, counter: Counter): Promise<void> {
    await m.update(LoginThrottleCounter, { scope, key }, counter);
  }
}

/** One key per (account, address); the email first, so an account's pairs share a prefix. */
function pairKey(email: string, ip: string): string {
  return `${email} ${ip}`;
}

function inWindow(counter: Counter, at: number, windowMs = THROTTLE_WINDOW_MS): boolean {
  return counter.windowStart > at - windowMs;
}

/** A windowed counter with one more failure: a window that has ended starts again from now. */
function countOne(counter: Counter, at: number, windowMs = THROTTLE_WINDOW_MS): Counter {
  return inWindow(counter, at, windowMs)
    ? { ...counter, failures: counter.failures + 1, lastAt: at }
    : { failures: 1, windowStart: at, lastAt: at, blockedUntil: 0 };
}

/** The wait after the n-th failure past the free ones (n from 0): 1, 2, 4… minutes, at most an hour. */
export function delayAfter(n: number): number {
  return Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.min(n, 20));
}

