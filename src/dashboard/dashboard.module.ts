import { Module } from '@nestjs/common';
import { HomesModule } from '../homes/homes.module';
import { DashboardController } from './dashboard.controller';

@Module({ imports: [HomesModule], controllers: [DashboardController] })
export class DashboardModule {}
