import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { columns, foreignKey } from './portable-columns';

export class Foundation1795881600000 implements MigrationInterface {
  name = 'Foundation1795881600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);

    await queryRunner.createTable(new Table({
      name: 'home',
      columns: [
        c.id(), ...c.timestamps(),
        c.varchar('name', 120), c.varchar('slug', 60), c.varchar('timezone', 60, false, 'Europe/Rome'),
        c.varchar('locale', 5, false, 'it'), c.varchar('address', 300, true),
      ],
      uniques: [{ columnNames: ['slug'] }],
    }));

    await queryRunner.createTable(new Table({
      name: 'unit',
      columns: [c.id(), ...c.timestamps(), c.ref('homeId'), c.varchar('name', 120), c.boolean('active', true)],
      foreignKeys: [foreignKey('homeId', 'home')],
      indices: [{ columnNames: ['homeId'] }],
    }));

    await queryRunner.createTable(new Table({
      name: 'user',
      columns: [
        c.id(), ...c.timestamps(),
        c.varchar('email', 254), c.varchar('displayName', 120), c.varchar('passwordHash', 200, true),
        c.varchar('role', 20), c.varchar('personKind', 20, true), c.ref('personId', true),
        c.varchar('locale', 5, false, 'en'), c.instant('disabledAt'), c.instant('lastLoginAt'),
      ],
      uniques: [{ columnNames: ['email'] }],
    }));

    await queryRunner.createTable(new Table({
      name: 'membership',
      columns: [c.id(), ...c.timestamps(), c.ref('userId'), c.ref('homeId')],
      foreignKeys: [foreignKey('userId', 'user', 'CASCADE'), foreignKey('homeId', 'home')],
      indices: [{ columnNames: ['userId', 'homeId'], isUnique: true }, { columnNames: ['homeId'] }],
    }));

    await queryRunner.createTable(new Table({
      name: 'session',
      columns: [
        { name: 'sid', type: 'varchar', length: '128', isPrimary: true },
        c.text('data', false), c.instant('expiresAt', false), c.ref('userId', true),
      ],
      indices: [{ columnNames: ['expiresAt'] }, { columnNames: ['userId'] }],
    }));

    await queryRunner.createTable(new Table({
      name: 'login_attempt',
      columns: [c.id(), c.varchar('scope', 10), c.varchar('key', 254), { ...c.instant('at', false), default: 'CURRENT_TIMESTAMP' }],
      indices: [{ columnNames: ['scope', 'key', 'at'] }],
    }));

    await queryRunner.createTable(new Table({
      name: 'audit_entry',
      columns: [
        c.id(), c.integer('seq'), c.instant('at', false), c.ref('userId', true), c.varchar('role', 20, true),
        c.varchar('action', 20), c.varchar('entityType', 40, true), c.varchar('entityId', 64, true),
        c.ref('homeId', true), c.text('changes'), c.varchar('ip', 64, true), c.varchar('userAgent', 300, true),
        c.varchar('prevHash', 64), c.varchar('hash', 64),
      ],
      indices: [
        { columnNames: ['seq'], isUnique: true }, { columnNames: ['at'] }, { columnNames: ['userId'] }, { columnNames: ['entityId'] },
      ],
    }));

    await queryRunner.createTable(new Table({
      name: 'audit_head',
      columns: [{ name: 'id', type: 'integer', isPrimary: true }, c.integer('seq'), c.varchar('hash', 64)],
    }));
    await queryRunner.manager.insert('audit_head', { id: 1, seq: 0, hash: '0'.repeat(64) });

    await queryRunner.createTable(new Table({
      name: 'resident',
      columns: [
        c.id(), ...c.timestamps(), c.ref('homeId'),
        c.varchar('firstName', 80), c.varchar('lastName', 80), c.varchar('preferredName', 80, true),
        c.date('dateOfBirth'), c.varchar('room', 20, true), c.ref('unitId', true),
        c.date('admittedOn', false), c.date('leftOn'), c.varchar('status', 20, false, 'active'),
        c.text('aboutMe'), c.text('interests', false), c.text('dislikes'), c.text('communicationTips'),
        c.text('mobilityNotes'), c.integer('weeklyActivityTarget', 5), c.varchar('photoFile', 100, true),
        c.boolean('consentPhotos', false), c.varchar('consentFamilyPortal', 10, false, 'none'),
        c.boolean('consentVolunteerProfile', false), c.ref('consentRecordedBy', true), c.instant('consentRecordedAt'),
        c.text('consentBestInterestNote'),
      ],
      foreignKeys: [foreignKey('homeId', 'home'), foreignKey('unitId', 'unit', 'SET NULL')],
      indices: [{ columnNames: ['homeId', 'status'] }, { columnNames: ['unitId'] }],
    }));

    const person = () => [
      c.id(), ...c.timestamps(), c.ref('homeId'), c.varchar('firstName', 80), c.varchar('lastName', 80),
      c.varchar('email', 254, true), c.varchar('phone', 40, true),
    ];

    await queryRunner.createTable(new Table({
      name: 'family_member',
      columns: [...person(), c.instant('archivedAt')],
      foreignKeys: [foreignKey('homeId', 'home')],
      indices: [{ columnNames: ['homeId'] }],
    }));

    await queryRunner.createTable(new Table({
      name: 'family_link',
      columns: [
        c.id(), ...c.timestamps(), c.ref('homeId'), c.ref('familyMemberId'), c.ref('residentId'),
        c.varchar('relationship', 60), c.boolean('primaryContact', false), c.varchar('access', 12, false, 'view'),
        c.boolean('active', true),
      ],
      foreignKeys: [foreignKey('homeId', 'home'), foreignKey('familyMemberId', 'family_member'), foreignKey('residentId', 'resident')],
      indices: [{ columnNames: ['familyMemberId', 'residentId'], isUnique: true }, { columnNames: ['residentId'] }],
    }));

    await queryRunner.createTable(new Table({
      name: 'volunteer',
      columns: [
        ...person(), c.varchar('association', 120, true), c.text('skills', false), c.text('availability'),
        c.varchar('backgroundCheckReference', 60, true), c.date('backgroundCheckOn'), c.date('backgroundCheckExpiresOn'),
        c.text('trainingNotes'), c.date('startedOn'), c.varchar('status', 10, false, 'active'),
      ],
      foreignKeys: [foreignKey('homeId', 'home')],
      indices: [{ columnNames: ['homeId'] }],
    }));

    await queryRunner.createTable(new Table({
      name: 'staff_member',
      columns: [
        ...person(), c.varchar('jobRole', 30), c.ref('unitId', true), c.date('startedOn'), c.varchar('status', 10, false, 'active'),
      ],
      foreignKeys: [foreignKey('homeId', 'home'), foreignKey('unitId', 'unit', 'SET NULL')],
      indices: [{ columnNames: ['homeId'] }],
    }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'staff_member', 'volunteer', 'family_link', 'family_member', 'resident', 'audit_head', 'audit_entry',
      'login_attempt', 'session', 'membership', 'user', 'unit', 'home',
    ]) {
      await queryRunner.dropTable(table);
    }
  }
}
