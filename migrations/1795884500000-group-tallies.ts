import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { rebuildTallies } from '../src/reports/tally/headline-tally';
import { columns, foreignKey } from './portable-columns';

/**
 * Issue 20 item (e): the group view's summary tables (docs/groups.md, "Summary tables"), owned by the
 * reports read model. `activity_tally` holds each held activity's counts, `home_day_tally` their sums
 * per home and local day, `resident_reach` each resident's first reach in a quarter; both are filled from the records here and kept current by
 * their writers from now on.
 */
export class GroupTallies1795884500000 implements MigrationInterface {
  name = 'GroupTallies1795884500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);
    await queryRunner.createTable(new Table({
      name: 'activity_tally',
      columns: [
        { ...c.ref('activityId'), isPrimary: true }, c.ref('homeId'), c.instant('startsAt', false),
        ...['active', 'passive', 'disengaged', 'declined', 'absent', 'contributionMinutes', 'coProduced'].map((name) => c.integer(name)),
        c.text('reached', false),
      ],
      foreignKeys: [foreignKey('activityId', 'activity', 'CASCADE'), foreignKey('homeId', 'home', 'CASCADE')],
      indices: [{ columnNames: ['homeId', 'startsAt'] }],
    }));
    await queryRunner.createTable(new Table({
      name: 'home_day_tally',
      columns: [
        { ...c.ref('homeId'), isPrimary: true }, { ...c.date('day', false), isPrimary: true },
        ...['held', 'active', 'passive', 'disengaged', 'declined', 'absent', 'contributionMinutes', 'coProduced'].map((name) => c.integer(name)),
      ],
      foreignKeys: [foreignKey('homeId', 'home', 'CASCADE')],
    }));
    await queryRunner.createTable(new Table({
      name: 'resident_reach',
      columns: [{ ...c.ref('residentId'), isPrimary: true }, { ...c.varchar('quarter', 7), isPrimary: true }, c.ref('homeId'), c.instant('firstReachedAt', false)],
      foreignKeys: [foreignKey('residentId', 'resident', 'CASCADE'), foreignKey('homeId', 'home', 'CASCADE')],
      indices: [{ columnNames: ['homeId', 'quarter', 'firstReachedAt'] }],
    }));
    await rebuildTallies(queryRunner.manager, null);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('resident_reach');
    await queryRunner.dropTable('home_day_tally');
    await queryRunner.dropTable('activity_tally');
  }
}
