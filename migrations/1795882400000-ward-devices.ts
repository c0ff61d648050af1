import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { columns, foreignKey } from './portable-columns';

/** Enrolled ward tablets and staff PINs (issue 15: a shared ward tablet carers switch with a PIN). */
export class WardDevices1795882400000 implements MigrationInterface {
  name = 'WardDevices1795882400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);
    await queryRunner.createTable(new Table({
      name: 'ward_device',
      columns: [
        c.id(), ...c.timestamps(), c.ref('homeId'), c.ref('unitId'), c.varchar('name', 80), c.varchar('secretHash', 64),
        c.ref('enrolledBy'), c.instant('lastSeenAt'), c.instant('revokedAt'), c.ref('revokedBy', true),
        c.integer('pinFailures', 0), c.instant('pinFailuresSince'),
      ],
      foreignKeys: [foreignKey('homeId', 'home'), foreignKey('unitId', 'unit'), foreignKey('enrolledBy', 'user'), foreignKey('revokedBy', 'user', 'SET NULL')],
      indices: [{ columnNames: ['homeId'] }],
    }));
    await queryRunner.createTable(new Table({
      name: 'staff_pin',
      columns: [
        c.id(), ...c.timestamps(), c.ref('userId'), c.varchar('pinHash', 255), c.integer('failedAttempts', 0), c.instant('lockedAt'),
        c.ref('lockedOnDeviceId', true),
      ],
      foreignKeys: [foreignKey('userId', 'user', 'CASCADE'), foreignKey('lockedOnDeviceId', 'ward_device', 'SET NULL')],
      indices: [{ columnNames: ['userId'], isUnique: true }],
    }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('staff_pin');
    await queryRunner.dropTable('ward_device');
  }
}
