import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { isSqlite } from './data-source';

/**
 * Runs write transactions. TypeORM's SQLite driver shares one connection, so two transactions
 * started at once would nest ("cannot start a transaction within a transaction"); on SQLite every
 * write transaction therefore waits its turn in one queue. PostgreSQL has a pool and runs them freely.
 */
@Injectable()
export class UnitOfWork {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly serialise: boolean;

  constructor(private readonly dataSource: DataSource) {
    this.serialise = isSqlite(dataSource);
  }

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (!this.serialise) return this.dataSource.transaction(work);
    const run = this.tail.then(() => this.dataSource.transaction(work));
    this.tail = run.catch(() => undefined);
    return run;
  }
}
