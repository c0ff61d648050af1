import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

const GOAL_SCORES_BY_HOME = 'IDX_goal_attainment_home_review';

/**
 * The quarterly report reads the goal scores of one home's reviews in a quarter. Without an index
 * on the home, PostgreSQL scans every home's scores to find them, and a home's report slows as
 * other homes are added (SPEC 7: 50 homes may cost at most 1.3x one).
 */
export class ReportIndexes1795882200000 implements MigrationInterface {
  name = 'ReportIndexes1795882200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex('goal_attainment', new TableIndex({ name: GOAL_SCORES_BY_HOME, columnNames: ['homeId', 'reviewId'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('goal_attainment', GOAL_SCORES_BY_HOME);
  }
}
