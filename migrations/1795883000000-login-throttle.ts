import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { columns } from './portable-columns';

/**
 * Sign-in throttling counters (issue 17, findings 1 and 7): one row per key, locked by an upsert, so
 * a reservation is atomic across app processes. Instants are milliseconds since 1970 in a bigint,
 * compared in the app, which keeps the SQL the same on SQLite and PostgreSQL.
 */
export class LoginThrottle1795883000000 implements MigrationInterface {
  name = 'LoginThrottle1795883000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);
    const epochMs = (name: string) => ({ name, type: 'bigint', isNullable: false, default: 0 });
    await queryRunner.createTable(new Table({
      name: 'login_throttle',
      columns: [
        { ...c.varchar('scope', 10), isPrimary: true }, { ...c.varchar('key', 400), isPrimary: true },
        c.integer('failures', 0), epochMs('windowStart'), epochMs('lastAt'), epochMs('blockedUntil'),
      ],
      // Pruning by age.
      indices: [{ columnNames: ['lastAt'] }],
    }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('login_throttle');
  }
}
