import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Injectable } from '@nestjs/common';
import { sqlRows, sqlRun } from '../database/sql';
import { UnitOfWork } from '../database/unit-of-work';

/**
 * Leases for scheduled jobs: every app process runs the timers, and a lease in the database decides
 * which one does the work. Taking one is a single conditional upsert: it inserts the job's row, or
 * takes it over only when the current lease has expired, and returns a row only when it did. On
 * PostgreSQL a second process upserting the same name waits for the first's row lock, then finds the
 * lease live and gets nothing; on SQLite writes run one at a time. So two processes never both hold it.
 */
@Injectable()
export class LeaseService {
  /** This process, as the lease's holder: readable in the table, unique per process. */
  readonly holder = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

  constructor(private readonly unitOfWork: UnitOfWork) {}

  /** Takes the lease `name` until `now + ttlMs` when it is free or expired; false when someone else holds it. */
  async acquire(name: string, ttlMs: number, now = new Date(), holder = this.holder): Promise<boolean> {
    const rows = await this.unitOfWork.transaction((m) =>
      sqlRows<{ holder: string }>(
        m,
        `INSERT INTO job_lease (name, holder, "expiresAt") VALUES (?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, "expiresAt" = excluded."expiresAt"
         WHERE job_lease."expiresAt" <= ?
         RETURNING holder`,
        [name, holder, new Date(now.getTime() + ttlMs), now],
      ),
    );
    return rows.length === 1 && rows[0].holder === holder;
  }

  /** Gives the lease back (after a failed run, so the next attempt need not wait for it to expire). */
  async release(name: string, holder = this.holder): Promise<void> {
    await this.unitOfWork.transaction((m) => sqlRun(m, 'DELETE FROM job_lease WHERE name = ? AND holder = ?', [name, holder]));
  }
}
