import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { columns, foreignKey } from './portable-columns';

/** Activity plans and reviews, suggestions, feedback, wellbeing check-ins and notifications. */
export class PlansAndVoice1795881900000 implements MigrationInterface {
  name = 'PlansAndVoice1795881900000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);
    const author = () => [
      c.varchar('authorType', 12), c.ref('authorResidentId', true), c.ref('authorFamilyMemberId', true),
      c.ref('authorVolunteerId', true), c.ref('authorStaffMemberId', true),
    ];
    const authorKeys = [
      foreignKey('authorResidentId', 'resident'), foreignKey('authorFamilyMemberId', 'family_member'),
      foreignKey('authorVolunteerId', 'volunteer'), foreignKey('authorStaffMemberId', 'staff_member'),
    ];

    await queryRunner.createTable(new Table({
      name: 'activity_plan',
      columns: [
        c.id(), ...c.timestamps(), c.ref('homeId'), c.ref('residentId'), c.integer('version', 1), c.varchar('status', 12, false, 'draft'),
        c.text('whatMattersToMe'), c.date('agreedOn'), c.date('nextReviewOn'), c.ref('createdBy', true),
      ],
      foreignKeys: [foreignKey('homeId', 'home'), foreignKey('residentId', 'resident')],
      indices: [{ columnNames: ['residentId', 'version'], isUnique: true }, { columnNames: ['homeId', 'status', 'nextReviewOn'] }],
    }));

    await queryRunner.createTable(new Table({
      name: 'plan_goal',
      columns: [
        c.id(), ...c.timestamps(), c.ref('homeId'), c.ref('planId'), c.text('description', false), c.text('categories', false),
        c.text('activityTypeIds', false), c.integer('targetPerWeek', 1), c.varchar('status', 12, false, 'active'), c.integer('position', 0),
      ],
      foreignKeys: [foreignKey('homeId', 'home'), foreignKey('planId', 'activity_plan', 'CASCADE')],
      indices: [{ columnNames: ['planId'] }],
    }));

    await queryRunner.createTable(new Table({
      name: 'plan_review',
      columns: [
        c.id(), ...c.timestamps(), c.ref('homeId'), c.ref('planId'), c.date('reviewedOn', false), c.boolean('residentTookPart', false),
        c.text('familyMemberIds', false), c.text('staffMemberIds', false), c.text('notes'), c.ref('recordedBy', true),
      ],
      foreignKeys: [foreignKey('homeId', 'home'), foreignKey('planId', 'activity_plan')],
      indices: [{ columnNames: ['planId'] }, { columnNames: ['homeId', 'reviewedOn'] }],
    }));

    await queryRunner.createTable(new Table({
      name: 'goal_attainment',
      columns: [c.id(), ...c.timestamps(), c.ref('homeId'), c.ref('reviewId'), c.ref('goalId'), c.integer('score')],
      foreignKeys: [foreignKey('homeId', 'home'), foreignKey('reviewId', 'plan_review', 'CASCADE'), foreignKey('goalId', 'plan_goal')],
      indices: [{ columnNames: ['reviewId', 'goalId'], isUnique: true }, { columnNames: ['goalId'] }],
    }));

    await queryRunner.createTable(new Table({
      name: 'suggestion',
      columns: [
        c.id(), ...c.timestamps(), c.ref('homeId'), c.ref('residentId', true), ...author(), c.ref('recordedBy', true),
        c.varchar('kind', 16), c.varchar('title', 160), c.text('body', false), c.varchar('status', 12, false, 'new'), c.text('response'),
        c.ref('respondedBy', true), c.instant('respondedAt'), c.ref('linkedActivityTypeId', true), c.ref('linkedActivityId', true),
        c.instant('lifeStoryAppliedAt'),
      ],
      foreignKeys: [
        foreignKey('homeId', 'home'), foreignKey('residentId', 'resident'), ...authorKeys,
        foreignKey('linkedActivityTypeId', 'activity_type', 'SET NULL'), foreignKey('linkedActivityId', 'activity', 'SET NULL'),
      ],
      indices: [{ columnNames: ['homeId', 'status', 'createdAt'] }, { columnNames: ['residentId'] }, { columnNames: ['authorFamilyMemberId'] }],
    }));

    await queryRunner.createTable(new Table({
      name: 'feedback',
      columns: [
        c.id(), ...c.timestamps(), c.ref('homeId'), c.ref('activityId', true), ...author(), c.ref('recordedBy', true),
        c.integer('rating'), c.text('comment'),
      ],
      foreignKeys: [foreignKey('homeId', 'home'), foreignKey('activityId', 'activity'), ...authorKeys],
      indices: [{ columnNames: ['homeId', 'createdAt'] }, { columnNames: ['activityId'] }],
    }));

    await queryRunner.createTable(new Table({
      name: 'wellbeing_check_in',
      columns: [
        c.id(), ...c.timestamps(), c.ref('homeId'), c.ref('residentId'), c.varchar('quarter', 7), c.varchar('perspective', 12),
        c.ref('familyMemberId', true), c.ref('staffMemberId', true), c.integer('doingThings'), c.integer('people'), c.integer('choice'),
        c.text('comment'), c.ref('recordedBy', true),
      ],
      foreignKeys: [foreignKey('homeId', 'home'), foreignKey('residentId', 'resident'), foreignKey('familyMemberId', 'family_member'), foreignKey('staffMemberId', 'staff_member')],
      indices: [{ columnNames: ['homeId', 'quarter'] }, { columnNames: ['residentId', 'quarter'] }],
    }));

    await queryRunner.createTable(new Table({
      name: 'notification',
      columns: [
        c.id(), ...c.timestamps(), c.ref('userId'), c.ref('homeId', true), c.varchar('kind', 30), c.varchar('messageKey', 80),
        c.text('params', false), c.varchar('link', 300, true), c.instant('readAt'),
      ],
      foreignKeys: [foreignKey('userId', 'user', 'CASCADE')],
      indices: [{ columnNames: ['userId', 'readAt'] }],
    }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['notification', 'wellbeing_check_in', 'feedback', 'suggestion', 'goal_attainment', 'plan_review', 'plan_goal', 'activity_plan']) {
      await queryRunner.dropTable(table);
    }
  }
}
