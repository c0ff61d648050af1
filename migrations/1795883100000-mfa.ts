import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { columns, foreignKey } from './portable-columns';

/** Multi-factor authentication (issue 17 item 6): an authenticator per user and their recovery codes. */
export class Mfa1795883100000 implements MigrationInterface {
  name = 'Mfa1795883100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);
    await queryRunner.createTable(new Table({
      name: 'mfa_credential',
      columns: [
        c.id(), ...c.timestamps(), c.ref('userId'), c.varchar('secretSealed', 200), c.instant('enabledAt'),
        c.integer('lastUsedStep', undefined, true), c.integer('failedCount', 0), c.instant('lastFailedAt'),
      ],
      foreignKeys: [foreignKey('userId', 'user', 'CASCADE')],
      indices: [{ columnNames: ['userId'], isUnique: true }],
    }));
    await queryRunner.createTable(new Table({
      name: 'mfa_recovery_code',
      columns: [c.id(), ...c.timestamps(), c.ref('userId'), c.varchar('codeHash', 64), c.instant('usedAt')],
      foreignKeys: [foreignKey('userId', 'user', 'CASCADE')],
      indices: [{ columnNames: ['userId'] }],
    }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('mfa_recovery_code');
    await queryRunner.dropTable('mfa_credential');
  }
}
