import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ActivitiesModule } from '../activities/activities.module';
import { ContributionsModule } from '../contributions/contributions.module';
import { FamiliesModule } from '../families/families.module';
import { HomesModule } from '../homes/homes.module';
import { ResidentsModule } from '../residents/residents.module';
import { StaffModule } from '../staff/staff.module';
import { ActivityPlan } from './entities/activity-plan.entity';
import { ActivityPlanHistory } from './entities/activity-plan-history.entity';
import { GoalAttainment } from './entities/goal-attainment.entity';
import { PlanGoal } from './entities/plan-goal.entity';
import { PlanReview } from './entities/plan-review.entity';
import { OverduePlansController } from './overdue-plans.controller';
import { PlanRecords } from './plan-records.service';
import { PlanWritesService } from './plan-writes.service';
import { PlansController } from './plans.controller';
import { PlansService } from './plans.service';

/** Residents' activity plans, their goals and reviews. */
@Module({
  imports: [TypeOrmModule.forFeature([ActivityPlan, ActivityPlanHistory, PlanGoal, PlanReview, GoalAttainment]), ContributionsModule, ResidentsModule, HomesModule, ActivitiesModule, FamiliesModule, StaffModule],
  controllers: [PlansController, OverduePlansController],
  providers: [PlansService, PlanWritesService, PlanRecords],
  exports: [PlansService],
})
export class PlansModule {}
