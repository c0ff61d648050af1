import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columns, foreignKey } from './portable-columns';

/**
 * Issue 18 item 2b: effective-dated history of what the quarterly report takes "as at" a quarter's
 * end and the app changes in place: a plan's status, agreement and next review dates (plans), a
 * volunteer's status, start date and check expiry (volunteers), a suggestion's status and answer
 * time (voice). A row per change, with the instant it took effect (`validFrom`); the `id` orders the
 * changes of one record.
 *
 * Each existing record gets one row of its current values, valid from its `createdAt` (the only
 * instant every record has; nothing older is known): a quarter that ended before this migration is
 * computed from those values, as it was before. Plans get a row only once agreed (agreed or
 * archived): a draft is no plan in force.
 */
export class EffectiveDatedHistory1795883800000 implements MigrationInterface {
  name = 'EffectiveDatedHistory1795883800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);
    await queryRunner.createTable(new Table({
      name: 'activity_plan_history',
      columns: [
        c.sequence(), c.ref('homeId'), c.ref('planId'), c.varchar('status', 12), c.date('agreedOn'), c.date('nextReviewOn'), c.instantNow('validFrom'),
      ],
      foreignKeys: [foreignKey('homeId', 'home'), foreignKey('planId', 'activity_plan', 'CASCADE')],
      indices: [new TableIndex({ name: 'IDX_activity_plan_history_plan', columnNames: ['planId', 'id'] })],
    }));
    await queryRunner.createTable(new Table({
      name: 'volunteer_history',
      columns: [
        c.sequence(), c.ref('homeId'), c.ref('volunteerId'), c.varchar('status', 10), c.date('startedOn'), c.date('backgroundCheckExpiresOn'),
        c.instantNow('validFrom'),
      ],
      foreignKeys: [foreignKey('homeId', 'home'), foreignKey('volunteerId', 'volunteer', 'CASCADE')],
      indices: [new TableIndex({ name: 'IDX_volunteer_history_volunteer', columnNames: ['volunteerId', 'id'] })],
    }));
    await queryRunner.createTable(new Table({
      name: 'suggestion_history',
      columns: [c.sequence(), c.ref('homeId'), c.ref('suggestionId'), c.varchar('status', 12), c.instant('respondedAt'), c.instantNow('validFrom')],
      foreignKeys: [foreignKey('homeId', 'home'), foreignKey('suggestionId', 'suggestion', 'CASCADE')],
      indices: [new TableIndex({ name: 'IDX_suggestion_history_suggestion', columnNames: ['suggestionId', 'id'] })],
    }));

    await queryRunner.query(
      'INSERT INTO activity_plan_history ("homeId", "planId", "status", "agreedOn", "nextReviewOn", "validFrom") ' +
        'SELECT "homeId", "id", "status", "agreedOn", "nextReviewOn", "createdAt" FROM activity_plan WHERE "status" IN (\'agreed\', \'archived\') ORDER BY "createdAt", "id"',
    );
    await queryRunner.query(
      'INSERT INTO volunteer_history ("homeId", "volunteerId", "status", "startedOn", "backgroundCheckExpiresOn", "validFrom") ' +
        'SELECT "homeId", "id", "status", "startedOn", "backgroundCheckExpiresOn", "createdAt" FROM volunteer ORDER BY "createdAt", "id"',
    );
    await queryRunner.query(
      'INSERT INTO suggestion_history ("homeId", "suggestionId", "status", "respondedAt", "validFrom") ' +
        'SELECT "homeId", "id", "status", "respondedAt", "createdAt" FROM suggestion ORDER BY "createdAt", "id"',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('suggestion_history');
    await queryRunner.dropTable('volunteer_history');
    await queryRunner.dropTable('activity_plan_history');
  }
}
