import { Injectable } from '@nestjs/common';
import { can, roleLens } from '../common/access/access-policy';
import type { SessionUser } from '../common/access/session-user';
import { localDayRange, todayIn } from '../common/time/zoned';
import { groupByHome, Option, OptionGroup } from '../common/views/option-groups';
import { ACTOR_TYPES, PHASES } from '../contributions/contributions.enums';
import { ContributionsService } from '../contributions/contributions.service';
import { FamiliesService } from '../families/families.service';
import { HomesService } from '../homes/homes.service';
import { homeNamesOf } from '../homes/places';
import { ResidentsService } from '../residents/residents.service';
import { StaffService } from '../staff/staff.service';
import { VolunteersService } from '../volunteers/volunteers.service';
import { ENGAGEMENTS, OCCURRENCE_SCOPES } from './activities.enums';
import { ActivitiesService, InviteGroups, toRosterResident } from './activities.service';
import { todayView } from './day-list';
import { Activity } from './entities/activity.entity';
import { HelpOffersService, mayStillWithdraw } from './help-offers.service';
import { ParticipationService } from './participation.service';
import { SeriesService } from './series.service';
import { choiceOf, WEEKDAYS } from './series/series-rule';

/**
 * The view models of the activity pages (detail, log, Today, the activity form) and of the tablet's
 * `GET /api/activities/:id`, each cut to what the reader may see: rosters and logs go through the
 * access policy's lenses (a volunteer sees preferred names, and no moods or notes).
 */
@Injectable()
export class ActivityPagesService {
  constructor(
    private readonly activities: ActivitiesService,
    private readonly participation: ParticipationService,
    private readonly helpOffers: HelpOffersService,
    private readonly contributions: ContributionsService,
    private readonly homes: HomesService,
    private readonly residents: ResidentsService,
    private readonly staff: StaffService,
    private readonly volunteers: VolunteersService,
    private readonly families: FamiliesService,
    private readonly series: SeriesService,
  ) {}

  /** The repeat fields of the edit form for an occurrence of a series: its rule, ending on its last date. */
  async seriesFormValues(seriesId: string): Promise<Record<string, unknown> | null> {
    const series = await this.series.ruleOf(seriesId);
    if (!series) return null;
    const choice = choiceOf(series.rule);
    return {
      repeat: choice.repeat, interval: choice.interval, byDay: choice.byDay ?? [], monthPosition: choice.monthPosition ?? 1, monthDay: choice.monthDay ?? '',
      ends: 'until', until: series.endsOn,
    };
  }

  /** One activity with its roster and log, for the tablet's API. */
  async withLog(user: SessionUser, id: string) {
    const activity = await this.activities.summary(user, id);
    const participation = await this.participation.forActivity(user, id);
    return { ...activity, roster: await this.activities.rosterFor(user, id), participation };
  }

  /**
   * "Today" on the ward tablet: the day's activities of the carer's unit (their own unless another is
   * chosen; a blank unit is the whole home, and stays chosen from day to day).
   */
  async today(user: SessionUser, query: { date?: string; unitId?: string }) {
    const date = query.date ?? todayIn(user.timezone);
    const [unitId, places] = await Promise.all([query.unitId ?? this.ownUnit(user), this.homes.places(user.homeIds)]);
    const { start, end } = localDayRange(date, user.timezone);
    return todayView(user, date, unitId, places, await this.activities.listBetween(user, start, end, { unitId: unitId || undefined }, places));
  }

