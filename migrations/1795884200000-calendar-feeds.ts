import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { columns, foreignKey } from './portable-columns';

/**
 * Issue 19 item 4: calendar feeds. Each row is one secret feed address of a user (only the token's
 * SHA-256), for a home, a unit or a resident. A feed goes with its user, unit or resident.
 */
export class CalendarFeeds1795884200000 implements MigrationInterface {
  name = 'CalendarFeeds1795884200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);
    await queryRunner.createTable(new Table({
      name: 'calendar_feed',
      columns: [
        c.id(), ...c.timestamps(), c.ref('homeId'), c.ref('userId'), c.varchar('tokenHash', 64), c.varchar('scope', 10),
        c.ref('unitId', true), c.ref('residentId', true), c.instant('revokedAt'), c.instant('lastReadAt'),
      ],
      foreignKeys: [
        foreignKey('homeId', 'home', 'CASCADE'), foreignKey('userId', 'user', 'CASCADE'),
        foreignKey('unitId', 'unit', 'CASCADE'), foreignKey('residentId', 'resident', 'CASCADE'),
      ],
      indices: [{ columnNames: ['tokenHash'], isUnique: true }, { columnNames: ['userId'] }],
    }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('calendar_feed');
  }
}
