import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { columns, foreignKey } from './portable-columns';

export class Invitations1795881700000 implements MigrationInterface {
  name = 'Invitations1795881700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);
    await queryRunner.createTable(new Table({
      name: 'invitation',
      columns: [
        c.id(), ...c.timestamps(), c.ref('userId'), c.varchar('tokenHash', 64), c.instant('expiresAt', false),
        c.instant('usedAt'), c.ref('createdBy', true),
      ],
      foreignKeys: [foreignKey('userId', 'user', 'CASCADE')],
      indices: [{ columnNames: ['tokenHash'], isUnique: true }, { columnNames: ['userId'] }],
    }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('invitation');
  }
}
