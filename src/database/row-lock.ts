import { EntityManager } from 'typeorm';

/**
 * Takes a row lock until the transaction ends, so concurrent writers that check-then-insert take turns
 * across app processes. On SQLite the write queue already serialises write transactions.
 */
export async function lockRow(m: EntityManager, table: string, id: string): Promise<void> {
  if (m.connection.options.type !== 'postgres') return;
  await m.createQueryBuilder().select('locked.id').from(table, 'locked').where('locked.id = :id', { id }).setLock('pessimistic_write').getRawOne();
}
