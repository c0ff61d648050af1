import { Body, Controller, Get, Param, Post, Query, Redirect, Render, Req } from '@nestjs/common';
import type { Request } from 'express';
import { can, rolesThat } from '../common/access/access-policy';
import type { SessionUser } from '../common/access/session-user';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { FormView } from '../common/decorators/form-view.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { NotFoundError, ValidationError } from '../common/errors/domain-errors';
import { flash } from '../common/http/flash';
import { ParseIdPipe } from '../common/http/parse-id.pipe';
import { addDays, firstOfMonth, isIsoDate, localDaysRange, mondayOf, todayIn, utcToLocal } from '../common/time/zoned';
import { ContributionsService } from '../contributions/contributions.service';
import { ContributionDto, ContributionUpdateDto } from '../contributions/dto/contribution.dto';
import { HomesService } from '../homes/homes.service';
import { homeNamer, unitChoicesOf } from '../homes/places';
import { ActivitiesService, ActivitySummary } from './activities.service';
import { ActivityPagesService } from './activity-pages.service';
import { ActivityDto, CalendarQuery, CancelActivityDto, HelpOfferDto, HelpOfferOnBehalfDto, HelpOfferResponseDto, MoveOccurrenceDto, RosterDto, RosterRemoveDto } from './dto/activity.dto';
import { Activity } from './entities/activity.entity';
import { HelpOffersService } from './help-offers.service';
import { ParticipationService } from './participation.service';
import { isoDateError } from '../common/http/form-fields';

const PLANNERS = rolesThat('planActivities');
const STAFF = rolesThat('homeStaff');

/**
 * The calendar (week and month) and the activity pages: create once or weekly, edit, cancel, the
 * roster, helpers and contributions. Volunteers read the calendar and activities to offer help.
 */
@Controller()
@Roles('admin', 'manager', 'coordinator', 'carer', 'volunteer')
export class ActivitiesController {
  constructor(
    private readonly activities: ActivitiesService,
    private readonly participation: ParticipationService,
    private readonly helpOffers: HelpOffersService,
    private readonly contributions: ContributionsService,
    private readonly pages: ActivityPagesService,
    private readonly homes: HomesService,
  ) {}

  // Calendar ---------------------------------------------------------------------------------

  @Get('calendar')
  @Render('activities/calendar')
  async calendar(@CurrentUser() user: SessionUser, @Query() query: CalendarQuery) {
    const zone = user.timezone;
    const today = todayIn(zone);
    const date = query.date ?? today;
    if (!isIsoDate(date)) throw new ValidationError({ date: isoDateError(date)! });
    const view = query.view ?? 'week';
    const places = await this.homes.places(user.homeIds);
    const { units, unitGroups } = unitChoicesOf(places);
    // Someone with several homes sees which home each activity is in.
    const homeName = homeNamer(places);
    const unitId = query.unitId?.toLowerCase();
    if (unitId && !units.some((unit) => unit.id === unitId)) throw new NotFoundError();

    // A week runs Monday to Sunday; a month shows the whole weeks that hold its days.
    const month = firstOfMonth(date);
    const nextMonth = firstOfMonth(addDays(month, 31));
    const first = view === 'week' ? mondayOf(date) : mondayOf(month);
    const end = view === 'week' ? addDays(first, 7) : addDays(mondayOf(addDays(nextMonth, -1)), 7);
    const dates: string[] = [];
    for (let day = first; day < end; day = addDays(day, 1)) dates.push(day);

    const range = localDaysRange(first, dates.length, zone);
    const byDate = new Map<string, ReturnType<typeof calendarItem>[]>();
    for (const activity of await this.activities.listBetween(user, range.start, range.end, { unitId, includeCancelled: true })) {
      byDate.set(activity.date, [...(byDate.get(activity.date) ?? []), calendarItem(activity, homeName(activity.homeId))]);
    }
    const days = dates.map((day, index) => ({
      date: day, dayNumber: Number(day.slice(8)), weekday: (index % 7) + 1, isToday: day === today,
      inMonth: view === 'week' || day.slice(0, 7) === month.slice(0, 7), activities: byDate.get(day) ?? [],
    }));
    const link = (target: string, targetView: string = view) => `/calendar?${new URLSearchParams({ view: targetView, date: target, ...(unitId ? { unitId } : {}) }).toString()}`;
    return {
      view,
      isWeek: view === 'week',
      date,
      first,
      last: dates[dates.length - 1],
      monthNumber: Number(month.slice(5, 7)),
      year: month.slice(0, 4),
      unitId: unitId ?? '',
      units,
      unitGroups,
      days,
      weeks: view === 'month' ? Array.from({ length: days.length / 7 }, (_, week) => days.slice(week * 7, week * 7 + 7)) : [],
      weekdays: [1, 2, 3, 4, 5, 6, 7],
      isEmpty: byDate.size === 0,
      previousUrl: link(view === 'week' ? addDays(first, -7) : firstOfMonth(addDays(month, -1))),
      nextUrl: link(view === 'week' ? addDays(first, 7) : nextMonth),
      todayUrl: link(today),
      weekUrl: link(date, 'week'),
      monthUrl: link(date, 'month'),
      canPlan: can(user, 'planActivities'),
    };
  }

