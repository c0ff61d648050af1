import { Body, Controller, Get, Param, Post, Query, Redirect, Render, Req } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, IsUUID } from 'class-validator';
import type { Request } from 'express';
import { DateTime } from 'luxon';
import { assertHomeAccess } from '../common/access/home-scope';
import type { SessionUser } from '../common/access/session-user';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { FormView } from '../common/decorators/form-view.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { ValidationError } from '../common/errors/domain-errors';
import { flash } from '../common/http/flash';
import { blankToNull, IsIsoDate, isoDateError } from '../common/http/form-fields';
import { ParseIdPipe } from '../common/http/parse-id.pipe';
import { isIsoDate, todayIn } from '../common/time/zoned';
import { hoursText } from '../common/views/format';
import { HomesService } from '../homes/homes.service';
import { ContributionsService } from './contributions.service';
import { ContributionDto, ContributionUpdateDto } from './dto/contribution.dto';
import { ACTOR_TYPES, PHASES } from './contributions.enums';

const PLANNERS = ['admin', 'manager', 'coordinator'] as const;
/** Offers the people of the kind chosen only (the form works without it). */
const CONTRIBUTION_FORM_SCRIPT = '/static/js/contribution-form.js';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** GET /contributions: which home and which dates (both included) to list. */
export class ProgrammeContributionsQuery {
  @IsOptional()
  @Transform(blankToNull)
  @IsUUID()
  homeId?: string | null;

  @IsOptional()
  @Transform(blankToNull)
  @IsIsoDate()
  @IsString()
  from?: string | null;

  @IsOptional()
  @Transform(blankToNull)
  @IsIsoDate()
  @IsString()
  to?: string | null;
}

/** The list filters carried in a form's address (?homeId=&from=&to=), the ones that make sense only. */
function listFilters(req: Request): { homeId?: string; from?: string; to?: string } {
  const query = req.query as Record<string, unknown>;
  const pick = (name: string) => (typeof query[name] === 'string' && query[name] ? (query[name] as string) : undefined);
  const homeId = pick('homeId');
  const from = pick('from');
  const to = pick('to');
  return {
    ...(homeId && UUID.test(homeId) ? { homeId: homeId.toLowerCase() } : {}),
    ...(from && isIsoDate(from) ? { from } : {}),
    ...(to && isIsoDate(to) ? { to } : {}),
  };
}

/** Programme-wide contributions (not tied to one activity): the list for a period, and the form to record one. */
@Controller('contributions')
@Roles(...PLANNERS)
export class ContributionsController {
  constructor(
    private readonly contributions: ContributionsService,
    private readonly homes: HomesService,
  ) {}

  @Get()
  @Render('contributions/index')
  async index(@CurrentUser() user: SessionUser, @Query() query: ProgrammeContributionsQuery, @Req() req: Request) {
    return this.page(user, req.locale, query.homeId ?? undefined, query.from ?? undefined, query.to ?? undefined);
  }

  @Post()
  @Redirect('/contributions', 303)
  @FormView('contributions/index', { failedForm: 'record' }, (c: ContributionsController, req) =>
    c.page(req.user!, req.locale, typeof req.body?.homeId === 'string' && req.body.homeId ? req.body.homeId : undefined))
  async record(@CurrentUser() user: SessionUser, @Body() body: ContributionDto, @Req() req: Request) {
    const saved = await this.contributions.record(user, null, body);
    flash(req, 'success', { key: 'contributions.recorded' });
    return { url: this.listUrl(body.homeId ?? undefined, saved.date) };
  }

  @Post(':id')
  @Redirect('/contributions', 303)
  @FormView('contributions/index', { failedForm: 'edit' }, (c: ContributionsController, req) => c.editContext(req))
  async update(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Body() body: ContributionUpdateDto, @Req() req: Request) {
    await this.contributions.update(user, id, body);
    flash(req, 'success', { key: 'contributions.saved' });
    return { url: `/contributions?${new URLSearchParams(listFilters(req)).toString()}` };
  }

  /** The list page: one home (the user's first unless chosen), from the first to the last day of the current quarter unless given. */
  async page(user: SessionUser, locale: string, requestedHomeId?: string, from?: string, to?: string) {
    const homes = await this.homes.listForUser(user);
    if (requestedHomeId) assertHomeAccess(user, requestedHomeId);
    const home = homes.find((h) => h.id === requestedHomeId) ?? homes[0];
    const base = { phases: PHASES, actorTypes: ACTOR_TYPES, scripts: [CONTRIBUTION_FORM_SCRIPT] };
    if (!home) return { ...base, noHome: true, homes: [], contributions: [], people: [], filters: {} };
    const today = todayIn(home.timezone);
    const quarter = DateTime.fromISO(today, { zone: 'UTC' });
    const range = { from: from ?? quarter.startOf('quarter').toISODate()!, to: to ?? quarter.endOf('quarter').toISODate()! };
    for (const field of ['from', 'to'] as const) {
      if (!isIsoDate(range[field])) throw new ValidationError({ [field]: isoDateError(range[field])! });
    }
    if (range.from > range.to) throw new ValidationError({ to: { key: 'calendar.toBeforeFrom' } });
    const contributions = await this.contributions.listProgrammeWide(user, home.id, range.from, range.to);
    const totalMinutes = contributions.reduce((sum, c) => sum + c.minutes, 0);
    return {
      ...base,
      homeId: home.id,
      homeName: home.name,
      homes: homes.length > 1 ? homes.map((h) => ({ id: h.id, name: h.name })) : [],
      filters: { homeId: home.id, ...range },
      contributions,
      totalHours: hoursText(totalMinutes, locale),
      people: await this.contributions.peopleOfHome(home.id),
      /** What the record form starts with (the submitted values replace it after a rejected submit). */
      recordDefaults: { date: today, minutes: 0 },
    };
  }

  /** The list the edited row was on (its filters travel in the form's address), with that row marked. */
  async editContext(req: Request) {
    const { homeId, from, to } = listFilters(req);
    return { ...(await this.page(req.user!, req.locale, homeId, from, to)), failedId: req.params.id };
  }

  private listUrl(homeId: string | undefined, date: string): string {
    const params = new URLSearchParams({ ...(homeId ? { homeId } : {}) });
    // Show the quarter the new contribution falls in, so it appears in the list.
    const day = DateTime.fromISO(date, { zone: 'UTC' });
    params.set('from', day.startOf('quarter').toISODate()!);
    params.set('to', day.endOf('quarter').toISODate()!);
    return `/contributions?${params.toString()}`;
  }
}
