import { Module } from '@nestjs/common';
import { ActivitiesModule } from '../activities/activities.module';
import { HomesModule } from '../homes/homes.module';
import { MessagesModule } from '../messages/messages.module';
import { PlansModule } from '../plans/plans.module';
import { ReportsModule } from '../reports/reports.module';
import { DashboardController } from './dashboard.controller';

@Module({ imports: [HomesModule, ActivitiesModule, PlansModule, MessagesModule, ReportsModule], controllers: [DashboardController] })
export class DashboardModule {}