  // Creating and editing ---------------------------------------------------------------------

  @Get('activities/new')
  @Roles(...PLANNERS)
  @Render('activities/form')
  async newActivity(@CurrentUser() user: SessionUser, @Query('date') date?: string) {
    return {
      ...(await this.formContext(user)),
      isNew: true,
      formAction: '/activities',
      values: {
        // No length: the type chosen gives it (the form's script shows it; without one, the save fills it).
        date: typeof date === 'string' && isIsoDate(date) ? date : todayIn(user.timezone), time: '10:00', visibleToFamilies: true,
        repeat: 'never', interval: 1, monthPosition: 1, ends: 'until',
      },
    };
  }

  @Post('activities')
  @Roles(...PLANNERS)
  @Redirect('/calendar', 303)
  @FormView('activities/form', { isNew: true }, (c: ActivitiesController, req) => c.formContext(req.user!))
  async create(@CurrentUser() user: SessionUser, @Body() body: ActivityDto, @Req() req: Request) {
    const created = await this.activities.create(user, body);
    flash(req, 'success', created[0]?.seriesId ? { key: 'series.created', params: { n: created.length } } : { key: 'calendar.created' });
    return { url: `/activities/${created[0].id}` };
  }

  @Get('activities/:id')
  @Render('activities/show')
  async show(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string) {
    return this.pages.detail(user, id);
  }

  @Get('activities/:id/edit')
  @Roles(...PLANNERS)
  @Render('activities/form')
  async edit(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string) {
    const activity = await this.activities.get(user, id);
    if (activity.status === 'cancelled') throw new ValidationError({}, { key: 'activities.cancelledNoChanges' });
    const start = utcToLocal(activity.startsAt, await this.homes.timezoneOf(activity.homeId));
    const series = activity.seriesId ? await this.pages.seriesFormValues(activity.seriesId) : null;
    return {
      ...(await this.formContext(user, activity)),
      isNew: false,
      inSeries: series !== null,
      formAction: `/activities/${id}`,
      activityId: id,
      title: activity.title,
      values: {
        activityTypeId: activity.activityTypeId, title: activity.title, date: start.date, time: start.time, durationMinutes: activity.durationMinutes,
        location: activity.location ?? '', unitId: activity.unitId ?? '', capacity: activity.capacity ?? '', leadStaffId: activity.leadStaffId ?? '',
        description: activity.description ?? '', visibleToFamilies: activity.visibleToFamilies, phases: activity.phases,
        ...(series ? { ...series, scope: 'this' } : {}),
      },
    };
  }

  @Post('activities/:id')
  @Roles(...PLANNERS)
  @Redirect('/calendar', 303)
  @FormView('activities/form', { isNew: false }, (c: ActivitiesController, req) => c.editContext(req))
  async update(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Body() body: ActivityDto, @Req() req: Request) {
    const { changed, movedUp } = await this.activities.update(user, id, body);
    flash(req, 'success', body.scope === 'following' || body.scope === 'series' ? { key: 'series.savedSeries', params: { n: changed } } : { key: 'calendar.saved' });
    flashMovedUp(req, movedUp);
    return { url: `/activities/${id}` };
  }

  @Post('activities/:id/skip')
  @Roles(...PLANNERS)
  @Redirect('/calendar', 303)
  @FormView('activities/show', { failedForm: 'skip' }, (c: ActivitiesController, req) => c.detailContext(req))
  async skip(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Req() req: Request) {
    await this.activities.skipOccurrence(user, id);
    flash(req, 'success', { key: 'series.skipped' });
    return { url: `/activities/${id}` };
  }

