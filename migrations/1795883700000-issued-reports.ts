import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { columns, foreignKey } from './portable-columns';

/**
 * Issue 18 item 2: issued quarterly reports. Each issue of a home's closed quarter is one version
 * (1, 2, ...) holding the report model as issued (JSON, with and without names), the PDFs handed out
 * (base64 text, portable across engines) and the SHA-256 of each, who issued it and when. Rows are
 * never updated: a reissue adds the next version.
 */
export class IssuedReports1795883700000 implements MigrationInterface {
  name = 'IssuedReports1795883700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);
    await queryRunner.createTable(new Table({
      name: 'issued_report',
      columns: [
        c.id(), ...c.timestamps(), c.ref('homeId'),
        c.varchar('quarter', 7), c.integer('version'), c.varchar('locale', 5),
        c.text('model', false), c.varchar('modelSha256', 64),
        c.text('modelWithoutNames', false),
        c.text('pdf', false), c.varchar('pdfSha256', 64),
        c.text('pdfWithoutNames', false), c.varchar('pdfWithoutNamesSha256', 64),
        c.ref('issuedBy', true), c.varchar('issuedByName', 200), c.instant('issuedAt', false),
      ],
      foreignKeys: [foreignKey('homeId', 'home'), foreignKey('issuedBy', 'user', 'SET NULL')],
      uniques: [{ columnNames: ['homeId', 'quarter', 'version'] }],
    }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('issued_report');
  }
}
