import { Body, Controller, Get, Param, Post, Query, Render, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { SessionUser } from '../common/access/session-user';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { FormView } from '../common/decorators/form-view.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { flash } from '../common/http/flash';
import { ParseIdPipe } from '../common/http/parse-id.pipe';
import { localDayRange, todayIn } from '../common/time/zoned';
import { placeholders, sqlRow, sqlRows } from '../database/sql';
import { UnitOfWork } from '../database/unit-of-work';
import { Resident } from '../residents/entities/resident.entity';
import { ActivitiesService, toRosterResident } from './activities.service';
import { isActivityStaff } from './activity-access';
import { CalendarQuery } from './dto/activity.dto';
import { AddResidentDto, entriesFromForm, ParticipationFormDto } from './dto/participation.dto';
import { ENGAGEMENTS } from './activities.enums';
import { ParticipationService } from './participation.service';

/** "Today" on the ward tablet, and the log page for one activity. */
@Controller()
@Roles('admin', 'manager', 'coordinator', 'carer', 'volunteer')
export class LogController {
  constructor(
    private readonly activities: ActivitiesService,
    private readonly participation: ParticipationService,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  @Get('today')
  @Roles('admin', 'manager', 'coordinator', 'carer')
  @Render('activities/today')
  async today(@CurrentUser() user: SessionUser, @Query() query: CalendarQuery) {
    const date = query.date ?? todayIn(user.timezone);
    const unitId = query.unitId ?? (await this.ownUnit(user));
    const { start, end } = localDayRange(date, user.timezone);
    const activities = await this.activities.listBetween(user, start, end, { unitId });
    const units = user.homeIds.length === 0 ? [] : await sqlRows<{ id: string; name: string }>(
      this.unitOfWork.manager, `SELECT id, name FROM unit WHERE "homeId" IN (${placeholders(user.homeIds.length)}) AND active = ? ORDER BY name, id`, [...user.homeIds, true],
    );
    return {
      date,
      isToday: date === todayIn(user.timezone),
      unitId: unitId ?? '',
      units: units.map((u) => ({ id: u.id, name: u.name })),
      activities: activities.map((a) => ({ ...a, allLogged: a.rosterCount > 0 && a.loggedCount >= a.rosterCount })),
    };
  }

  @Get('activities/:id/log')
  @Render('activities/log')
  async logPage(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string) {
    const activity = await this.activities.summary(user, id);
    const logged = new Map((await this.participation.forActivity(user, id)).map((p) => [p.residentId, p]));
    const roster = await this.activities.rosterOf(id);
    const onRoster = new Set(roster.map((r) => r.id));
    // Only staff add residents to a log (ActivitiesService.addToRoster): a volunteer is not shown the home's other residents.
    const others = isActivityStaff(user)
      ? await this.unitOfWork.manager.find(Resident, { where: { homeId: activity.homeId, status: 'active' }, order: { lastName: 'ASC', firstName: 'ASC' } })
      : [];
    return {
      title: activity.title,
      scripts: ['/static/js/log.js'],
      activity,
      engagements: ENGAGEMENTS,
      moods: [1, 2, 3, 4, 5],
      tiles: roster.map((resident) => {
        const p = logged.get(resident.id);
        return {
          ...resident, engagement: p?.engagement ?? '', moodBefore: p?.moodBefore ?? '', moodAfter: p?.moodAfter ?? '',
          staffNote: p?.staffNote ?? '', familyNote: p?.familyNote ?? '',
        };
      }),
      addable: others.filter((r) => !onRoster.has(r.id)).map(toRosterResident),
      canLog: activity.status !== 'cancelled',
    };
  }

  @Post('activities/:id/log')
  @FormView('activities/log', {}, (c: LogController, req) => c.logPage(req.user!, req.params.id as string))
  async saveLog(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Body() body: ParticipationFormDto, @Req() req: Request, @Res() res: Response) {
    const result = await this.participation.save(user, id, entriesFromForm(body), body.complete === true);
    flash(req, 'success', { key: result.status === 'completed' ? 'activities.logSavedCompleted' : 'activities.logSaved', params: { n: result.participation.length } });
    res.redirect(303, user.role === 'volunteer' ? `/activities/${id}` : '/today');
  }

  @Post('activities/:id/log/residents')
  @FormView('activities/log', {}, (c: LogController, req) => c.logPage(req.user!, req.params.id as string))
  async addResident(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Body() body: AddResidentDto, @Res() res: Response) {
    await this.activities.addToRoster(user, id, [body.residentId]);
    res.redirect(303, `/activities/${id}/log`);
  }

  /** A carer's own unit (from their staff record), so Today opens on their ward. */
  private async ownUnit(user: SessionUser): Promise<string | undefined> {
    if (user.personKind !== 'staff' || !user.personId) return undefined;
    const staff = await sqlRow<{ unitId: string | null }>(this.unitOfWork.manager, 'SELECT "unitId" FROM staff_member WHERE id = ?', [user.personId]);
    return staff?.unitId ?? undefined;
  }
}