  /**
   * The tablet log of one activity: a tile per resident on the roster. Staff may add residents: the
   * page lists those not yet invited, with its bulk buttons (the whole unit, those who like the
   * activity) counted, and a template it adds their tiles from without a request.
   */
  async log(user: SessionUser, id: string) {
    const activity = await this.activities.summary(user, id);
    const [participation, roster, addable] = await Promise.all([
      this.participation.forActivity(user, id),
      this.activities.rosterFor(user, id),
      // Only staff add residents to a log (ActivitiesService.addToRoster): a volunteer is not shown the home's other residents.
      this.activities.addableResidents(user, id),
    ]);
    const logged = new Map(participation.map((p) => [p.residentId, p]));
    const closed = await this.residents.closedRecords(roster.map((r) => r.id));
    const staff = can(user, 'homeStaff');
    const unitName = addable.unitId ? ((await this.homes.unitNames([activity.homeId])).get(addable.unitId) ?? null) : null;
    const residents = addable.residents.map((r) => ({ ...r, unitName: r.unitId === addable.unitId ? unitName : null }));
    // No tile for a resident who has left or was erased: nothing new can be logged for them.
    const tiles = roster.filter((resident) => !closed.has(resident.id)).map((resident) => {
      const p = logged.get(resident.id);
      return {
        ...resident, engagement: p?.engagement ?? '', moodBefore: p?.moodBefore ?? '', moodAfter: p?.moodAfter ?? '',
        staffNote: p?.staffNote ?? '', familyNote: p?.familyNote ?? '',
      };
    });
    return {
      title: activity.title,
      scripts: ['/static/js/log.js'],
      activity,
      engagements: ENGAGEMENTS,
      moods: [1, 2, 3, 4, 5],
      // Moods and notes are written and read by staff only (SPEC 1).
      seesNotes: staff,
      tiles,
      // "Everyone took part" passes residents on leave by (log.js); the page says so when there are any.
      anyOnLeave: tiles.some((tile) => tile.onLeave),
      addable: residents,
      bulk: {
        unitName,
        unitCount: residents.filter((r) => r.inUnit).length,
        typeName: activity.typeName,
        likesCount: residents.filter((r) => r.likesType).length,
        // A long list gets a search box (names only; it filters in the browser).
        searchable: residents.length > 8,
      },
      canLog: activity.status !== 'cancelled',
      // When the server wrote this log as the page shows it: a page kept offline and saved with no tap
      // sends its entries as of then, so they lose to any later tap made elsewhere (docs/offline-log.md).
      renderedAt: new Date().toISOString(),
    };
  }

