import { Module } from '@nestjs/common';
import { ActivitiesModule } from '../activities/activities.module';
import { HomesModule } from '../homes/homes.module';
import { PlansModule } from '../plans/plans.module';
import { ResidentsModule } from '../residents/residents.module';
import { VoiceModule } from '../voice/voice.module';
import { PrintablesController } from './printables.controller';
import { ReportService } from './report.service';
import { ReportsController } from './reports.controller';
import { ResidentSummaryService } from './resident-summary.service';

/**
 * The quarterly co-production report, residents' summaries and the printable calendar. It owns no
 * tables: it reads other modules' records, through aggregate queries and their services, to compute
 * figures and summaries.
 */
@Module({
  imports: [HomesModule, ResidentsModule, PlansModule, VoiceModule, ActivitiesModule],
  controllers: [ReportsController, PrintablesController],
  providers: [ReportService, ResidentSummaryService],
  exports: [ReportService],
})
export class ReportsModule {}
