import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { columns } from './portable-columns';

/**
 * A home's country (ISO 3166-1 alpha-2), which chooses the standards the quarterly report's annex
 * cites (issue 18 item 7). Homes so far are Italian: existing rows take 'IT' from the default.
 */
export class HomeCountry1795883600000 implements MigrationInterface {
  name = 'HomeCountry1795883600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('home', new TableColumn(columns(queryRunner).varchar('country', 2, false, 'IT')));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('home', 'country');
  }
}
