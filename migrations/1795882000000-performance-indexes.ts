import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

const PARTICIPATION_BY_ACTIVITY = 'IDX_participation_activity_engagement_resident';

/**
 * The quarterly report counts participation per engagement and resident in one home's activities.
 * With only the (activityId, residentId) index each activity's rows are fetched from the table, and
 * PostgreSQL, finding that dearer, scans every home's participation instead: the report of a home
 * slowed as other homes were added. This index holds everything those counts read, so they are
 * answered from it alone and cost the same whatever else the database holds (SPEC 7).
 */
export class PerformanceIndexes1795882000000 implements MigrationInterface {
  name = 'PerformanceIndexes1795882000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex('participation', new TableIndex({ name: PARTICIPATION_BY_ACTIVITY, columnNames: ['activityId', 'engagement', 'residentId'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('participation', PARTICIPATION_BY_ACTIVITY);
  }
}
