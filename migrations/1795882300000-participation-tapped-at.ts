import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { columns } from './portable-columns';

/**
 * When the carer tapped each entry, on the tablet's clock (clamped to the server's now): the offline
 * log's conflict rule keeps the later tap of two tablets (docs/offline-log.md). Rows saved before this
 * column existed have none and count as tapped when recorded.
 */
export class ParticipationTappedAt1795882300000 implements MigrationInterface {
  name = 'ParticipationTappedAt1795882300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('participation', new TableColumn(columns(queryRunner).instant('tappedAt')));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('participation', 'tappedAt');
  }
}