  @Post('activities/:id/move')
  @Roles(...PLANNERS)
  @Redirect('/calendar', 303)
  @FormView('activities/show', { failedForm: 'move' }, (c: ActivitiesController, req) => c.detailContext(req))
  async move(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Body() body: MoveOccurrenceDto, @Req() req: Request) {
    await this.activities.moveOccurrence(user, id, body);
    flash(req, 'success', { key: 'series.moved' });
    return { url: `/activities/${id}` };
  }

  @Post('activities/:id/cancel')
  @Roles(...PLANNERS)
  @Redirect('/calendar', 303)
  @FormView('activities/show', { failedForm: 'cancel' }, (c: ActivitiesController, req) => c.detailContext(req))
  async cancel(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Body() body: CancelActivityDto, @Req() req: Request) {
    await this.activities.cancel(user, id, body.reason);
    flash(req, 'success', { key: 'calendar.cancelled' });
    return { url: `/activities/${id}` };
  }

  /** A cancellation made by mistake is undone from the activity's page. */
  @Post('activities/:id/restore')
  @Roles(...PLANNERS)
  @Redirect('/calendar', 303)
  @FormView('activities/show', { failedForm: 'restore' }, (c: ActivitiesController, req) => c.detailContext(req))
  async restore(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Req() req: Request) {
    await this.activities.restore(user, id);
    flash(req, 'success', { key: 'calendar.restored' });
    return { url: `/activities/${id}` };
  }

  // Roster -----------------------------------------------------------------------------------

  @Post('activities/:id/roster')
  @Roles(...PLANNERS)
  @Redirect('/calendar', 303)
  @FormView('activities/show', { failedForm: 'roster' }, (c: ActivitiesController, req) => c.detailContext(req))
  async addToRoster(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Body() body: RosterDto, @Req() req: Request) {
    const result = await this.activities.invite(user, id, body);
    flash(req, 'success', { key: 'calendar.rosterInvited', params: { n: result.invited, w: result.waitlisted } });
    if (result.others > 0) flash(req, 'success', { key: 'calendar.appliedToFollowing', params: { n: result.others } });
    return { url: `/activities/${id}#roster` };
  }

  @Post('activities/:id/roster/:residentId/remove')
  @Roles(...PLANNERS)
  @Redirect('/calendar', 303)
  @FormView('activities/show', { failedForm: 'removeResident' }, (c: ActivitiesController, req) => c.detailContext(req))
  async removeFromRoster(
    @CurrentUser() user: SessionUser,
    @Param('id', ParseIdPipe) id: string,
    @Param('residentId', ParseIdPipe) residentId: string,
    @Body() body: RosterRemoveDto,
    @Req() req: Request,
  ) {
    const { movedUp, others } = await this.activities.removeFromRoster(user, id, residentId, body.occurrences);
    flash(req, 'success', { key: 'calendar.rosterRemoved' });
    if (others > 0) flash(req, 'success', { key: 'calendar.appliedToFollowing', params: { n: others } });
    flashMovedUp(req, movedUp);
    return { url: `/activities/${id}#roster` };
  }

  // Help offers ------------------------------------------------------------------------------

  @Post('activities/:id/offers')
  @Roles('volunteer')
  @Redirect('/calendar', 303)
  @FormView('activities/show', { failedForm: 'offer' }, (c: ActivitiesController, req) => c.detailContext(req))
  async offer(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Body() body: HelpOfferDto, @Req() req: Request) {
    await this.helpOffers.offer(user, id, body);
    flash(req, 'success', { key: 'calendar.offerSent' });
    return { url: `/activities/${id}#helpers` };
  }

  @Post('activities/:id/offers/on-behalf')
  @Roles(...PLANNERS)
  @Redirect('/calendar', 303)
  @FormView('activities/show', { failedForm: 'onBehalf' }, (c: ActivitiesController, req) => c.detailContext(req))
  async offerOnBehalf(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Body() body: HelpOfferOnBehalfDto, @Req() req: Request) {
    await this.helpOffers.offerOnBehalf(user, id, body);
    flash(req, 'success', { key: 'calendar.offerRecorded' });
    return { url: `/activities/${id}#helpers` };
  }

