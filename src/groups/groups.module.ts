import { Module } from '@nestjs/common';
import { HomesModule } from '../homes/homes.module';
import { ReportsModule } from '../reports/reports.module';
import { GroupViewService } from './group-view.service';
import { GroupsController } from './groups.controller';

/**
 * The group view and a group's settings (docs/groups.md). Owns no table: the groups are the homes
 * module's, the figures the reports module's.
 */
@Module({
  imports: [HomesModule, ReportsModule],
  controllers: [GroupsController],
  providers: [GroupViewService],
})
export class GroupsModule {}
