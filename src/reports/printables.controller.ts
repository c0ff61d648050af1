import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ActivitiesService } from '../activities/activities.service';
import { CalendarQuery } from '../activities/dto/activity.dto';
import { sendAs } from '../common/http/download-name';
import type { SessionUser } from '../common/access/session-user';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { NotFoundError, ValidationError } from '../common/errors/domain-errors';
import { ParseIdPipe } from '../common/http/parse-id.pipe';
import { clientIp } from '../common/http/session';
import { addDays, firstOfMonth, isIsoDate, localDaysRange, mondayOf, todayIn } from '../common/time/zoned';
import { HomesService, HomeView } from '../homes/homes.service';
import { CalendarSheet, renderCalendarPdf } from './pdf/calendar.pdf';
import { renderResidentWeekPdf, ResidentWeekSheet } from './pdf/resident-week.pdf';
import { ResidentWeekQuery } from './dto/report-query.dto';
import { ResidentsService } from '../residents/residents.service';
import { rolesThat } from '../common/access/access-policy';
import { renderResidentSummaryPdf } from './pdf/resident-summary.pdf';
import { ResidentSummaryService } from './resident-summary.service';
import { isoDateError } from '../common/http/form-fields';

/** Who reads the calendar page, and so may print it. */
const CALENDAR_READERS = ['admin', 'manager', 'coordinator', 'carer', 'volunteer'] as const;

/**
 * Printable PDFs beside the pages they come from: a resident's summary (staff, and relatives as the
 * resident's consent allows; volunteers and anyone else are told it is not found) and the activity
 * calendar for noticeboards (whoever reads the calendar page).
 */
@Controller()
export class PrintablesController {
  constructor(
    private readonly summaries: ResidentSummaryService,
    private readonly activities: ActivitiesService,
    private readonly homes: HomesService,
    private readonly residents: ResidentsService,
  ) {}

  @Get('residents/:id/summary.pdf')
  @Roles('admin', 'manager', 'coordinator', 'carer', 'family', 'volunteer')
  async residentSummary(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const summary = await this.summaries.exportFor(user, id, { ip: clientIp(req), userAgent: req.get('user-agent') });
    res.setHeader('Content-Type', 'application/pdf');
    sendAs(res, 'attachment', req.locale, 'residentSummary', { name: summary.profile.fullName, date: summary.meta.to }, 'pdf');
    await renderResidentSummaryPdf(summary, { locale: req.locale }, res);
  }

  /**
   * A resident's week in large print, for their room (issue 19 item 5): the activities they are
   * invited to, Monday to Sunday. Home staff only: it is the resident's own schedule.
   */
  @Get('residents/:id/week.pdf')
  @Roles(...rolesThat('homeStaff'))
  async residentWeek(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Query() query: ResidentWeekQuery, @Req() req: Request, @Res() res: Response): Promise<void> {
    const sheet = await this.residentWeekSheet(user, id, query.date);
    res.setHeader('Content-Type', 'application/pdf');
    sendAs(res, 'inline', req.locale, 'residentWeek', { name: sheet.name, date: sheet.first }, 'pdf');
    await renderResidentWeekPdf(sheet, { locale: req.locale }, res);
  }

  /** The week of `date` (this week in the home's zone when not given) as the resident's sheet. */
  private async residentWeekSheet(user: SessionUser, id: string, date: string | undefined): Promise<ResidentWeekSheet> {
    const resident = await this.residents.get(user, id);
    const places = await this.homes.places([resident.homeId]);
    const home = places.homes.get(resident.homeId)!;
    const zone = home.timezone;
    const first = mondayOf(date ?? todayIn(zone));
    const dates = Array.from({ length: 7 }, (_, i) => addDays(first, i));
    const range = localDaysRange(first, 7, zone);
    const activities = await this.activities.listBetween(user, range.start, range.end, { homeId: resident.homeId }, places);
    const invited = new Set((await this.activities.rosterPairs([resident.id], activities.map((a) => a.id))).map((pair) => pair.activityId));
    return {
      name: resident.displayName,
      room: resident.room ?? null,
      homeName: home.name,
      timezone: zone,
      first,
      last: dates[6],
      days: dates.map((day) => ({
        date: day,
        items: activities.filter((a) => a.date === day && invited.has(a.id)).map((a) => ({ time: a.time, title: a.title, location: a.location, category: a.category })),
      })),
      generatedAt: new Date().toISOString(),
      generatedBy: user.displayName,
    };
  }

