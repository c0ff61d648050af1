import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { columns, foreignKey } from './portable-columns';

/** Activity types, the calendar, rosters, participation, contributions, help offers and idempotency keys. */
export class Activities1795881800000 implements MigrationInterface {
  name = 'Activities1795881800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);

    await queryRunner.createTable(new Table({
      name: 'activity_type',
      columns: [
        c.id(), ...c.timestamps(), c.ref('homeId'), c.varchar('name', 120), c.varchar('category', 30), c.text('description'),
        c.integer('defaultDurationMinutes', 60), c.boolean('active', true),
      ],
      foreignKeys: [foreignKey('homeId', 'home')],
      indices: [{ columnNames: ['homeId', 'name'], isUnique: true }],
    }));

    await queryRunner.createTable(new Table({
      name: 'activity',
      columns: [
        c.id(), ...c.timestamps(), c.ref('homeId'), c.ref('activityTypeId'), c.varchar('title', 160), c.instant('startsAt', false),
        c.integer('durationMinutes'), c.varchar('location', 120, true), c.ref('unitId', true), c.integer('capacity', undefined, true),
        c.ref('leadStaffId', true), c.varchar('status', 12, false, 'planned'), c.text('description'), c.ref('seriesId', true),
        c.boolean('visibleToFamilies', true), c.instant('completedAt'), c.text('cancelReason'),
      ],
      foreignKeys: [
        foreignKey('homeId', 'home'), foreignKey('activityTypeId', 'activity_type'), foreignKey('unitId', 'unit', 'SET NULL'),
        foreignKey('leadStaffId', 'staff_member', 'SET NULL'),
      ],
      indices: [{ columnNames: ['homeId', 'startsAt'] }, { columnNames: ['homeId', 'status', 'startsAt'] }, { columnNames: ['seriesId'] }],
    }));

    await queryRunner.createTable(new Table({
      name: 'roster_entry',
      columns: [c.id(), ...c.timestamps(), c.ref('homeId'), c.ref('activityId'), c.ref('residentId')],
      foreignKeys: [foreignKey('homeId', 'home'), foreignKey('activityId', 'activity', 'CASCADE'), foreignKey('residentId', 'resident')],
      indices: [{ columnNames: ['activityId', 'residentId'], isUnique: true }, { columnNames: ['residentId'] }],
    }));

    await queryRunner.createTable(new Table({
      name: 'participation',
      columns: [
        c.id(), ...c.timestamps(), c.ref('homeId'), c.ref('activityId'), c.ref('residentId'), c.varchar('engagement', 12),
        c.integer('moodBefore', undefined, true), c.integer('moodAfter', undefined, true), c.text('staffNote'), c.text('familyNote'),
        c.ref('recordedBy', true), c.instant('recordedAt', false),
      ],
      foreignKeys: [foreignKey('homeId', 'home'), foreignKey('activityId', 'activity', 'CASCADE'), foreignKey('residentId', 'resident')],
      indices: [
        { columnNames: ['activityId', 'residentId'], isUnique: true }, { columnNames: ['residentId', 'recordedAt'] },
        { columnNames: ['homeId', 'recordedAt'] },
      ],
    }));

    await queryRunner.createTable(new Table({
      name: 'help_offer',
      columns: [
        c.id(), ...c.timestamps(), c.ref('homeId'), c.ref('activityId'), c.varchar('offererType', 12), c.ref('familyMemberId', true),
        c.ref('volunteerId', true), c.varchar('kind', 12, false, 'deliver'), c.varchar('status', 12, false, 'offered'), c.text('message'),
        c.ref('respondedBy', true), c.instant('respondedAt'), c.ref('createdBy', true),
      ],
      foreignKeys: [
        foreignKey('homeId', 'home'), foreignKey('activityId', 'activity', 'CASCADE'), foreignKey('familyMemberId', 'family_member'),
        foreignKey('volunteerId', 'volunteer'),
      ],
      indices: [{ columnNames: ['activityId'] }, { columnNames: ['volunteerId', 'status'] }, { columnNames: ['familyMemberId'] }],
    }));

    await queryRunner.createTable(new Table({
      name: 'contribution',
      columns: [
        c.id(), ...c.timestamps(), c.ref('homeId'), c.ref('activityId', true), c.date('date', false), c.varchar('actorType', 12),
        c.ref('residentId', true), c.ref('familyMemberId', true), c.ref('volunteerId', true), c.ref('staffMemberId', true),
        c.varchar('phase', 20), c.integer('minutes', 0), c.text('description'), c.varchar('source', 16, false, 'manual'),
        c.ref('sourceId', true), c.ref('recordedBy', true),
      ],
      foreignKeys: [
        foreignKey('homeId', 'home'), foreignKey('activityId', 'activity', 'CASCADE'), foreignKey('residentId', 'resident'),
        foreignKey('familyMemberId', 'family_member'), foreignKey('volunteerId', 'volunteer'), foreignKey('staffMemberId', 'staff_member'),
      ],
      indices: [
        { columnNames: ['homeId', 'date'] }, { columnNames: ['activityId'] },
        // An automatic contribution is made once per source record and person.
        { columnNames: ['source', 'sourceId', 'actorType', 'residentId', 'familyMemberId', 'volunteerId', 'staffMemberId'] },
      ],
    }));

    await queryRunner.createTable(new Table({
      name: 'idempotency_key',
      columns: [
        { name: 'id', type: 'varchar', length: '160', isPrimary: true }, c.ref('userId'), c.varchar('requestHash', 64),
        c.integer('statusCode', undefined, true), c.text('responseBody'), { ...c.instant('createdAt', false), default: 'CURRENT_TIMESTAMP' },
      ],
      indices: [{ columnNames: ['createdAt'] }],
    }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['idempotency_key', 'contribution', 'help_offer', 'participation', 'roster_entry', 'activity', 'activity_type']) {
      await queryRunner.dropTable(table);
    }
  }
}
