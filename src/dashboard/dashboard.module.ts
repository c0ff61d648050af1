import { Module } from '@nestjs/common';
import { ActivitiesModule } from '../activities/activities.module';
import { HomesModule } from '../homes/homes.module';
import { DashboardController } from './dashboard.controller';

@Module({ imports: [HomesModule, ActivitiesModule], controllers: [DashboardController] })
export class DashboardModule {}
