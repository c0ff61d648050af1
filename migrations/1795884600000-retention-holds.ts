import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { columns, foreignKey } from './portable-columns';

/**
 * The retention review's "keep, with a reason": a record past the retention period that a manager
 * decided to keep leaves the review list until `reviewAgainOn`, with why and by whom. One row per
 * record (a resident, an archived relative or a volunteer who left); keeping it again replaces it.
 */
export class RetentionHolds1795884600000 implements MigrationInterface {
  name = 'RetentionHolds1795884600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);
    await queryRunner.createTable(new Table({
      name: 'retention_hold',
      columns: [
        c.id(), ...c.timestamps(), c.ref('homeId'), c.varchar('subjectType', 20), c.ref('subjectId'), c.text('reason', false),
        c.ref('keptBy', true), c.date('reviewAgainOn', false),
      ],
      foreignKeys: [foreignKey('homeId', 'home', 'CASCADE'), foreignKey('keptBy', 'user', 'SET NULL')],
      indices: [{ columnNames: ['subjectType', 'subjectId'], isUnique: true }, { columnNames: ['homeId', 'reviewAgainOn'] }],
    }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('retention_hold');
  }
}