  /** The week or month the calendar page shows (same query, same days), as a PDF to print. */
  @Get('calendar.pdf')
  @Roles(...CALENDAR_READERS)
  async calendar(@CurrentUser() user: SessionUser, @Query() query: CalendarQuery, @Req() req: Request, @Res() res: Response): Promise<void> {
    const sheet = await this.calendarSheet(user, query);
    res.setHeader('Content-Type', 'application/pdf');
    sendAs(res, 'inline', req.locale, sheet.view === 'week' ? 'calendarWeek' : 'calendarMonth', { date: sheet.first, paper: query.paper === 'a3' ? 'a3' : '' }, 'pdf');
    await renderCalendarPdf(sheet, { locale: req.locale, paper: query.paper }, res);
  }

  /**
   * The calendar page's rules: a week runs Monday to Sunday, a month is shown in whole weeks; a unit
   * must be one of the reader's (else 404) and its calendar includes whole-home activities. Cancelled
   * activities are left off a noticeboard.
   */
  private async calendarSheet(user: SessionUser, query: CalendarQuery): Promise<CalendarSheet> {
    const view = query.view ?? 'week';
    const unitId = query.unitId?.toLowerCase();
    const homes = await this.homes.listForUser(user);
    let home: HomeView | null = homes.length === 1 ? homes[0] : null;
    let unitName: string | null = null;
    if (unitId) {
      const found = await this.unitOf(user, homes, unitId);
      home = found.home;
      unitName = found.name;
    }
    const zone = home?.timezone ?? user.timezone;
    const date = query.date ?? todayIn(zone);
    if (!isIsoDate(date)) throw new ValidationError({ date: isoDateError(date)! });

    const month = firstOfMonth(date);
    const nextMonth = firstOfMonth(addDays(month, 31));
    const first = view === 'week' ? mondayOf(date) : mondayOf(month);
    const end = view === 'week' ? addDays(first, 7) : addDays(mondayOf(addDays(nextMonth, -1)), 7);
    const dates: string[] = [];
    for (let day = first; day < end; day = addDays(day, 1)) dates.push(day);
    const inPeriod = (day: string) => view === 'week' || day.slice(0, 7) === month.slice(0, 7);

    const range = localDaysRange(first, dates.length, zone);
    const activities = (await this.activities.listBetween(user, range.start, range.end, { unitId }))
      .filter((a) => !home || a.homeId === home.id);
    // A sheet of several homes' activities names each one's home, as the calendar page does.
    const homeNames = new Map(homes.map((h) => [h.id, h.name]));
    const where = (a: { homeId: string; location: string | null }) =>
      home ? a.location : [homeNames.get(a.homeId), a.location].filter(Boolean).join(' · ') || null;
    return {
      view,
      homeName: home?.name ?? homes.map((h) => h.name).join(', '),
      unitName,
      timezone: zone,
      first: view === 'week' ? first : month,
      last: view === 'week' ? dates[6] : addDays(nextMonth, -1),
      days: dates.map((day) => ({
        date: day,
        inPeriod: inPeriod(day),
        items: inPeriod(day)
          ? activities.filter((a) => a.date === day).map((a) => ({ time: a.time, endTime: a.endTime, title: a.title, location: where(a) }))
          : [],
      })),
      generatedAt: new Date().toISOString(),
      generatedBy: user.displayName,
    };
  }

  /** An active unit of one of the reader's homes, with its home; any other is not found. */
  private async unitOf(user: SessionUser, homes: HomeView[], unitId: string): Promise<{ home: HomeView; name: string }> {
    for (const home of homes) {
      const unit = (await this.homes.get(user, home.id)).units.find((u) => u.id === unitId && u.active);
      if (unit) return { home, name: unit.name };
    }
    throw new NotFoundError();
  }
}

/** "Nives Mazzoni" -> "nives-mazzoni": a name safe in a download's file name. */
