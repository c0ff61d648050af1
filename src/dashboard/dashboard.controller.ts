import { Controller, Get, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ActivitiesService } from '../activities/activities.service';
import { can } from '../common/access/access-policy';
import type { SessionUser } from '../common/access/session-user';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { addDays, localDaysRange, mondayOf, todayIn } from '../common/time/zoned';
import { HomesService } from '../homes/homes.service';
import { HOME_SIDE_ROLES } from '../messages/messages.enums';
import { MessagesService } from '../messages/messages.service';
import { PlansService } from '../plans/plans.service';
import { headlineTrendView } from '../reports/headline-trend';
import { REPORT_READERS, ReportService } from '../reports/report.service';
import type { Role } from '../auth/auth.enums';
import { DashboardQuery } from './dto/dashboard-query.dto';

/** The first page after sign-in, by role: carers go to Today, families and volunteers to their portal; planners see their week. */
@Controller()
export class DashboardController {
  constructor(
    private readonly homes: HomesService,
    private readonly activities: ActivitiesService,
    private readonly plans: PlansService,
    private readonly messages: MessagesService,
    private readonly reports: ReportService,
  ) {}

  @Get()
  async index(@CurrentUser() user: SessionUser, @Query() query: DashboardQuery, @Res() res: Response) {
    // A group manager's home page is their groups' view (docs/groups.md).
    const ownHome = { carer: '/today', family: '/portal', volunteer: '/volunteer', group_manager: '/groups' } as Record<string, string>;
    if (ownHome[user.role]) {
      res.redirect(303, ownHome[user.role]);
      return;
    }
    const homes = await this.homes.listForUser(user);
    const view: Record<string, unknown> = { homes, isAdmin: user.role === 'admin' };
    // The last four quarters' headline figures, for those who may read reports; one home at a time.
    const trendHome = query.home ?? homes[0]?.id;
    if ((REPORT_READERS as readonly Role[]).includes(user.role) && trendHome) {
      view.trends = {
        ...headlineTrendView(await this.reports.headlineTrend(user, trendHome), user.locale),
        homeId: trendHome,
        choices: homes.length > 1 ? homes.map((h) => ({ id: h.id, name: h.name })) : [],
      };
    }
    if (can(user, 'planActivities')) {
      const monday = mondayOf(todayIn(user.timezone));
      const { start, end } = localDaysRange(monday, 7, user.timezone);
      const week = await this.activities.listBetween(user, start, end);
      view.planner = {
        weekStart: monday,
        weekEnd: addDays(monday, 6),
        planned: week.filter((a) => a.status === 'planned').length,
        held: week.filter((a) => a.status === 'completed').length,
        pendingOffers: await this.activities.pendingOffers(user),
        belowTarget: await this.activities.belowWeeklyTarget(user),
        plansNeedingAttention: await this.plans.overdueCount(user),
      };
    }
    // Relatives waiting for an answer, on the home page of those who answer them.
    if (HOME_SIDE_ROLES.includes(user.role)) view.familyMessages = { unanswered: await this.messages.unansweredThreads(user) };
    res.render('dashboard/index', view);
  }
}