  /** Everything the detail page shows, cut to what this user may see (SPEC 1: volunteers see little of residents). */
  async detail(user: SessionUser, id: string) {
    const activity = await this.activities.get(user, id);
    const summary = await this.activities.summaryOf(activity);
    const planner = can(user, 'planActivities');
    const staff = can(user, 'homeStaff');
    const isVolunteer = user.role === 'volunteer';
    const open = activity.status !== 'cancelled';
    // A volunteer's list holds their own offers only.
    const offers = await this.helpOffers.forActivity(user, id);
    const confirmedHelper = isVolunteer && offers.some((o) => o.status === 'confirmed');
    const seesRoster = staff || confirmedHelper;

    const roster = seesRoster ? await this.activities.rosterFor(user, id) : [];
    const participation = seesRoster ? await this.participation.forActivity(user, id) : [];
    const logged = new Map(participation.map((p) => [p.residentId, p.engagement]));
    const waiting = staff ? await this.activities.waitingList(user, id) : [];
    // Someone waiting is on the activity already: not offered again.
    const onRoster = new Set([...roster.map((r) => r.id), ...waiting.map((r) => r.id)]);

    let invite: Awaited<ReturnType<ActivityPagesService['inviteChoices']>> | null = null;
    let suggestions: { id: string; fullName: string; initials: string; belowTarget: boolean; attended: number; target: number; interests: string }[] = [];
    let others: { id: string; fullName: string; initials: string }[] = [];
    if (planner && open) {
      const planning = await this.activities.rosterPlanning(user, activity);
      suggestions = planning.suggestions.map((s) => ({
        id: s.id, fullName: s.fullName ?? s.displayName, initials: s.initials, belowTarget: s.belowTarget, attended: s.attendedLast7Days, target: s.weeklyTarget,
        interests: s.matchingInterests.join(', '),
      }));
      invite = await this.inviteChoices(activity, planning.groups);
      const suggested = new Set(suggestions.map((s) => s.id));
      others = planning.open
        .filter((r) => !onRoster.has(r.id) && !suggested.has(r.id))
        .map((r) => toRosterResident(r, 'staff'))
        .map((r) => ({ id: r.id, fullName: r.fullName ?? r.displayName, initials: r.initials }));
    }

    let contributions = staff || isVolunteer ? await this.contributions.listForActivity(user, id) : [];
    // A volunteer sees their own hours on the activity, not who else took part.
    if (!staff) contributions = contributions.filter((c) => c.actorType === 'volunteer' && c.personId === user.personId);

    const [lead] = await this.staff.briefsByIds([activity.leadStaffId]);
    const leadName = lead ? `${lead.firstName} ${lead.lastName}` : null;
    const canRecordContribution = staff && open;
    const canOfferOnBehalf = planner && open;
    const lens = roleLens(user);
    const series = activity.seriesId ? await this.series.overview(activity.seriesId, user.locale) : null;
    // Skip and move: a planned occurrence of a series, still ahead, with nothing logged.
    const changeable = planner && series !== null && activity.status === 'planned' && activity.startsAt > new Date() && participation.length === 0;

    return {
      title: activity.title,
      // Someone with several homes is told which home the activity is in.
      homeName: user.homeIds.length > 1 ? await this.homes.nameOf(activity.homeId) : null,
      activity: {
        ...summary, description: activity.description, capacity: activity.capacity, phases: activity.phases, cancelReason: activity.cancelReason,
        leadName,
        // A volunteer counts only the residents they see (those who consent to volunteers).
        rosterCount: lens === 'volunteer' && seesRoster ? roster.length : summary.rosterCount,
      },
      series: series ? { ...series, next: series.next.map((o) => ({ ...o, isThis: o.id === activity.id })) } : null,
      canSkip: changeable,
      canMove: changeable,
      moveDefaults: { date: summary.date, time: summary.time },
      isPlanner: planner,
      isStaff: staff,
      isVolunteer,
      confirmedHelper,
      isOpen: open,
      isPlanned: activity.status === 'planned',
      canEdit: planner && open,
      canCancel: planner && activity.status === 'planned',
      canRestore: planner && activity.status === 'cancelled',
      canLog: seesRoster && open,
      seesRoster,
      roster: roster.map((r) => ({
        id: r.id, initials: r.initials, displayName: r.displayName, fullName: lens === 'staff' ? (r.fullName ?? r.displayName) : r.displayName,
        engagement: logged.get(r.id) ?? '', removable: planner && open && !logged.has(r.id),
      })),
      // Not invited: waiting for a place, in order (staff only).
      waiting: waiting.map((r) => ({ id: r.id, initials: r.initials, fullName: r.fullName ?? r.displayName, position: r.position, removable: planner && open })),
      inSeries: activity.seriesId !== null && planner && open,
      occurrenceScopes: OCCURRENCE_SCOPES,
      inviteDefaults: { mode: 'selected', occurrences: 'this', unitId: activity.unitId ?? '' },
      engagementCounts: participation.length > 0 ? ENGAGEMENTS.map((engagement) => ({ engagement, n: participation.filter((p) => p.engagement === engagement).length })) : [],
      canAddToRoster: planner && open,
      suggestions,
      others,
      invite,
      offers: offers.map((o) => ({
        ...o,
        canConfirm: planner && open && (o.status === 'offered' || o.status === 'declined'),
        canDecline: planner && open && (o.status === 'offered' || o.status === 'confirmed'),
        // A volunteer steps back before the activity starts; afterwards who helped is the staff's record to correct.
        canWithdraw: (planner || (isVolunteer && mayStillWithdraw(activity))) && (o.status === 'offered' || o.status === 'confirmed'),
      })),
      canOffer: isVolunteer && user.personKind === 'volunteer' && !!user.personId && activity.status === 'planned'
        && !offers.some((o) => o.status === 'offered' || o.status === 'confirmed'),
      offerDefaults: { kind: 'deliver' },
      canOfferOnBehalf,
      ...(canOfferOnBehalf ? await this.volunteerChoices(activity.homeId) : { volunteers: [], volunteersNotConfirmable: [] }),
      relatives: canOfferOnBehalf ? named(await this.families.currentOfHome(activity.homeId)) : [],
      contributions,
      canRecordContribution,
      people: canRecordContribution ? await this.contributions.peopleOfHome(activity.homeId) : [],
      // A contribution is most often to delivery; an activity planned for other phases offers its first.
      contributionDefaults: {
        phase: activity.phases.length === 0 || activity.phases.includes('co_delivery') ? 'co_delivery' : activity.phases[0], actorType: 'resident', minutes: activity.durationMinutes,
      },
      phases: PHASES,
      actorTypes: ACTOR_TYPES,
      kinds: ['deliver', 'join'],
      // The contribution form offers the people of the kind chosen only (it works without the script).
      scripts: canRecordContribution ? ['/static/js/contribution-form.js'] : [],
    };
  }

