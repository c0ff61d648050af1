import { Injectable } from '@nestjs/common';
import type { SessionUser } from '../common/access/session-user';
import { ForbiddenError, ValidationError } from '../common/errors/domain-errors';
import { lastCompleteQuarter, quarterRange, recentQuarters } from '../common/time/quarter';
import { todayIn } from '../common/time/zoned';
import { HomesService } from '../homes/homes.service';
import { ReportService } from '../reports/report.service';
import { groupTable, GroupSort, GroupTable, SortDirection } from './group-view';

/** Who reads a group view: admins every group, group managers theirs (docs/groups.md). */
export const GROUP_VIEWERS = ['admin', 'group_manager'] as const;

export interface GroupViewModel {
  group: { id: string; name: string; reachedThreshold: number | null };
  quarter: string;
  quarters: string[];
  inProgress: boolean;
  table: GroupTable;
}

/** The group view's figures: the group's homes (404 for a group the reader does not lead), then one grouped pass of the report's queries. */
@Injectable()
export class GroupViewService {
  constructor(private readonly homes: HomesService, private readonly reports: ReportService) {}

  async view(user: SessionUser, groupId: string, quarter: string | undefined, sort: GroupSort, dir: SortDirection, now = new Date()): Promise<GroupViewModel> {
    if (!(GROUP_VIEWERS as readonly string[]).includes(user.role)) throw new ForbiddenError();
    const { group, homes } = await this.homes.group(user, groupId);
    const today = todayIn(homes[0]?.timezone ?? user.timezone, now);
    const chosen = quarter ?? lastCompleteQuarter(today);
    // A quarter to come has no figures: a table of zeros would flag every home.
    if (quarterRange(chosen).first > today) throw new ValidationError({ quarter: { key: 'reports.quarterNotStarted' } });
    const figures = await this.reports.groupHeadlines(homes, chosen, now);
    return {
      group: { id: group.id, name: group.name, reachedThreshold: group.reachedThreshold },
      quarter: chosen,
      quarters: recentQuarters(today),
      inProgress: [...figures.values()].some((f) => f.inProgress),
      table: groupTable(homes, figures, group.reachedThreshold, sort, dir),
    };
  }
}
