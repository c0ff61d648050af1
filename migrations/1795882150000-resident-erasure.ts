import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { columns } from './portable-columns';

/**
 * When a resident's identity was erased (anonymised on request or at the end of the retention
 * period): the row stays, with a placeholder name, so past reports keep their figures.
 */
export class ResidentErasure1795882150000 implements MigrationInterface {
  name = 'ResidentErasure1795882150000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('resident', new TableColumn(columns(queryRunner).instant('erasedAt')));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('resident', 'erasedAt');
  }
}