  @Post('activities/:id/offers/:offerId/respond')
  @Roles(...PLANNERS)
  @Redirect('/calendar', 303)
  @FormView('activities/show', { failedForm: 'respond' }, (c: ActivitiesController, req) => c.detailContext(req))
  async respond(
    @CurrentUser() user: SessionUser,
    @Param('id', ParseIdPipe) id: string,
    @Param('offerId', ParseIdPipe) offerId: string,
    @Body() body: HelpOfferResponseDto,
    @Req() req: Request,
  ) {
    await this.assertOfferOn(user, id, offerId);
    await this.helpOffers.respond(user, offerId, body.status);
    flash(req, 'success', { key: body.status === 'confirmed' ? 'calendar.offerConfirmed' : 'calendar.offerDeclined' });
    return { url: `/activities/${id}#helpers` };
  }

  @Post('activities/:id/offers/:offerId/withdraw')
  @Roles(...PLANNERS, 'volunteer')
  @Redirect('/calendar', 303)
  @FormView('activities/show', { failedForm: 'withdraw' }, (c: ActivitiesController, req) => c.detailContext(req))
  async withdraw(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Param('offerId', ParseIdPipe) offerId: string, @Req() req: Request) {
    await this.assertOfferOn(user, id, offerId);
    await this.helpOffers.withdraw(user, offerId);
    flash(req, 'success', { key: 'calendar.offerWithdrawn' });
    return { url: `/activities/${id}#helpers` };
  }

  // Contributions ----------------------------------------------------------------------------

  @Post('activities/:id/contributions')
  @Roles(...STAFF)
  @Redirect('/calendar', 303)
  @FormView('activities/show', { failedForm: 'contribution' }, (c: ActivitiesController, req) => c.detailContext(req))
  async addContribution(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Body() body: ContributionDto, @Req() req: Request) {
    await this.contributions.record(user, await this.activities.get(user, id), body);
    flash(req, 'success', { key: 'contributions.recorded' });
    return { url: `/activities/${id}#contributions` };
  }

  @Post('activities/:id/contributions/:contributionId')
  @Roles(...PLANNERS)
  @Redirect('/calendar', 303)
  @FormView('activities/show', { failedForm: 'editContribution' }, (c: ActivitiesController, req) => c.detailContext(req))
  async updateContribution(
    @CurrentUser() user: SessionUser,
    @Param('id', ParseIdPipe) id: string,
    @Param('contributionId', ParseIdPipe) contributionId: string,
    @Body() body: ContributionUpdateDto,
    @Req() req: Request,
  ) {
    await this.activities.get(user, id);
    const onActivity = await this.contributions.listForActivity(user, id);
    if (!onActivity.some((c) => c.id === contributionId)) throw new NotFoundError();
    await this.contributions.update(user, contributionId, body);
    flash(req, 'success', { key: 'contributions.saved' });
    return { url: `/activities/${id}#contributions` };
  }

  // Page models ------------------------------------------------------------------------------

  /** The detail page again after a rejected form on it; `failedId` marks the row whose form failed. */
  async detailContext(req: Request) {
    const id = new ParseIdPipe().transform(req.params.id as string);
    const params = req.params as Record<string, string | undefined>;
    return { ...(await this.pages.detail(req.user!, id)), failedId: params.offerId ?? params.contributionId ?? params.residentId ?? '' };
  }

  async formContext(user: SessionUser, current?: Activity) {
    return this.pages.formContext(user, current);
  }

  /** The edit page again after a rejected save, without the stored values (what was typed replaces them). */
  async editContext(req: Request) {
    return { ...(await this.edit(req.user!, new ParseIdPipe().transform(req.params.id as string))), values: {} };
  }

  /** An offer is answered through the page of its own activity only. */
  private async assertOfferOn(user: SessionUser, activityId: string, offerId: string): Promise<void> {
    const offers = await this.helpOffers.forActivity(user, activityId);
    if (!offers.some((o) => o.id === offerId)) throw new NotFoundError();
  }
}

/** Says who moved up from the waiting list into a place freed or added. */
function flashMovedUp(req: Request, names: string[]): void {
  if (names.length > 0) flash(req, 'info', { key: 'calendar.movedUp', params: { n: names.length, names: names.join(', ') } });
}

function calendarItem(a: ActivitySummary, homeName: string) {
  return {
    id: a.id, homeName, title: a.title, time: a.time, endTime: a.endTime, typeName: a.typeName, unitName: a.unitName, location: a.location,
    status: a.status, cancelled: a.status === 'cancelled', rosterCount: a.rosterCount,
  };
}
