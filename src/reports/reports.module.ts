import { Module, OnModuleInit } from '@nestjs/common';
import { SummaryUpkeep } from '../database/summary-upkeep';
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
import { rebuildTallies, refreshTallies } from './tally/headline-tally';

/**
 * The quarterly co-production report, residents' summaries and the printable calendar. It reads
 * other modules' records, through aggregate queries and their services, to compute figures and
 * summaries; it owns the issued reports (issue 18) and the group view's summary tables, which the
 * writers of what they count keep current through SummaryUpkeep (docs/groups.md).
 */
@Module({
  imports: [TypeOrmModule.forFeature([IssuedReport]), HomesModule, ResidentsModule, PlansModule, VoiceModule, ActivitiesModule],
  controllers: [ReportsController, PrintablesController],
  providers: [ReportService, IssuedReportsService, ResidentSummaryService],
  exports: [ReportService],
})
export class ReportsModule implements OnModuleInit {
  constructor(private readonly summaries: SummaryUpkeep) {}

  /** The writers below report changes to the group view's summary tables, which this module owns (docs/groups.md). */
  onModuleInit(): void {
    this.summaries.supply({
      activitiesChanged: (m, activityIds) => refreshTallies(m, activityIds),
      homesChanged: async (m, homeIds) => {
        await rebuildTallies(m, homeIds);
      },
    });
  }
}
