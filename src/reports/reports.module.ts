import { Module } from '@nestjs/common';
import { HomesModule } from '../homes/homes.module';
import { ReportService } from './report.service';
import { ReportsController } from './reports.controller';

/**
 * The quarterly co-production report. It owns no tables: it reads other modules' records, through
 * aggregate queries only, to compute figures.
 */
@Module({
  imports: [HomesModule],
  controllers: [ReportsController],
  providers: [ReportService],
  exports: [ReportService],
})
export class ReportsModule {}