  /**
   * The volunteers an offer may be recorded for, and apart, disabled, those who could not be confirmed,
   * each with why in words: left out, the coordinator taking a call from one would not know why they
   * are missing, nor that renewing a check brings them back.
   */
  private async volunteerChoices(homeId: string) {
    const choices = await this.volunteers.choicesOfHome(homeId);
    const name = (v: { firstName: string; lastName: string }) => `${v.firstName} ${v.lastName}`;
    return {
      volunteers: choices.filter((v) => !v.notAssignable).map((v) => ({ id: v.id, name: name(v) })),
      volunteersNotConfirmable: choices.flatMap(({ notAssignable: why, ...v }) => (why ? [{
        id: v.id, name: name(v), checkExpiredOn: why.reason === 'checkExpired' ? why.expiredOn : null,
      }] : [])),
    };
  }

  /** The activity page's ways to invite in one submit, each with who it would add (names, so nothing is a surprise). */
  private async inviteChoices(activity: Activity, groups: InviteGroups) {
    const { units } = await this.homes.unitChoices([activity.homeId]);
    const names = (list: { fullName?: string; displayName: string }[]) => list.map((r) => r.fullName ?? r.displayName).join(', ');
    return {
      units: units.map((u) => ({ id: u.id, name: `${u.name} (${groups.byUnit.get(u.id)?.length ?? 0})` })),
      likes: { n: groups.likes.length, names: names(groups.likes) },
      belowTarget: { n: groups.belowTarget.length, names: names(groups.belowTarget) },
    };
  }

  /** The choices of the activity form: types, units and lead staff of the user's homes (of the activity's home when editing). */
  async formContext(user: SessionUser, current?: Activity) {
    const homeIds = current ? [current.homeId] : user.homeIds;
    if (homeIds.length === 0) return { types: [], units: [], staff: [] };
    const [places, staff] = await Promise.all([this.homes.places(homeIds), this.staff.activeOf(homeIds)]);
    const types = (await this.activities.listTypes(user)).filter((t) => homeIds.includes(t.homeId));
    if (current && !types.some((t) => t.id === current.activityTypeId)) types.unshift(await this.activities.getType(user, current.activityTypeId));
    // Each type carries what it usually is, for the form's script to fill in (public/js/activity-form.js).
    const typeChoices = types.map((t) => ({
      id: t.id, name: t.name, homeId: t.homeId,
      data: { title: t.name, duration: t.defaultDurationMinutes, location: t.defaultLocation ?? '', capacity: t.defaultCapacity ?? '', phases: t.usualPhases.join(' ') },
    }));
    const unitChoices = [...places.units.values()].filter((u) => u.active || u.id === current?.unitId).map((u) => ({ id: u.id, name: u.name, homeId: u.homeId }));
    const staffChoices = staff.map((s) => ({ id: s.id, name: `${s.firstName} ${s.lastName}`, homeId: s.homeId }));
    // A user of several homes sees each home's choices under its name.
    const homeNames = homeNamesOf(places);
    // A new activity may invite residents at once (every date of a series); an edit changes the roster on the activity's page.
    const residents = current ? [] : (await this.residents.currentBriefs(homeIds, { onLeaveToo: true })).map((r) => ({
      id: r.id, name: `${r.firstName} ${r.lastName}`, home: homeIds.length > 1 ? (homeNames.get(r.homeId) ?? '') : '',
    }));
    return {
      residents,
      types: typeChoices, typeGroups: groupByHome(typeChoices, homeNames),
      units: unitChoices, unitGroups: groupByHome(unitChoices, homeNames),
      staff: staffChoices, staffGroups: groupByHome(staffChoices, homeNames),
      phases: PHASES,
      weekdays: WEEKDAYS,
      monthPositions: [
        { value: 1, key: 'first' }, { value: 2, key: 'second' }, { value: 3, key: 'third' }, { value: 4, key: 'fourth' }, { value: -1, key: 'last' },
      ],
      scripts: ['/static/js/activity-form.js'],
    };
  }

  /** The active units of the user's homes, grouped under their home's name when there are several. */
  async unitOptions(homeIds: string[]): Promise<{ units: Option[]; unitGroups: OptionGroup[] | undefined }> {
    return this.homes.unitChoices(homeIds);
  }

  /** A carer's own unit (from their staff record), so Today opens on their ward. */
  private async ownUnit(user: SessionUser): Promise<string | undefined> {
    if (user.personKind !== 'staff' || !user.personId) return undefined;
    return (await this.staff.unitOf(user.personId)) ?? undefined;
  }
}

function named(people: { id: string; firstName: string; lastName: string }[]): { id: string; name: string }[] {
  return people.map((p) => ({ id: p.id, name: `${p.firstName} ${p.lastName}` }));
}
