import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { columns, foreignKey } from './portable-columns';

/** Messages between a home's staff and a resident's relatives (issue 16 item 5): one thread per resident. */
export class Messages1795882900000 implements MigrationInterface {
  name = 'Messages1795882900000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);
    await queryRunner.createTable(new Table({
      name: 'message_thread',
      columns: [
        c.id(), ...c.timestamps(), c.ref('homeId'), c.ref('residentId'), c.varchar('lastSide', 10), c.instant('lastMessageAt', false),
        c.instant('lastFamilyAt'), c.instant('lastHomeAt'), c.instant('homeReadAt'),
      ],
      foreignKeys: [foreignKey('homeId', 'home'), foreignKey('residentId', 'resident', 'CASCADE')],
      // One thread per resident; the home's list is newest first.
      indices: [{ columnNames: ['residentId'], isUnique: true }, { columnNames: ['homeId', 'lastMessageAt'] }],
    }));
    await queryRunner.createTable(new Table({
      name: 'message',
      columns: [
        c.id(), ...c.timestamps(), c.ref('homeId'), c.ref('threadId'), c.ref('authorUserId', true), c.varchar('authorRole', 20),
        c.varchar('side', 10), c.text('body', false), c.instant('sentAt', false),
      ],
      foreignKeys: [foreignKey('homeId', 'home'), foreignKey('threadId', 'message_thread', 'CASCADE'), foreignKey('authorUserId', 'user', 'SET NULL')],
      indices: [{ columnNames: ['threadId', 'sentAt'] }],
    }));
    await queryRunner.createTable(new Table({
      name: 'message_read',
      columns: [c.id(), ...c.timestamps(), c.ref('homeId'), c.ref('threadId'), c.ref('userId'), c.instant('readAt', false)],
      foreignKeys: [foreignKey('homeId', 'home'), foreignKey('threadId', 'message_thread', 'CASCADE'), foreignKey('userId', 'user', 'CASCADE')],
      indices: [{ columnNames: ['threadId', 'userId'], isUnique: true }, { columnNames: ['userId'] }],
    }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('message_read');
    await queryRunner.dropTable('message');
    await queryRunner.dropTable('message_thread');
  }
}
