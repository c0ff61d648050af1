import { MigrationInterface, QueryRunner, TableColumn, TableForeignKey } from 'typeorm';
import { columns, foreignKey } from './portable-columns';

/**
 * A volunteer's photo waits for a staff check before anyone else sees it (docs/photos.md): a volunteer
 * is not told residents' consents and cannot tag a resident hidden from volunteers, so a coordinator
 * looks at who is in it, tags anyone missing, and marks it checked. `checkedAt` empty: waiting.
 * Photos already stored were shown under the rule before; they keep it, checked when they were added.
 */
export class PhotoChecks1795884700000 implements MigrationInterface {
  name = 'PhotoChecks1795884700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);
    await queryRunner.addColumn('photo', new TableColumn(c.instant('checkedAt')));
    await queryRunner.addColumn('photo', new TableColumn(c.ref('checkedBy', true)));
    await queryRunner.createForeignKey('photo', new TableForeignKey(foreignKey('checkedBy', 'user', 'SET NULL')));
    await queryRunner.query('UPDATE photo SET "checkedAt" = "createdAt"');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const photo = await queryRunner.getTable('photo');
    const fk = photo?.foreignKeys.find((f) => f.columnNames.includes('checkedBy'));
    if (fk) await queryRunner.dropForeignKey('photo', fk);
    await queryRunner.dropColumn('photo', 'checkedBy');
    await queryRunner.dropColumn('photo', 'checkedAt');
  }
}
