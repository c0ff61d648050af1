import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columns, foreignKey } from './portable-columns';

/** How each user hears of notifications, and the daily digests sent (issue 16 item 3). */
const UNREAD_BY_TIME = 'IDX_notification_unread_by_time';

export class NotificationPreferences1795882700000 implements MigrationInterface {
  name = 'NotificationPreferences1795882700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);
    await queryRunner.createTable(new Table({
      name: 'notification_preference',
      columns: [c.id(), ...c.timestamps(), c.ref('userId'), c.varchar('mode', 10)],
      foreignKeys: [foreignKey('userId', 'user', 'CASCADE')],
      indices: [{ columnNames: ['userId'], isUnique: true }],
    }));
    await queryRunner.createTable(new Table({
      name: 'digest_run',
      columns: [c.id(), ...c.timestamps(), c.ref('userId'), c.varchar('localDate', 10), c.instant('upTo', false), c.integer('items', 0), c.ref('mailId', true)],
      foreignKeys: [foreignKey('userId', 'user', 'CASCADE'), foreignKey('mailId', 'mail_outbox', 'SET NULL')],
      // The claim: one digest per user and local day, whichever process inserts first.
      indices: [{ columnNames: ['userId', 'localDate'], isUnique: true }],
    }));
    // The digest's question: a user's unread notifications in a time window.
    await queryRunner.createIndex('notification', new TableIndex({ name: UNREAD_BY_TIME, columnNames: ['readAt', 'createdAt'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('notification', UNREAD_BY_TIME);
    await queryRunner.dropTable('digest_run');
    await queryRunner.dropTable('notification_preference');
  }
}
