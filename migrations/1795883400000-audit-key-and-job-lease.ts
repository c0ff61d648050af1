import { MigrationInterface, QueryRunner, Table, TableColumn } from 'typeorm';
import { columns } from './portable-columns';

/**
 * Issue 17 (hardening): `audit_head.keyed` says whether new audit entries are HMAC-keyed (AUDIT_KEY);
 * a chain with no entries yet is keyed from its first entry, an existing one stays unkeyed until the
 * app re-keys it after verifying it (AuditService.rekeyLegacyChain). `job_lease` lets one process at
 * a time run a scheduled job (retention, the daily audit head).
 */
export class AuditKeyAndJobLease1795883400000 implements MigrationInterface {
  name = 'AuditKeyAndJobLease1795883400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);
    await queryRunner.addColumn('audit_head', new TableColumn(c.integer('keyed', 0)));
    await queryRunner.query('UPDATE audit_head SET keyed = 1 WHERE seq = 0');
    await queryRunner.createTable(new Table({
      name: 'job_lease',
      columns: [
        { name: 'name', type: 'varchar', length: '60', isPrimary: true },
        c.varchar('holder', 100),
        c.instant('expiresAt', false),
      ],
    }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('job_lease');
    await queryRunner.dropColumn('audit_head', 'keyed');
  }
}
