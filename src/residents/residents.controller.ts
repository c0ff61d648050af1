import { Body, Controller, Get, Param, Post, Query, Redirect, Render, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { weeklyBadge } from './weekly-badge';
import { AuthService } from '../auth/auth.service';
import { can, roleLens, rolesThat } from '../common/access/access-policy';
import type { SessionUser } from '../common/access/session-user';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { FormView } from '../common/decorators/form-view.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { ValidationError } from '../common/errors/domain-errors';
import { flash } from '../common/http/flash';
import { ImageUpload } from '../common/images/image-upload';
import { ParseIdPipe } from '../common/http/parse-id.pipe';
import { todayIn } from '../common/time/zoned';
import { HomesService } from '../homes/homes.service';
import { homeNamer, unitChoicesOf } from '../homes/places';
import { ConsentDto, DischargeDto, ResidentDto, ResidentListQuery } from './dto/resident.dto';
import { FamilyLinksService } from './family-links.service';
import { PARTICIPATION_WEEKS, RECENT_PARTICIPATION, ResidentActivityFacts } from './resident-activity-facts';
import { participationChartView } from './participation-chart';
import { ResidentPhotos } from './resident-photos';
import { PAGE_SIZE, ResidentsService } from './residents.service';

const EDITORS = rolesThat('editResidents');

@Controller('residents')
@Roles('admin', 'manager', 'coordinator', 'carer', 'family', 'volunteer')
export class ResidentsController {
  constructor(
    private readonly residents: ResidentsService,
    private readonly familyLinks: FamilyLinksService,
    private readonly photos: ResidentPhotos,
    private readonly homes: HomesService,
    private readonly auth: AuthService,
    private readonly activityFacts: ResidentActivityFacts,
  ) {}

  @Get()
  @Render('residents/index')
  async index(@CurrentUser() user: SessionUser, @Query() query: ResidentListQuery) {
    const result = await this.residents.page(user, query);
    const isStaff = roleLens(user) === 'staff';
    const attended = isStaff ? await this.activityFacts.attendanceCounts(result.residents.map((r) => r.id)) : new Map<string, number>();
    const places = await this.homes.places(user.homeIds);
    const { units, unitGroups } = unitChoicesOf(places, true);
    // Someone with several homes is told each resident's home.
    const homeName = homeNamer(places);
    const filters = { q: query.q ?? '', unitId: query.unitId ?? '', status: query.status ?? 'current' };
    const pageLink = (page: number) => `/residents?${new URLSearchParams({ ...filters, page: String(page) }).toString()}`;
    return {
      ...result,
      residents: result.residents.map((r) => ({
        ...r,
        homeName: 'homeId' in r ? homeName(r.homeId) : '',
        ...(!isStaff ? {} : { attendedLast7Days: attended.get(r.id) ?? 0, badge: weeklyBadge(attended.get(r.id) ?? 0) }),
      })),
      filters,
      units: !isStaff ? [] : units,
      unitGroups: !isStaff ? undefined : unitGroups,
      statuses: ['current', 'active', 'on_leave', 'discharged', 'deceased', 'all'],
      isStaff,
      canCreate: can(user, 'editResidents'),
      pageSize: PAGE_SIZE,
      previous: result.page > 1 ? pageLink(result.page - 1) : null,
      next: result.page < result.pages ? pageLink(result.page + 1) : null,
    };
  }

  @Get('new')
  @Roles(...EDITORS)
  @Render('residents/form')
  async newResident(@CurrentUser() user: SessionUser) {
    return { ...(await this.formContext(user, user.homeIds.length === 1 ? user.homeIds[0] : undefined)), isNew: true, formAction: '/residents', values: { weeklyActivityTarget: 5, admittedOn: todayIn(user.timezone) } };
  }

  @Post()
  @Roles(...EDITORS)
  @Redirect('/residents', 303)
  @FormView('residents/form', { isNew: true }, (c: ResidentsController, req) => c.formContext(req.user!, req.user!.homeIds.length === 1 ? req.user!.homeIds[0] : undefined))
  async create(@CurrentUser() user: SessionUser, @Body() body: ResidentDto, @Req() req: Request) {
    const resident = await this.residents.create(user, body);
    flash(req, 'success', { key: 'residents.created', params: { name: resident.fullName } });
    return { url: `/residents/${resident.id}` };
  }

  @Get(':id')
  @Render('residents/show')
  async show(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string) {
    const resident = await this.residents.view(user, id);
    const staffView = resident.lens === 'staff';
    const recordedBy = staffView && 'consent' in resident && resident.consent?.recordedBy ? (await this.auth.displayNames([resident.consent.recordedBy])).get(resident.consent.recordedBy) : undefined;
    return {
      resident,
      // Someone with several homes is told which home the resident lives in.
      homeName: user.homeIds.length > 1 && 'homeId' in resident ? await this.homes.nameOf(resident.homeId) : null,
      title: 'fullName' in resident ? resident.fullName : resident.displayName,
      staffView,
      familyLinks: staffView ? await this.familyLinks.linksForResident(user, id) : [],
      consentRecordedBy: recordedBy ?? null,
      isCurrent: 'status' in resident && (resident.status === 'active' || resident.status === 'on_leave'),
      dataProtection: staffView && can(user, 'handleDataProtection'),
      // Staff only (every role that reads the whole record: SPEC 1); relatives follow their relative on the portal.
      participation: staffView ? participationChartView(await this.activityFacts.weeklyParticipation(id, resident.homeId, PARTICIPATION_WEEKS), user.locale) : null,
      recent: staffView
        ? (await this.activityFacts.recentParticipation(id, resident.homeId, RECENT_PARTICIPATION)).map((entry) => ({
          ...entry, moodNoted: entry.moodBefore !== null || entry.moodAfter !== null, nothingNoted: entry.moodBefore === null && entry.moodAfter === null && !entry.staffNote && !entry.familyNote,
        }))
        : [],
      contributions: staffView ? await this.activityFacts.recentContributions(id, resident.homeId, RECENT_PARTICIPATION) : [],
      values: { leftOn: todayIn(user.timezone), outcome: 'discharged', ...('consent' in resident && resident.consent ? consentValues(resident.consent) : {}) },
    };
  }

  @Get(':id/edit')
  @Roles(...EDITORS)
  @Render('residents/form')
  async edit(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string) {
    const resident = await this.residents.forEdit(user, id);
    return {
      ...(await this.formContext(user, resident.homeId)),
      isNew: false,
      formAction: `/residents/${id}`,
      residentId: id,
      title: `${resident.firstName} ${resident.lastName}`,
      values: { ...resident, interests: resident.interests.join(', ') },
    };
  }

  @Post(':id')
  @Roles(...EDITORS)
  @Redirect('/residents', 303)
  @FormView('residents/form', { isNew: false }, (c: ResidentsController, req) => c.edit(req.user!, req.params.id as string))
  async update(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Body() body: ResidentDto, @Req() req: Request) {
    await this.residents.update(user, id, body);
    flash(req, 'success', { key: 'residents.saved' });
    return { url: `/residents/${id}` };
  }

  @Post(':id/consent')
  @Roles(...EDITORS)
  @Redirect('/residents', 303)
  @FormView('residents/show', {}, (c: ResidentsController, req) => c.show(req.user!, req.params.id as string))
  async consent(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Body() body: ConsentDto, @Req() req: Request) {
    await this.residents.updateConsent(user, id, body);
    flash(req, 'success', { key: 'residents.consentSaved' });
    return { url: `/residents/${id}#consent` };
  }

  @Post(':id/discharge')
  @Roles(...EDITORS)
  @Redirect('/residents', 303)
  @FormView('residents/show', {}, (c: ResidentsController, req) => c.show(req.user!, req.params.id as string))
  async discharge(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Body() body: DischargeDto, @Req() req: Request) {
    const left = await this.residents.discharge(user, id, body);
    flash(req, 'success', { key: body.outcome === 'deceased' ? 'residents.deathRecorded' : 'residents.discharged' });
    if (left > 0) flash(req, 'success', { key: 'residents.placesFreed', params: { count: left } });
    return { url: `/residents/${id}` };
  }

  @Post(':id/photo')
  @Roles(...EDITORS)
  @Redirect('/residents', 303)
  @FormView('residents/show', {}, (c: ResidentsController, req) => c.show(req.user!, req.params.id as string))
  @ImageUpload('photo', 2)
  async uploadPhoto(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Req() req: Request) {
    await this.residents.forEdit(user, id);
    if (Object.keys(req.body as object).length > 0) throw new ValidationError({ photo: { key: 'photos.badForm' } });
    const stored = await this.photos.store(req.file);
    try {
      this.photos.remove(await this.residents.setPhoto(user, id, stored));
    } catch (error) {
      this.photos.remove(stored);
      throw error;
    }
    flash(req, 'success', { key: 'residents.photoSaved' });
    return { url: `/residents/${id}` };
  }

  @Get(':id/photo')
  async photo(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Res() res: Response) {
    const { stream, contentType } = this.photos.open(await this.residents.photoFileFor(user, id));
    res.setHeader('Content-Type', contentType);
    res.setHeader('Content-Disposition', 'inline');
    // Personal data: not kept by browsers or proxies (the ward tablet's service worker keeps its own copy for staff).
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    stream.on('error', () => res.status(404).end());
    stream.pipe(res);
  }

  /**
   * The form's homes and units: the units of the resident's home, or, for a new resident of someone
   * with several homes (`homeId` undefined), every home's units under its name (the save checks the
   * unit is of the home chosen).
   */
  async formContext(user: SessionUser, homeId: string | undefined) {
    const homes = await this.homes.listForUser(user);
    const all = homeId ? null : await this.homes.unitChoices(user.homeIds);
    return {
      homes: homes.length > 1 ? homes.map((h) => ({ id: h.id, name: h.name })) : [],
      units: all ? all.units : await this.residents.unitOptions(user, homeId!),
      unitGroups: all?.unitGroups,
    };
  }
}

function consentValues(consent: NonNullable<Awaited<ReturnType<ResidentsService['get']>>['consent']>) {
  return {
    consentPhotos: consent.photos,
    consentFamilyPortal: consent.familyPortal,
    consentVolunteerProfile: consent.volunteerProfile,
    consentBestInterestNote: consent.bestInterestNote ?? '',
  };
}
