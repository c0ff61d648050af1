import { MigrationInterface, QueryRunner, Table, TableColumn } from 'typeorm';
import { columns, foreignKey } from './portable-columns';

/**
 * Accounts by email (issue 16, item 2): password-reset links and email-change confirmations (only the
 * token's hash is kept), and why an account was disabled, so bringing a person's record back re-enables
 * only an account that archiving disabled.
 */
export class AccountsByEmail1795882600000 implements MigrationInterface {
  name = 'AccountsByEmail1795882600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);
    await queryRunner.createTable(new Table({
      name: 'password_reset',
      columns: [c.id(), ...c.timestamps(), c.ref('userId'), c.varchar('tokenHash', 64), c.instant('expiresAt', false), c.instant('usedAt')],
      foreignKeys: [foreignKey('userId', 'user', 'CASCADE')],
      indices: [{ columnNames: ['tokenHash'], isUnique: true }, { columnNames: ['userId'] }],
    }));
    await queryRunner.createTable(new Table({
      name: 'email_change',
      columns: [
        c.id(), ...c.timestamps(), c.ref('userId'), c.varchar('newEmail', 254), c.varchar('tokenHash', 64), c.instant('expiresAt', false), c.instant('usedAt'),
        c.ref('createdBy', true),
      ],
      foreignKeys: [foreignKey('userId', 'user', 'CASCADE')],
      indices: [{ columnNames: ['tokenHash'], isUnique: true }, { columnNames: ['userId'] }],
    }));
    // 'admin' (disabled on its own, in /accounts) or 'archive' (disabled because the person's record was archived).
    await queryRunner.addColumn('user', new TableColumn(c.varchar('disabledReason', 10, true)));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('user', 'disabledReason');
    await queryRunner.dropTable('email_change');
    await queryRunner.dropTable('password_reset');
  }
}
