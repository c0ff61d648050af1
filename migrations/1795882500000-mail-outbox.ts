import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { columns, foreignKey } from './portable-columns';

/** The outbox of mails, sent by a worker out of the request (issue 16: email through a real SMTP server). */
export class MailOutbox1795882500000 implements MigrationInterface {
  name = 'MailOutbox1795882500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);
    await queryRunner.createTable(new Table({
      name: 'mail_outbox',
      columns: [
        c.id(), ...c.timestamps(), c.ref('homeId', true), c.varchar('toAddress', 254), c.varchar('locale', 5), c.varchar('template', 40),
        c.varchar('subject', 300), c.text('textBody', false), c.text('htmlBody', false), c.varchar('status', 10), c.integer('attempts', 0),
        c.instant('nextAttemptAt', false), c.varchar('claimToken', 36, true), c.instant('claimedUntil'), c.instant('sentAt'), c.varchar('lastError', 500, true),
      ],
      foreignKeys: [foreignKey('homeId', 'home', 'SET NULL')],
      // The worker's question (what is due) and the admin page's order (newest first).
      indices: [{ columnNames: ['status', 'nextAttemptAt'] }, { columnNames: ['createdAt'] }, { columnNames: ['toAddress'] }],
    }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('mail_outbox');
  }
}
