import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { columns } from './portable-columns';

/**
 * What a type of activity usually is (issue 19 item 3): its place, capacity and co-production phases,
 * which a new activity of the type starts from; and the phases an activity itself is planned for.
 * Phases are a JSON list of phase names (`simple-json`), `[]` for rows that had none.
 */
export class ActivityTypeDefaults1795883900000 implements MigrationInterface {
  name = 'ActivityTypeDefaults1795883900000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);
    await queryRunner.addColumns('activity_type', [
      new TableColumn(c.varchar('defaultLocation', 120, true)),
      new TableColumn(c.integer('defaultCapacity', undefined, true)),
      new TableColumn(phaseList('usualPhases')),
    ]);
    await queryRunner.addColumn('activity', new TableColumn(phaseList('phases')));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('activity', 'phases');
    await queryRunner.dropColumns('activity_type', ['usualPhases', 'defaultCapacity', 'defaultLocation']);
  }
}

function phaseList(name: string) {
  return { name, type: 'text', isNullable: false, default: `'[]'` };
}
