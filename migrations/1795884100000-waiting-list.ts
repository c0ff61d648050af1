import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { columns, foreignKey } from './portable-columns';

/**
 * Issue 19 item 2: a waiting list per activity. Its own table rather than a status on roster_entry,
 * so that everything reading the roster (the log, Today's counts, the portal, the offline sync, the
 * bench) keeps meaning "invited" without a filter to forget (docs/planning.md, "Rosters in bulk").
 * `position` orders the list: the next to move up has the lowest.
 */
export class WaitingList1795884100000 implements MigrationInterface {
  name = 'WaitingList1795884100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);
    await queryRunner.createTable(new Table({
      name: 'waitlist_entry',
      columns: [c.id(), ...c.timestamps(), c.ref('homeId'), c.ref('activityId'), c.ref('residentId'), c.integer('position')],
      foreignKeys: [foreignKey('homeId', 'home'), foreignKey('activityId', 'activity', 'CASCADE'), foreignKey('residentId', 'resident')],
      indices: [{ columnNames: ['activityId', 'residentId'], isUnique: true }, { columnNames: ['activityId', 'position'] }, { columnNames: ['residentId'] }],
    }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('waitlist_entry');
  }
}
