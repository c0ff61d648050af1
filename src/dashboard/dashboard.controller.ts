import { Controller, Get, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ActivitiesService } from '../activities/activities.service';
import { can } from '../common/access/access-policy';
import type { SessionUser } from '../common/access/session-user';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { NotFoundError } from '../common/errors/domain-errors';
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
    // Someone with several homes reads their home page one home at a time, chosen at the top (the
    // first by name without one): its week, plans, offers, residents and trends, never sums of homes.
    const home = homes.find((h) => h.id === query.home) ?? homes[0];
    if (query.home && home?.id !== query.home) throw new NotFoundError();
    const scoped: SessionUser = homes.length > 1 && home ? { ...user, homeIds: [home.id], timezone: home.timezone } : user;
    const view: Record<string, unknown> = {
      homes, isAdmin: user.role === 'admin', homeId: home?.id ?? '', homeName: homes.length > 1 ? home?.name : '',
      homeChoices: homes.length > 1 ? homes.map((h) => ({ id: h.id, name: h.name })) : [],
    };
    // The last four quarters' headline figures, for those who may read reports.
    if ((REPORT_READERS as readonly Role[]).includes(user.role) && home) {
      const trend = headlineTrendView(await this.reports.headlineTrend(user, home.id), user.locale);
      view.trends = { ...trend, reportHref: trend.to ? `/reports/quarterly?homeId=${home.id}&quarter=${trend.to}` : '/reports' };
    }
    if (can(user, 'planActivities')) {
      const monday = mondayOf(todayIn(scoped.timezone));
      const { start, end } = localDaysRange(monday, 7, scoped.timezone);
      const week = await this.activities.listBetween(scoped, start, end);
      view.planner = {
        weekStart: monday,
        weekEnd: addDays(monday, 6),
        planned: week.filter((a) => a.status === 'planned').length,
        held: week.filter((a) => a.status === 'completed').length,
        pendingOffers: await this.activities.pendingOffers(scoped),
        belowTarget: await this.activities.belowWeeklyTarget(scoped),
        plansNeedingAttention: await this.plans.overdueCount(scoped),
      };
    }
    // Relatives waiting for an answer, on the home page of those who answer them.
    if (HOME_SIDE_ROLES.includes(user.role)) view.familyMessages = { unanswered: await this.messages.unansweredThreads(scoped) };
    res.render('dashboard/index', view);
  }
}
