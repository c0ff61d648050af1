import { Inject, Injectable } from '@nestjs/common';
import type { Database } from 'better-sqlite3';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { AppDataSources, DATA_SOURCES, isSqlite } from './data-source';
import { sqliteConnection } from './sqlite-connections';

/** At most this many queued units of work share one SQLite commit. */
export const MAX_GROUP = 64;
/**
 * A group's units run one after another without awaiting anything but the database, so the event
 * loop would serve nothing else until the group commits (64 saves of a ward's log: over half a
 * second). After this many milliseconds of units the group lets the loop turn once, so pages are
 * read in between (on the reader connection, which sees only what is committed). Measured with 32
 * tablets saving 20-resident logs beside a ward's Today (bench (b2), 4 December 2026): at 10 ms Today
 * kept 0.57 of its throughput alone and its p99 went 6.6x; at 4 ms 0.76 and 1.9x, the saves still
 * 146 a second (2,900 residents' entries); at 2 ms 0.90 and 1.0x, the saves down to 121 a second
 * with a p99 of 0.7 s. A home's tablets save a few logs a minute; its carers wait on pages.
 */
export const SLICE_MS = 4;

interface Waiting {
  work: (manager: EntityManager) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * Work that runs at the end of every unit of work, inside its transaction, after the unit's own
 * work: `settle` when the work succeeded (its writes then commit with the unit), `discard` when it
 * failed (its writes roll back). The summary tables' upkeep is one (SummaryUpkeep).
 */
export interface EndOfUnit {
  settle(manager: EntityManager): Promise<void>;
  discard(manager: EntityManager): void;
}

/**
 * Runs write transactions; `manager` is for reads outside them.
 *
 * PostgreSQL has a pool: each unit of work is a transaction of its own.
 *
 * SQLite: writes go through one connection, the writer, which only this class uses, so two
 * transactions started at once would nest ("cannot start a transaction within a transaction");
 * every unit of work therefore waits its turn in one in-process queue. Reads outside a unit run on
 * the read-only reader and see only what is committed. A unit's work awaits nothing but the
 * database (hash passwords, read files before it): the whole queue waits while it runs.
 *
 * Units that arrive in the same turn of the event loop, or while the previous group ran, are
 * committed together (group commit): one SQLite transaction, each unit inside a savepoint of its
 * own; between units, every SLICE_MS, the event loop turns once so reads are not held up. A unit that fails rolls back to its savepoint and rejects alone; the others go on. Nobody
 * hears "done" before the shared COMMIT (with synchronous=FULL, the fsync) has returned, so what is
 * acknowledged is on disk, and the units ran one after another exactly as if each had had its own
 * transaction.
 */
@Injectable()
export class UnitOfWork {
  private readonly waiting: Waiting[] = [];
  private draining = false;
  private readonly reader: DataSource;
  private readonly writer: DataSource;
  /** The writer's connection on SQLite (null on PostgreSQL, which needs no queue). */
  private readonly connection: Database | null;
  private readonly endOfUnit: EndOfUnit[] = [];
  /** The managers of the units running now (one at a time on SQLite, one per transaction on PostgreSQL). */
  private readonly running = new Set<EntityManager>();

  constructor(@Inject(DATA_SOURCES) { reader, writer }: AppDataSources) {
    this.reader = reader;
    this.writer = writer;
    this.connection = isSqlite(writer) ? sqliteConnection(writer) : null;
  }

  /** For reads outside a unit of work: on SQLite a write through it fails (read-only connection). */
  get manager(): EntityManager {
    return this.reader.manager;
  }

  /** Adds work that runs at the end of every unit (see EndOfUnit). */
  atEndOfUnit(hook: EndOfUnit): void {
    this.endOfUnit.push(hook);
  }

  /** Whether this manager is a unit of work's, with its work still running (so an end-of-unit hook will see it). */
  isInUnit(manager: EntityManager): boolean {
    return this.running.has(manager);
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (!this.connection) return this.writer.transaction((m) => this.unit(work, m));
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (this.draining) return;
      this.draining = true;
      // Better-sqlite3 answers synchronously, so a request can run from its first byte to here in
      // one turn of the event loop. Waiting for the turn to end lets every request that is already
      // in (read by the same poll) join this group instead of paying for a commit of its own.
      setImmediate(() => void this.drain());
    });
  }

  /** A unit's work, then the end-of-unit hooks, in its transaction (or savepoint). */
  private async unit<T>(work: (manager: EntityManager) => Promise<T>, m: EntityManager): Promise<T> {
    this.running.add(m);
    try {
      const value = await work(m);
      for (const hook of this.endOfUnit) await hook.settle(m);
      return value;
    } catch (error) {
      for (const hook of this.endOfUnit) hook.discard(m);
      throw error;
    } finally {
      this.running.delete(m);
    }
  }

  private async drain(): Promise<void> {
    try {
      while (this.waiting.length > 0) await this.commitGroup(this.waiting.splice(0, MAX_GROUP));
    } finally {
      this.draining = false;
    }
  }

  private async commitGroup(group: Waiting[]): Promise<void> {
    // The SQLite driver hands out its one shared runner; it is never released.
    const runner = this.writer.createQueryRunner();
    const outcomes: Outcome[] = [];
    try {
      await runner.startTransaction();
    } catch (error) {
      for (const item of group) item.reject(error);
      return;
    }
    const alone = group.length === 1;
    let sliceStarted = performance.now();
    for (const item of group) {
      if (performance.now() - sliceStarted > SLICE_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        sliceStarted = performance.now();
      }
      try {
        if (!alone) await runner.query('SAVEPOINT unit_of_work');
        const value = await this.unit(item.work, runner.manager);
        if (!alone) await runner.query('RELEASE SAVEPOINT unit_of_work');
        outcomes.push({ ok: true, value });
      } catch (error) {
        outcomes.push({ ok: false, error });
        if (alone) break;
        try {
          await runner.query('ROLLBACK TO SAVEPOINT unit_of_work');
          await runner.query('RELEASE SAVEPOINT unit_of_work');
        } catch (rollbackError) {
          // The transaction itself is gone (an I/O error rolls it all back): nothing of this group stands.
          await this.abandon(runner, group, outcomes, rollbackError);
          return;
        }
      }
    }
    if (alone && !outcomes[0].ok) {
      await this.rollBack(runner);
      group[0].reject(outcomes[0].error);
      return;
    }
    try {
      await runner.commitTransaction();
    } catch (error) {
      await this.abandon(runner, group, outcomes, error);
      return;
    }
    group.forEach((item, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
  }

  /** The group's transaction could not be committed: every unit in it fails (its own error if it had one). */
  private async abandon(runner: QueryRunner, group: Waiting[], outcomes: Outcome[], error: unknown): Promise<void> {
    await this.rollBack(runner);
    group.forEach((item, i) => {
      const outcome = outcomes[i];
      item.reject(outcome && !outcome.ok ? outcome.error : error);
    });
  }

  /**
   * Rolls the runner's transaction back. When SQLite has already ended it (an I/O error rolls back by
   * itself), TypeORM still counts it open and its ROLLBACK fails; an empty transaction is begun for
   * TypeORM's own rollback to end, which puts its bookkeeping right through its public methods.
   */
  private async rollBack(runner: QueryRunner): Promise<void> {
    if (!runner.isTransactionActive) return;
    try {
      await runner.rollbackTransaction();
    } catch {
      if (this.connection?.inTransaction !== false) return;
      await runner.query('BEGIN');
      await runner.rollbackTransaction();
    }
  }
}
