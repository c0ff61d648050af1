import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ActivitiesModule } from '../activities/activities.module';
import { HomesModule } from '../homes/homes.module';
import { PlansModule } from '../plans/plans.module';
import { ResidentsModule } from '../residents/residents.module';
import { VoiceModule } from '../voice/voice.module';
import { IssuedReport } from './entities/issued-report.entity';
import { IssuedReportsService } from './issued-reports.service';
import { PrintablesController } from './printables.controller';
import { ReportService } from './report.service';
import { ReportsController } from './reports.controller';
import { ResidentSummaryService } from './resident-summary.service';

/**
 * The quarterly co-production report, residents' summaries and the printable calendar. It reads
 * other modules' records, through aggregate queries and their services, to compute figures and
 * summaries; it owns one table, the issued reports (issue 18).
 */
@Module({
  imports: [TypeOrmModule.forFeature([IssuedReport]), HomesModule, ResidentsModule, PlansModule, VoiceModule, ActivitiesModule],
  controllers: [ReportsController, PrintablesController],
  providers: [ReportService, IssuedReportsService, ResidentSummaryService],
  exports: [ReportService],
})
export class ReportsModule {}
