import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, MoreThanOrEqual, Not, Repository, SelectQueryBuilder } from 'typeorm';
import { AuditService, diffFields } from '../audit/audit.service';
import { can, Lens, roleLens, throughLens } from '../common/access/access-policy';
import { resolveHomeId, scopeToHomes } from '../common/access/home-scope';
import type { SessionUser } from '../common/access/session-user';
import { NotFoundError, ValidationError } from '../common/errors/domain-errors';
import { addDays, localDayRange, localToUtc, mondayOf, todayIn, utcToLocal } from '../common/time/zoned';
import { Phase, PHASES } from '../contributions/contributions.enums';
import { ContributionsService } from '../contributions/contributions.service';
import { asDate, asNumber, placeholders, sqlRow, sqlRows } from '../database/sql';
import { lockRow } from '../database/row-lock';
import { SummaryUpkeep } from '../database/summary-upkeep';
import { UnitOfWork } from '../database/unit-of-work';
import { HomesService } from '../homes/homes.service';
import type { Places } from '../homes/places';
import type { ParticipationEntry, ResidentContribution, WeeklyParticipation } from '../residents/resident-activity-facts';
import { ResidentBrief, ResidentsService } from '../residents/residents.service';
import { StaffService } from '../staff/staff.service';
import { ActivityDto, ActivityTypeDto } from './dto/activity.dto';
import { Activity } from './entities/activity.entity';
import { ActivitySeries } from './entities/activity-series.entity';
import { ActivityStatus, ActivityCategory, ATTENDED, Engagement, ENGAGEMENTS, InviteMode, OccurrenceScope } from './activities.enums';
import { tallyEngagements } from './engagement-tally';
import { ActivityType } from './entities/activity-type.entity';
import { HelpOffer } from './entities/help-offer.entity';
import { Participation } from './entities/participation.entity';
import { RosterEntry } from './entities/roster-entry.entity';
import { WaitlistEntry } from './entities/waitlist-entry.entity';
import { isBelowWeeklyTarget, weeklyBadge, WeeklyBadge } from '../residents/weekly-badge';
import { SeriesService } from './series.service';
import { dayListQuery, daySummaries, SummaryRow, toSummary } from './day-list';
import { RuleChoice, WEEKDAYS, WeekdayCode } from './series/series-rule';

/** The repeat rule a form chose (blank interval 1; monthly on the first date's weekday unless chosen). */
export function ruleChoiceOf(input: ActivityDto): RuleChoice {
  const weekdayOfStart = WEEKDAYS[(new Date(`${input.date}T12:00:00Z`).getUTCDay() + 6) % 7];
  return {
    repeat: input.repeat === 'monthly' ? 'monthly' : 'weekly', interval: input.interval ?? 1, byDay: (input.byDay ?? []) as WeekdayCode[],
    monthPosition: input.monthPosition ?? 1, monthDay: (input.monthDay as WeekdayCode | undefined) ?? weekdayOfStart,
    ends: input.ends ?? (input.count !== undefined && input.until === undefined ? 'count' : 'until'), until: input.until, count: input.count,
  };
}

/** An activity as other modules name and check it. */
export type ActivityBrief = Pick<Activity, 'id' | 'homeId' | 'activityTypeId' | 'title' | 'startsAt' | 'durationMinutes' | 'status' | 'visibleToFamilies'>;
export type ActivityTypeBrief = Pick<ActivityType, 'id' | 'homeId' | 'name'>;
/** Whose recent activities: those a volunteer helped with, or those residents attended. */
export type RecentlyHeldBy = { helperVolunteerId: string } | { attendedBy: string[]; shownToFamilies: boolean };

const BRIEF_COLUMNS = { id: true, homeId: true, activityTypeId: true, title: true, startsAt: true, durationMinutes: true, status: true, visibleToFamilies: true } as const;

const ACTIVITY_FIELDS = [
  'activityTypeId', 'title', 'startsAt', 'durationMinutes', 'location', 'unitId', 'capacity', 'phases', 'leadStaffId', 'description', 'visibleToFamilies',
] as const;

const TYPE_FIELDS = ['name', 'category', 'description', 'defaultDurationMinutes', 'defaultLocation', 'defaultCapacity', 'usualPhases', 'active'] as const;

/** A type's fields as a form sent them: blanks are null, phases in their canonical order. */
function typeFields(input: ActivityTypeDto) {
  return {
    name: input.name, category: input.category as ActivityCategory, description: input.description ?? null,
    defaultDurationMinutes: input.defaultDurationMinutes, defaultLocation: input.defaultLocation ?? null,
    defaultCapacity: input.defaultCapacity ?? null, usualPhases: phaseList(input.usualPhases ?? []),
  };
}

/** Phases in the order PHASES lists them, each once, so a list compares equal however it was ticked. */
export function phaseList(phases: readonly string[]): Phase[] {
  return PHASES.filter((phase) => phases.includes(phase));
}

export interface ActivitySummary {
  id: string;
  homeId: string;
  title: string;
  typeName: string;
  category: ActivityCategory;
  startsAt: Date;
  /** Local date and time in the home's zone. */
  date: string;
  time: string;
  endTime: string;
  durationMinutes: number;
  location: string | null;
  unitId: string | null;
  unitName: string | null;
  status: ActivityStatus;
  rosterCount: number;
  loggedCount: number;
  visibleToFamilies: boolean;
}

/** A resident on a roster as a reader may see them: a volunteer gets no full name (the access policy's `rosterResident`). */
export interface RosterResident {
  id: string;
  displayName: string;
  fullName?: string;
  initials: string;
  hasPhoto: boolean;
  /** On leave from the home (staff only): the log says so, and "everyone took part" passes them by. */
  onLeave?: boolean;
}

/** A resident the log's bulk add offers: not on the roster yet, with the facts its buttons group by. */
export interface AddableResident extends RosterResident {
  unitId: string | null;
  /** Lives in the unit the log adds "the whole unit" of. */
  inUnit: boolean;
  /** Their interests match the activity's type, title or category. */
  likesType: boolean;
}

/** How residents are chosen for an invitation, and which occurrences of a series it applies to. */
export interface InviteInput { mode?: InviteMode; residentIds?: string[]; unitId?: string; occurrences?: OccurrenceScope }
/** On this occurrence: how many were invited, how many went on the waiting list; `others`: later occurrences it applied to. */
export interface InviteResult { invited: number; waitlisted: number; others: number }
/** The home's current residents not on an activity yet, as the activity page's invitation groups them. */
export interface InviteGroups { byUnit: Map<string, RosterResident[]>; likes: RosterResident[]; belowTarget: RosterResident[] }
/** A resident the activity page suggests inviting, with why. */
export type RosterSuggestion = RosterResident & { attendedLast7Days: number; weeklyTarget: number; belowTarget: boolean; matchingInterests: string[] };
/** What the activity page offers a planner for its roster (ActivitiesService.rosterPlanning). */
export interface RosterPlanning { open: ResidentBrief[]; suggestions: RosterSuggestion[]; groups: InviteGroups }
/** Residents put on one activity: invited (on the roster) or waiting. */
export interface Placed { invited: string[]; waitlisted: string[] }

/** Which of a resident's interests an activity's words (type, title, category) name. */
export function interestsMatching(interests: readonly string[], words: string): string[] {
  const haystack = words.toLowerCase();
  return interests.filter((interest) => interest.trim() !== '' && haystack.includes(interest.trim().toLowerCase()));
}

@Injectable()
export class ActivitiesService {
  constructor(
    @InjectRepository(Activity) private readonly activities: Repository<Activity>,
    @InjectRepository(ActivityType) private readonly types: Repository<ActivityType>,
    @InjectRepository(RosterEntry) private readonly roster: Repository<RosterEntry>,
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditService,
    private readonly contributions: ContributionsService,
    private readonly homes: HomesService,
    private readonly residents: ResidentsService,
    private readonly staff: StaffService,
    private readonly seriesService: SeriesService,
    private readonly summaryUpkeep: SummaryUpkeep,
  ) {}

  // Activity types ---------------------------------------------------------------------------

  async listTypes(user: SessionUser, includeInactive = false): Promise<ActivityType[]> {
    const qb = scopeToHomes(this.types.createQueryBuilder('t'), user);
    if (!includeInactive) qb.andWhere('t.active = :active', { active: true });
    // As people read a list: "tombola" beside "Tombola", not after "Uscita" (SQL orders capitals first).
    return (await qb.getMany()).sort((a, b) => a.name.localeCompare(b.name, 'it', { sensitivity: 'base' }) || a.id.localeCompare(b.id));
  }

  /** Two types of one name in a home, whatever the case of their letters, would be told apart by nobody. */
  private async checkTypeNameFree(m: EntityManager, homeId: string, name: string, exceptId: string | null): Promise<void> {
    const qb = m.createQueryBuilder(ActivityType, 't').where('t.homeId = :homeId', { homeId }).andWhere('LOWER(t.name) = LOWER(:name)', { name: name.trim() });
    if (exceptId) qb.andWhere('t.id <> :exceptId', { exceptId });
    if (await qb.getExists()) throw new ValidationError({ name: { key: 'activities.typeNameTaken' } });
  }

  async getType(user: SessionUser, id: string): Promise<ActivityType> {
    const type = await this.types.findOneBy({ id });
    if (!type || !user.homeIds.includes(type.homeId)) throw new NotFoundError();
    return type;
  }

  async createType(user: SessionUser | null, input: ActivityTypeDto, manager?: EntityManager, homeIdForSeed?: string): Promise<ActivityType> {
    if (user && !can(user, 'planActivities')) throw new NotFoundError();
    const homeId = user ? resolveHomeId(user, input.homeId) : homeIdForSeed!;
    const work = async (m: EntityManager) => {
      await this.checkTypeNameFree(m, homeId, input.name, null);
      const type = m.create(ActivityType, { homeId, ...typeFields(input), active: true });
      await m.insert(ActivityType, type);
      await this.audit.record(m, {
        action: 'create', userId: user?.id, role: user?.role, entityType: 'activity_type', entityId: type.id, homeId,
        changes: diffFields({}, type, ['name', 'category', 'defaultDurationMinutes', 'defaultLocation', 'defaultCapacity', 'usualPhases']),
      });
      return type;
    };
    return manager ? work(manager) : this.unitOfWork.transaction(work);
  }

  async updateType(user: SessionUser, id: string, input: ActivityTypeDto & { active?: boolean }): Promise<void> {
    if (!can(user, 'planActivities')) throw new NotFoundError();
    await this.unitOfWork.transaction(async (m) => {
      const type = await m.findOneBy(ActivityType, { id });
      if (!type || !user.homeIds.includes(type.homeId)) throw new NotFoundError();
      await this.checkTypeNameFree(m, type.homeId, input.name, id);
      const next = { ...typeFields(input), active: input.active ?? type.active };
      const changes = diffFields(type, next, TYPE_FIELDS);
      if (Object.keys(changes).length === 0) return;
      await m.update(ActivityType, { id }, next);
      await this.audit.record(m, {
        action: next.active ? 'update' : 'archive', userId: user.id, role: user.role, entityType: 'activity_type', entityId: id, homeId: type.homeId, changes,
      });
    });
  }

  // Activities -------------------------------------------------------------------------------

  /**
   * Activities starting in [from, to), for the calendar, Today and the API. `places` (the homes'
   * zones and units) is read here unless the caller has it already (Today shows the units too).
   */
  async listBetween(
    user: SessionUser, from: Date, to: Date, options: { unitId?: string; includeCancelled?: boolean; homeId?: string } = {}, places?: Places,
  ): Promise<ActivitySummary[]> {
    // One statement, in plain SQL (day-list.ts): the tablet asks for its day more than for anything else.
    const query = dayListQuery(user, from, to, options);
    if (!query) return [];
    const [rows, where] = await Promise.all([sqlRows<SummaryRow>(this.activities.manager, query.text, query.params), places ?? this.homes.places(query.homeIds)]);
    return daySummaries(rows, where);
  }

  /** An activity this user may see, or 404. */
  async get(user: SessionUser, id: string, manager: EntityManager = this.activities.manager): Promise<Activity> {
    const activity = await this.visible(user, manager).andWhere('a.id = :id', { id }).getOne();
    if (!activity) throw new NotFoundError();
    return activity;
  }

  async summary(user: SessionUser, id: string): Promise<ActivitySummary> {
    return this.summaryOf(await this.get(user, id));
  }

  /** The summary of an activity the caller has already read (and found visible to the user). */
  async summaryOf(activity: Activity): Promise<ActivitySummary> {
    return (await this.summaries([activity]))[0];
  }

  /**
   * Creates one activity, or a series (weekly on chosen days or monthly on a weekday, ending on a
   * date or after N times) whose occurrences are materialised 12 weeks ahead (SeriesService).
   */
  async create(user: SessionUser, input: ActivityDto): Promise<Activity[]> {
    if (!can(user, 'planActivities')) throw new NotFoundError();
    return this.unitOfWork.transaction(async (m) => {
      const type = await this.checkType(m, user, input.activityTypeId);
      const homeId = type.homeId;
      const timezone = await this.checkPlacement(homeId, input);
      // What the form left blank, the type usually is (without a script in the browser, nothing filled it).
      const filled: ActivityDto = {
        ...input, location: input.location ?? type.defaultLocation ?? undefined, capacity: input.capacity ?? type.defaultCapacity ?? undefined,
        phases: input.phases ?? type.usualPhases,
      };
      const fields = this.fieldsFrom(filled, type, timezone, input.date);
      const invited = await this.invitable(m, homeId, input.residentIds ?? [], fields.capacity);
      if (input.repeat === 'weekly' || input.repeat === 'monthly') {
        const { startsAt: _startsAt, ...template } = fields;
        return this.seriesService.create(m, user, homeId, timezone, template, ruleChoiceOf(input), input.date, input.time, invited);
      }
      const activity = m.create(Activity, { ...fields, homeId, seriesId: null, status: 'planned' as const, completedAt: null, cancelReason: null });
      await m.insert(Activity, activity);
      if (invited.length > 0) await m.insert(RosterEntry, invited.map((residentId) => ({ id: randomUUID(), homeId, activityId: activity.id, residentId })));
      await this.audit.record(m, {
        action: 'create', userId: user.id, role: user.role, entityType: 'activity', entityId: activity.id, homeId, changes: diffFields({}, activity, ACTIVITY_FIELDS),
      });
      return [activity];
    });
  }

  /**
   * Saves the activity form. On an occurrence of a series, `scope` says what changes: this date only
   * (a changed date or time is recorded as a moved occurrence), this and the following, or the whole
   * series (SeriesService.edit). Answers how many occurrences a series edit changed (1 otherwise), and
   * who moved up from the waiting list because this activity's capacity was raised.
   */
  async update(user: SessionUser, id: string, input: ActivityDto): Promise<{ changed: number; movedUp: string[] }> {
    if (!can(user, 'planActivities')) throw new NotFoundError();
    return this.unitOfWork.transaction(async (m) => {
      const activity = await this.get(user, id, m);
      if (activity.status === 'cancelled') throw new ValidationError({}, { key: 'activities.cancelledNoChanges' });
      const type = await this.checkType(m, user, input.activityTypeId, activity.homeId);
      const timezone = await this.checkPlacement(activity.homeId, input);
      const next = this.fieldsFrom(input, type, timezone, input.date);
      if (activity.seriesId && (input.scope === 'following' || input.scope === 'series')) {
        const { startsAt: _startsAt, ...template } = next;
        const choice = input.repeat === 'weekly' || input.repeat === 'monthly' ? ruleChoiceOf(input) : undefined;
        return { changed: await this.seriesService.edit(m, user, activity, template, { scope: input.scope, choice, date: input.date, time: input.time }), movedUp: [] };
      }
      const changes = diffFields(activity, next, ACTIVITY_FIELDS);
      if (Object.keys(changes).length === 0) return { changed: 1, movedUp: [] };
      if (activity.seriesId && changes.startsAt) await this.seriesService.recordMove(m, activity);
      await m.update(Activity, { id }, next);
      await this.audit.record(m, { action: 'update', userId: user.id, role: user.role, entityType: 'activity', entityId: id, homeId: activity.homeId, changes });
      if ('startsAt' in changes) await this.summaryUpkeep.activitiesChanged(m, [id]);
      // More places (or no limit any more): the first waiting move up.
      const movedUp = 'capacity' in changes ? await this.namesOf(m, await this.moveUp(m, user, { ...activity, capacity: next.capacity })) : [];
      return { changed: 1, movedUp };
    });
  }

  /** Leaves one occurrence's date out of its series (planned, future, nothing logged). */
  async skipOccurrence(user: SessionUser, id: string): Promise<void> {
    if (!can(user, 'planActivities')) throw new NotFoundError();
    await this.unitOfWork.transaction(async (m) => {
      const activity = await this.get(user, id, m);
      if (!activity.seriesId) throw new ValidationError({}, { key: 'series.notInSeries' });
      if (!(await this.seriesService.isUntouched(m, activity))) throw new ValidationError({}, { key: 'series.onlyUntouched' });
      await this.seriesService.skip(m, user, activity);
    });
  }

  /** Moves one occurrence of a series to another local date and time; the series keeps its rule. */
  async moveOccurrence(user: SessionUser, id: string, to: { date: string; time: string }): Promise<void> {
    if (!can(user, 'planActivities')) throw new NotFoundError();
    await this.unitOfWork.transaction(async (m) => {
      const activity = await this.get(user, id, m);
      if (!activity.seriesId) throw new ValidationError({}, { key: 'series.notInSeries' });
      if (!(await this.seriesService.isUntouched(m, activity))) throw new ValidationError({}, { key: 'series.onlyUntouched' });
      const timezone = await this.homes.timezoneOf(activity.homeId);
      let startsAt: Date;
      try {
        startsAt = localToUtc(to.date, to.time, timezone);
      } catch {
        throw new ValidationError({ date: { key: 'validation.isDateString' } });
      }
      // A date gone by cannot be planned (nor moved again once it is there), and a date and time the
      // series already holds would be the same activity twice.
      if (startsAt.getTime() <= Date.now()) throw new ValidationError({ date: { key: 'series.moveToPast' } });
      if (await m.existsBy(Activity, { seriesId: activity.seriesId, startsAt, status: Not('cancelled'), id: Not(id) })) {
        throw new ValidationError({ date: { key: 'series.moveOntoDate' } });
      }
      await this.seriesService.recordMove(m, activity);
      await m.update(Activity, { id }, { startsAt });
      await this.summaryUpkeep.activitiesChanged(m, [id]);
      await this.audit.record(m, {
        action: 'update', userId: user.id, role: user.role, entityType: 'activity', entityId: id, homeId: activity.homeId, changes: { startsAt: { old: activity.startsAt, new: startsAt } },
      });
    });
  }

  async cancel(user: SessionUser, id: string, reason: string | undefined): Promise<void> {
    if (!can(user, 'planActivities')) throw new NotFoundError();
    await this.unitOfWork.transaction(async (m) => {
      const activity = await this.get(user, id, m);
      if (activity.status !== 'planned') throw new ValidationError({}, { key: 'activities.onlyPlannedCancel' });
      await m.update(Activity, { id }, { status: 'cancelled', cancelReason: reason ?? null });
      await this.audit.record(m, {
        action: 'archive', userId: user.id, role: user.role, entityType: 'activity', entityId: id, homeId: activity.homeId,
        changes: { status: { old: activity.status, new: 'cancelled' }, ...(reason ? { cancelReason: { old: null, new: reason } } : {}) },
      });
    });
  }

  /** Undoes a cancellation: the activity is planned again, its reason for cancelling gone (the audit log keeps it). */
  async restore(user: SessionUser, id: string): Promise<void> {
    if (!can(user, 'planActivities')) throw new NotFoundError();
    await this.unitOfWork.transaction(async (m) => {
      const activity = await this.get(user, id, m);
      if (activity.status !== 'cancelled') throw new ValidationError({}, { key: 'activities.onlyCancelledRestore' });
      await m.update(Activity, { id }, { status: 'planned', cancelReason: null });
      await this.audit.record(m, {
        action: 'update', userId: user.id, role: user.role, entityType: 'activity', entityId: id, homeId: activity.homeId,
        changes: { status: { old: 'cancelled', new: 'planned' }, ...(activity.cancelReason ? { cancelReason: { old: activity.cancelReason, new: null } } : {}) },
      });
      // Anyone who has left the home since comes off it (its places go to those waiting, as on any date).
      const closed = await this.residents.closedRecords([...(await this.onActivity(m, id))], m);
      for (const residentId of closed.keys()) await this.takeOff(m, user, { ...activity, status: 'planned' }, residentId);
      await this.moveUp(m, user, { ...activity, status: 'planned' });
    });
  }

  /**
   * Marks an activity held, inside the caller's transaction. Each confirmed helper becomes a
   * co_delivery contribution for the activity's duration (once; the minutes stay editable).
   */
  async complete(m: EntityManager, user: SessionUser, activity: Activity): Promise<void> {
    if (activity.status === 'cancelled') throw new ValidationError({}, { key: 'activities.cancelledNoChanges' });
    if (activity.status !== 'completed') {
      await m.update(Activity, { id: activity.id }, { status: 'completed', completedAt: new Date() });
      await this.audit.record(m, {
        action: 'update', userId: user.id, role: user.role, entityType: 'activity', entityId: activity.id, homeId: activity.homeId,
        changes: { status: { old: activity.status, new: 'completed' } },
      });
      activity.status = 'completed';
    }
    const offers = await m.findBy(HelpOffer, { activityId: activity.id, status: 'confirmed' });
    for (const offer of offers) await this.contributeHelper(m, activity, offer, user.id);
    await this.summaryUpkeep.activitiesChanged(m, [activity.id]);
  }

  /** The co_delivery contribution a confirmed helper makes to a completed activity. */
  async contributeHelper(m: EntityManager, activity: Activity, offer: HelpOffer, recordedBy: string | null): Promise<void> {
    if (activity.status !== 'completed' || offer.status !== 'confirmed') return;
    const actorType = offer.offererType === 'volunteer' ? 'volunteer' : 'family';
    const personId = (offer.volunteerId ?? offer.familyMemberId)!;
    await this.contributions.syncFromSource(
      m, 'help_offer', offer.id,
      { homeId: activity.homeId, activityId: activity.id, date: await this.contributions.activityDate(m, activity), recordedBy },
      [{ actorType, personId, phase: 'co_delivery', minutes: activity.durationMinutes }],
    );
  }

  // Roster -----------------------------------------------------------------------------------

  /**
   * The residents on an activity's roster as this reader may see them, by name: staff see everyone;
   * a volunteer only residents who consent to volunteers, through the volunteer lens. The caller has
   * already found the activity visible to the reader.
   */
  async rosterFor(user: SessionUser, activityId: string, manager: EntityManager = this.activities.manager): Promise<RosterResident[]> {
    const lens = roleLens(user);
    const cards = await this.rosterCards(activityId, manager);
    return cards.filter((card) => lens !== 'volunteer' || card.volunteersMaySee).map((card) => toRosterResident(card, lens));
  }

  private async rosterCards(activityId: string, manager: EntityManager): Promise<ResidentBrief[]> {
    const entries = await manager.findBy(RosterEntry, { activityId });
    return this.residents.briefsByIds(entries.map((e) => e.residentId), manager);
  }

  /** Residents on a planned or held activity that this volunteer is confirmed to help with. */
  async residentsAssignedTo(volunteerId: string): Promise<string[]> {
    const rows = await sqlRows<{ residentId: string }>(
      this.activities.manager,
      `SELECT DISTINCT e."residentId" FROM roster_entry e
       JOIN help_offer o ON o."activityId" = e."activityId"
       JOIN activity a ON a.id = e."activityId"
       WHERE o."volunteerId" = ? AND o.status = 'confirmed' AND a.status <> 'cancelled'`,
      [volunteerId],
    );
    return rows.map((r) => r.residentId);
  }

  /**
   * Puts residents on an activity (staff: the detail page and the log's bulk add): onto the roster
   * while places remain, then onto its waiting list in the order given. Anyone not a current resident
   * of the activity's home is a field error, whatever the reason (another home's is not revealed).
   */
  async addToRoster(user: SessionUser, activityId: string, residentIds: string[], manager?: EntityManager): Promise<Placed> {
    const work = async (m: EntityManager) => {
      const activity = await this.get(user, activityId, m);
      if (!can(user, 'homeStaff')) throw new NotFoundError();
      if (activity.status === 'cancelled') throw new ValidationError({}, { key: 'activities.cancelledNoChanges' });
      const unique = await this.checkInvitable(m, activity.homeId, residentIds);
      if (unique.length === 0) return { invited: [], waitlisted: [] };
      return this.place(m, user, activity, unique);
    };
    return manager ? work(manager) : this.unitOfWork.transaction(work);
  }

  /**
   * The activity page's invitation in one submit (planners): the residents ticked, a whole unit's
   * current residents, those whose interests match the activity, or those below their weekly target,
   * on this occurrence or on it and the series' following ones (each with its own places). Answers
   * what happened on this occurrence and on how many others it was applied.
   */
  async invite(user: SessionUser, activityId: string, input: InviteInput): Promise<InviteResult> {
    if (!can(user, 'planActivities')) throw new NotFoundError();
    const activity = await this.get(user, activityId);
    if (activity.status === 'cancelled') throw new ValidationError({}, { key: 'activities.cancelledNoChanges' });
    const residentIds = await this.chosenResidents(user, activity, input);
    return this.unitOfWork.transaction(async (m) => {
      const current = await this.get(user, activityId, m);
      const unique = await this.checkInvitable(m, current.homeId, residentIds);
      const here = await this.place(m, user, current, unique);
      let others = 0;
      if (input.occurrences === 'following') {
        for (const occurrence of await this.followingOccurrences(m, current)) {
          await this.place(m, user, occurrence, unique);
          others += 1;
        }
        // And the dates the series has not created yet.
        if (current.seriesId) await this.seriesService.carryRoster(m, current.seriesId, unique, []);
      }
      return { invited: here.invited.length, waitlisted: here.waitlisted.length, others };
    });
  }

  /**
   * Takes a resident off an activity's roster or its waiting list, on this occurrence or on it and the
   * series' following ones (where nothing is logged for them), and moves the first waiting up into
   * each place freed. Answers who moved up here, by name.
   */
  async removeFromRoster(user: SessionUser, activityId: string, residentId: string, occurrences: OccurrenceScope = 'this'): Promise<{ movedUp: string[]; others: number }> {
    if (!can(user, 'planActivities')) throw new NotFoundError();
    return this.unitOfWork.transaction(async (m) => {
      const activity = await this.get(user, activityId, m);
      if (await m.existsBy(Participation, { activityId, residentId })) throw new ValidationError({}, { key: 'activities.loggedStaysOnRoster' });
      const movedUp = await this.takeOff(m, user, activity, residentId);
      let others = 0;
      if (occurrences === 'following') {
        for (const occurrence of await this.followingOccurrences(m, activity)) {
          if (await m.existsBy(Participation, { activityId: occurrence.id, residentId })) continue;
          if (!(await m.existsBy(RosterEntry, { activityId: occurrence.id, residentId })) && !(await m.existsBy(WaitlistEntry, { activityId: occurrence.id, residentId }))) continue;
          await this.takeOff(m, user, occurrence, residentId);
          others += 1;
        }
        if (activity.seriesId) await this.seriesService.carryRoster(m, activity.seriesId, [], [residentId]);
      }
      return { movedUp: await this.namesOf(m, movedUp), others };
    });
  }

  /**
   * Someone who has left the home (discharge or death) comes off the rosters and waiting lists of the
   * planned activities starting from `from` where nothing is logged for them, inside the caller's
   * transaction; each place freed goes to the first waiting, and the series they were on stop
   * inviting them. What was logged or held before stays. Answers how many activities they left.
   */
  async leavePlannedActivities(m: EntityManager, user: SessionUser, residentId: string, homeId: string, from: Date): Promise<number> {
    const entries = [...(await m.findBy(RosterEntry, { residentId })), ...(await m.findBy(WaitlistEntry, { residentId }))];
    const ids = [...new Set(entries.map((e) => e.activityId))];
    // Cancelled ones too: a cancellation can be undone (restore), and must not bring them back.
    const planned = ids.length === 0 ? [] : await m.findBy(Activity, { id: In(ids), homeId, status: In(['planned', 'cancelled']), startsAt: MoreThanOrEqual(from) });
    const logged = planned.length === 0 ? new Set<string>() : new Set((await m.findBy(Participation, { residentId, activityId: In(planned.map((a) => a.id)) })).map((p) => p.activityId));
    const leaving = planned.filter((a) => !logged.has(a.id)).sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
    for (const activity of leaving) await this.takeOff(m, user, activity, residentId);
    const series = await m.find(ActivitySeries, { select: { id: true, rosterResidentIds: true }, where: { homeId } });
    for (const s of series.filter((one) => one.rosterResidentIds.includes(residentId))) await this.seriesService.carryRoster(m, s.id, [], [residentId]);
    return leaving.length;
  }

  /** The resident's latest attended activity starting at or after `from` (a leaving date must not come before it). */
  async lastAttendedFrom(m: EntityManager, residentId: string, from: Date): Promise<{ title: string; startsAt: Date } | null> {
    const row = await sqlRow<{ title: string; startsAt: Date | string }>(
      m,
      `SELECT a.title, a."startsAt" FROM participation p JOIN activity a ON a.id = p."activityId"
       WHERE p."residentId" = ? AND a."startsAt" >= ? AND a.status <> 'cancelled' AND p.engagement IN (${placeholders(ATTENDED.length)})
       ORDER BY a."startsAt" DESC LIMIT 1`,
      [residentId, from, ...ATTENDED],
    );
    return row ? { title: row.title, startsAt: asDate(row.startsAt) } : null;
  }

  /** Residents' full names, in the order given (the flash saying who moved up). */
  private async namesOf(m: EntityManager, residentIds: string[]): Promise<string[]> {
    const byId = new Map((await this.residents.briefsByIds(residentIds, m)).map((r) => [r.id, `${r.firstName} ${r.lastName}`]));
    return residentIds.map((id) => byId.get(id)!).filter(Boolean);
  }

  /** An activity's waiting list in order, by name (staff), with each one's place in the queue from 1. */
  async waitingList(user: SessionUser, activityId: string): Promise<(RosterResident & { position: number })[]> {
    if (!can(user, 'homeStaff')) return [];
    const entries = await this.activities.manager.find(WaitlistEntry, { where: { activityId }, order: { position: 'ASC' } });
    const byId = new Map((await this.residents.briefsByIds(entries.map((e) => e.residentId))).map((r) => [r.id, r]));
    return entries.filter((e) => byId.has(e.residentId)).map((e, index) => ({ ...toRosterResident(byId.get(e.residentId)!, 'staff'), position: index + 1 }));
  }

  /**
   * What the activity page offers a planner for its roster, from one read of the activity's type, the
   * home's current residents, who is on the activity (invited or waiting) and their attendance:
   * - `open`: the home's current residents not on the activity yet, by name;
   * - `suggestions`: those of them worth inviting (of the activity's unit, when it has one): below
   *   their weekly activity target over the last 7 days first, then those whose interests match the
   *   activity's type, title or category;
   * - `groups`, which the page invites in one go: by unit, those whose interests match, those below
   *   their weekly target. The page shows who each would add.
   */
  async rosterPlanning(user: SessionUser, activity: Activity): Promise<RosterPlanning> {
    if (!can(user, 'planActivities')) return { open: [], suggestions: [], groups: { byUnit: new Map(), likes: [], belowTarget: [] } };
    const [type, residents, present] = await Promise.all([
      this.types.findOneByOrFail({ id: activity.activityTypeId }),
      this.residents.currentBriefs([activity.homeId]),
      this.onActivity(this.activities.manager, activity.id),
    ]);
    const open = residents.filter((r) => !present.has(r.id));
    const standing = await this.weeklyStanding(open, activity);
    const words = `${type.name} ${activity.title} ${type.category}`;
    const interests = new Map(open.map((r) => [r.id, interestsMatching(r.interests, words)]));
    const byUnit = new Map<string, RosterResident[]>();
    for (const r of open) if (r.unitId) byUnit.set(r.unitId, [...(byUnit.get(r.unitId) ?? []), toRosterResident(r, 'staff')]);
    const suggestions = open
      .filter((r) => !activity.unitId || r.unitId === activity.unitId)
      .map((r) => {
        const { attended, belowTarget } = standing.get(r.id)!;
        return { ...toRosterResident(r, 'staff'), attendedLast7Days: attended, weeklyTarget: r.weeklyActivityTarget, belowTarget, matchingInterests: interests.get(r.id)! };
      })
      .filter((s) => s.belowTarget || s.matchingInterests.length > 0)
      .sort((a, b) => Number(b.belowTarget) - Number(a.belowTarget) || b.matchingInterests.length - a.matchingInterests.length || a.attendedLast7Days - b.attendedLast7Days || (a.fullName ?? '').localeCompare(b.fullName ?? ''));
    return {
      open,
      suggestions,
      groups: {
        byUnit,
        likes: open.filter((r) => interests.get(r.id)!.length > 0).map((r) => toRosterResident(r, 'staff')),
        belowTarget: open.filter((r) => standing.get(r.id)!.belowTarget).map((r) => toRosterResident(r, 'staff')),
      },
    };
  }

  /** The residents an invitation names, before anything is written: a field error names what is missing or not of the home. */
  private async chosenResidents(user: SessionUser, activity: Activity, input: InviteInput): Promise<string[]> {
    const mode = input.mode ?? 'selected';
    if (mode === 'selected') {
      if (!input.residentIds?.length) throw new ValidationError({ residentIds: { key: 'calendar.chooseResidents' } });
      return input.residentIds;
    }
    let unitId: string | undefined;
    if (mode === 'unit') {
      if (!input.unitId) throw new ValidationError({ unitId: { key: 'calendar.chooseUnit' } });
      unitId = input.unitId.toLowerCase();
      if ((await this.homes.places([activity.homeId])).units.get(unitId)?.homeId !== activity.homeId) throw new ValidationError({ unitId: { key: 'validation.isIn' } });
    }
    const { groups } = await this.rosterPlanning(user, activity);
    const chosen = mode === 'unit' ? (groups.byUnit.get(unitId!) ?? []) : mode === 'likes' ? groups.likes : groups.belowTarget;
    if (chosen.length === 0) throw new ValidationError({ mode: { key: 'calendar.nobodyToInvite' } });
    return chosen.map((r) => r.id);
  }

  /** The residents as given, each once, all current residents (active or on leave) of the home; a field error otherwise. */
  private async checkInvitable(m: EntityManager, homeId: string, residentIds: string[]): Promise<string[]> {
    const unique = [...new Set(residentIds.map((id) => id.toLowerCase()))];
    if (unique.length === 0) return [];
    const residents = (await this.residents.briefsByIds(unique, m)).filter((r) => r.homeId === homeId && (r.status === 'active' || r.status === 'on_leave'));
    if (residents.length !== unique.length) throw new ValidationError({ residentIds: { key: 'activities.unknownResident' } });
    return unique;
  }

  /** Who is on the activity already, invited or waiting. */
  private async onActivity(m: EntityManager, activityId: string): Promise<Set<string>> {
    const [rostered, waiting] = [await m.findBy(RosterEntry, { activityId }), await m.findBy(WaitlistEntry, { activityId })];
    return new Set([...rostered, ...waiting].map((e) => e.residentId));
  }

  /**
   * Places checked residents on one activity, in the caller's transaction: those already invited or
   * waiting stay where they are; the others take the free places (none when capacity is reached or
   * lowered below the roster), then queue behind the waiting list.
   */
  private async place(m: EntityManager, user: SessionUser, activity: Activity, residentIds: string[]): Promise<Placed> {
    await this.lockForUpdate(m, activity.id);
    // A place free while someone waits goes to them first (a list left from before, a log that added more).
    await this.moveUp(m, user, activity);
    const rostered = await m.countBy(RosterEntry, { activityId: activity.id });
    const waiting = await m.find(WaitlistEntry, { where: { activityId: activity.id }, order: { position: 'DESC' } });
    const present = await this.onActivity(m, activity.id);
    const fresh = residentIds.filter((id) => !present.has(id));
    const free = activity.capacity === null ? fresh.length : waiting.length > 0 ? 0 : Math.max(0, activity.capacity - rostered);
    const invited = fresh.slice(0, free);
    const waitlisted = fresh.slice(free);
    if (invited.length > 0) {
      await m.insert(RosterEntry, invited.map((residentId) => ({ id: randomUUID(), homeId: activity.homeId, activityId: activity.id, residentId })));
    }
    if (waitlisted.length > 0) {
      const last = waiting[0]?.position ?? 0;
      await m.insert(WaitlistEntry, waitlisted.map((residentId, i) => ({ id: randomUUID(), homeId: activity.homeId, activityId: activity.id, residentId, position: last + i + 1 })));
    }
    if (fresh.length > 0) {
      await this.audit.record(m, {
        action: 'update', userId: user.id, role: user.role, entityType: 'activity', entityId: activity.id, homeId: activity.homeId,
        changes: { roster: { old: null, new: `+${invited.length}` }, ...(waitlisted.length > 0 ? { waitingList: { old: null, new: `+${waitlisted.length}` } } : {}) },
      });
    }
    return { invited, waitlisted };
  }

  /** Takes one resident off one activity (roster or waiting list) and fills the place freed; answers who moved up. */
  private async takeOff(m: EntityManager, user: SessionUser, activity: Activity, residentId: string): Promise<string[]> {
    await this.lockForUpdate(m, activity.id);
    const fromRoster = await m.delete(RosterEntry, { activityId: activity.id, residentId });
    const fromList = fromRoster.affected ? { affected: 0 } : await m.delete(WaitlistEntry, { activityId: activity.id, residentId });
    if (!fromRoster.affected && !fromList.affected) return [];
    await this.audit.record(m, {
      action: 'update', userId: user.id, role: user.role, entityType: 'activity', entityId: activity.id, homeId: activity.homeId,
      changes: fromRoster.affected ? { roster: { old: residentId, new: null } } : { waitingList: { old: residentId, new: null } },
    });
    return this.moveUp(m, user, activity);
  }

  /**
   * Fills the activity's free places from its waiting list, first come first served, in the caller's
   * transaction (after a removal or a capacity raised). Someone who has left the home since is taken
   * off the list instead: a closed record is never invited. Answers who moved up.
   */
  async moveUp(m: EntityManager, user: SessionUser, activity: Pick<Activity, 'id' | 'homeId' | 'capacity' | 'status'>): Promise<string[]> {
    if (activity.status === 'cancelled') return [];
    const waiting = await m.find(WaitlistEntry, { where: { activityId: activity.id }, order: { position: 'ASC' } });
    if (waiting.length === 0) return [];
    const rostered = await m.countBy(RosterEntry, { activityId: activity.id });
    let free = activity.capacity === null ? waiting.length : activity.capacity - rostered;
    if (free <= 0) return [];
    const open = new Set((await this.residents.briefsByIds(waiting.map((e) => e.residentId), m)).filter((r) => r.status === 'active' || r.status === 'on_leave').map((r) => r.id));
    const moved: string[] = [];
    const dropped: string[] = [];
    for (const entry of waiting) {
      if (free <= 0) break;
      if (!open.has(entry.residentId)) {
        dropped.push(entry.residentId);
        continue;
      }
      moved.push(entry.residentId);
      free -= 1;
    }
    const leaving = [...moved, ...dropped];
    if (leaving.length === 0) return [];
    await m.delete(WaitlistEntry, { activityId: activity.id, residentId: In(leaving) });
    if (moved.length > 0) {
      await m.insert(RosterEntry, moved.map((residentId) => ({ id: randomUUID(), homeId: activity.homeId, activityId: activity.id, residentId })));
      await this.audit.record(m, {
        action: 'update', userId: user.id, role: user.role, entityType: 'activity', entityId: activity.id, homeId: activity.homeId,
        changes: { roster: { old: null, new: `+${moved.length}` }, waitingList: { old: `${moved.length}`, new: null } },
      });
    }
    return moved;
  }

  /**
   * The series' occurrences after this one that a roster change carries to: same seriesId, starting
   * later, still planned, nothing logged on them. None for a one-off activity.
   */
  private async followingOccurrences(m: EntityManager, activity: Activity): Promise<Activity[]> {
    if (activity.seriesId === null) return [];
    return m.createQueryBuilder(Activity, 'a')
      .where('a.seriesId = :seriesId AND a.homeId = :homeId AND a.startsAt >= :startsAt AND a.status = :planned AND a.id <> :id', {
        seriesId: activity.seriesId, homeId: activity.homeId, startsAt: activity.startsAt, planned: 'planned', id: activity.id,
      })
      .andWhere((sub) => `NOT EXISTS ${sub.subQuery().select('1').from(Participation, 'p').where('p.activityId = a.id').getQuery()}`)
      .orderBy('a.startsAt', 'ASC')
      .getMany();
  }

  /**
   * The residents the tablet log may add (staff only; nobody for anyone else): the home's current
   * residents not on the roster, each marked when they live in the log's unit (the activity's, or the
   * carer's own when the activity has none) and when their interests match the activity.
   */
  async addableResidents(user: SessionUser, activityId: string): Promise<{ unitId: string | null; residents: AddableResident[] }> {
    const activity = await this.get(user, activityId);
    if (!can(user, 'homeStaff')) return { unitId: null, residents: [] };
    const [type, roster, current, ownUnit] = await Promise.all([
      this.types.findOneByOrFail({ id: activity.activityTypeId }),
      this.roster.findBy({ activityId }),
      this.residents.currentBriefs([activity.homeId]),
      activity.unitId || user.personKind !== 'staff' || !user.personId ? null : this.staff.unitOf(user.personId),
    ]);
    const unitId = activity.unitId ?? ownUnit;
    const onRoster = new Set(roster.map((e) => e.residentId));
    const words = `${type.name} ${activity.title} ${type.category}`;
    const residents = current
      .filter((r) => !onRoster.has(r.id))
      .map((r) => ({ ...toRosterResident(r, 'staff'), unitId: r.unitId, inUnit: unitId !== null && r.unitId === unitId, likesType: interestsMatching(r.interests, words).length > 0 }))
      .sort((a, b) => a.displayName.localeCompare(b.displayName) || (a.fullName ?? '').localeCompare(b.fullName ?? ''));
    return { unitId, residents };
  }

  /**
   * The log's bulk add without a script: the residents ticked, or everyone of the unit, or those
   * who like the activity, added to the roster. Nothing chosen is a field error, as is anyone not addable.
   */
  async addResidents(user: SessionUser, activityId: string, input: { residentIds?: string[]; scope?: 'unit' | 'likes' }): Promise<Placed> {
    let residentIds = input.residentIds ?? [];
    if (input.scope) {
      const { residents } = await this.addableResidents(user, activityId);
      residentIds = residents.filter((r) => (input.scope === 'unit' ? r.inUnit : r.likesType)).map((r) => r.id);
    }
    if (residentIds.length === 0) {
      // Not staff: the same answer as addToRoster's, before anything else is said.
      if (!can(user, 'homeStaff')) throw new NotFoundError();
      throw new ValidationError({ residentIds: { key: 'activities.chooseResidents' } });
    }
    return this.addToRoster(user, activityId, residentIds);
  }

  /**
   * Each resident's attended activities in the 7 days the weekly badge counts, and whether that is
   * below their weekly target: the last 7 days, or the 7 days before the activity when it is past.
   * The page's suggestions and the invitation of those below target both read it.
   */
  private async weeklyStanding(residents: ResidentBrief[], activity: Pick<Activity, 'startsAt'>): Promise<Map<string, { attended: number; belowTarget: boolean }>> {
    const now = new Date();
    const counts = await this.attendanceCounts(residents.map((r) => r.id), activity.startsAt < now ? activity.startsAt : now);
    return new Map(residents.map((r) => {
      const attended = counts.get(r.id) ?? 0;
      return [r.id, { attended, belowTarget: isBelowWeeklyTarget(attended, r.weeklyActivityTarget) }];
    }));
  }

  /** Attended participations (active, passive, disengaged) per resident in the 7 days before `until`. */
  async attendanceCounts(residentIds: string[], until = new Date()): Promise<Map<string, number>> {
    if (residentIds.length === 0) return new Map();
    const since = new Date(until.getTime() - 7 * 24 * 60 * 60 * 1000);
    const rows = await this.activities.manager
      .createQueryBuilder(Participation, 'p')
      .innerJoin(Activity, 'a', 'a.id = p.activityId')
      .select('p.residentId', 'residentId')
      .addSelect('COUNT(*)', 'n')
      .where('p.residentId IN (:...residentIds)', { residentIds })
      .andWhere('p.engagement IN (:...attended)', { attended: ['active', 'passive', 'disengaged'] })
      .andWhere('a.startsAt >= :since AND a.startsAt < :until', { since, until })
      .groupBy('p.residentId')
      .getRawMany<{ residentId: string; n: string | number }>();
    return new Map(rows.map((row) => [row.residentId, Number(row.n)]));
  }

  /**
   * A resident's participation per week over the last `weeks` weeks, Monday to Sunday in the home's
   * time zone, the current week counted to today. It counts what the resident's summary counts:
   * participation in activities of the resident's home that were not cancelled, per engagement level
   * (tallyEngagements). One query; the rows are put in their local week here, as the engines do not
   * share a way to do it in SQL.
   */
  async weeklyParticipation(residentId: string, homeId: string, weeks: number, now = new Date()): Promise<WeeklyParticipation> {
    const zone = await this.homes.timezoneOf(homeId);
    const today = todayIn(zone, now);
    const first = addDays(mondayOf(today), -7 * (weeks - 1));
    const mondays = Array.from({ length: weeks }, (_, i) => addDays(first, 7 * i));
    const rows = await this.activities.manager
      .createQueryBuilder(Participation, 'p')
      .innerJoin(Activity, 'a', 'a.id = p.activityId')
      .select('p.engagement', 'engagement')
      .addSelect('a.startsAt', 'startsAt')
      .where('p.residentId = :residentId AND a.homeId = :homeId', { residentId, homeId })
      .andWhere('a.status <> :cancelled', { cancelled: 'cancelled' })
      .andWhere('a.startsAt >= :start AND a.startsAt < :end', { start: localDayRange(first, zone).start, end: localDayRange(today, zone).end })
      .getRawMany<{ engagement: Engagement; startsAt: Date | string }>();
    const counted = tallyEngagements(mondays, rows.map((row) => ({ period: mondayOf(utcToLocal(asDate(row.startsAt), zone).date), engagement: row.engagement })));
    return { levels: ENGAGEMENTS, weeks: counted.map(({ key, counts, total }) => ({ weekStart: key, counts, total })), today };
  }

  async recentParticipation(residentId: string, homeId: string, limit: number): Promise<ParticipationEntry[]> {
    const rows = await sqlRows<Omit<ParticipationEntry, 'startsAt'> & { startsAt: Date | string }>(
      this.activities.manager,
      `SELECT p."activityId", a.title, a."startsAt", p.engagement, p."moodBefore", p."moodAfter", p."staffNote", p."familyNote"
       FROM participation p JOIN activity a ON a.id = p."activityId"
       WHERE p."residentId" = ? AND a."homeId" = ? AND a.status <> 'cancelled'
       ORDER BY a."startsAt" DESC LIMIT ${Math.max(1, Math.floor(limit))}`,
      [residentId, homeId],
    );
    return rows.map((row) => ({ ...row, startsAt: asDate(row.startsAt) }));
  }

  async recentContributions(residentId: string, homeId: string, limit: number): Promise<ResidentContribution[]> {
    const rows = await this.contributions.residentContributions(residentId, homeId, limit);
    const ids = [...new Set(rows.map((r) => r.activityId).filter((id): id is string => id !== null))];
    const titles = new Map((ids.length ? await this.activities.find({ select: { id: true, title: true }, where: { id: In(ids) } }) : []).map((a) => [a.id, a.title]));
    return rows.map((row) => ({ ...row, activityTitle: row.activityId ? (titles.get(row.activityId) ?? null) : null }));
  }

  /** Residents living in the user's homes who attended fewer activities in the last 7 days than their weekly target. */
  async belowWeeklyTarget(user: SessionUser): Promise<(RosterResident & { attended: number; target: number; badge: WeeklyBadge })[]> {
    if (user.homeIds.length === 0) return [];
    const residents = await this.residents.currentBriefs(user.homeIds);
    const counts = await this.attendanceCounts(residents.map((r) => r.id));
    return residents
      .map((r) => ({ ...toRosterResident(r, 'staff'), attended: counts.get(r.id) ?? 0, target: r.weeklyActivityTarget }))
      .filter((r) => isBelowWeeklyTarget(r.attended, r.target))
      .map((r) => ({ ...r, badge: weeklyBadge(r.attended) }))
      .sort((a, b) => a.attended / Math.max(1, a.target) - b.attended / Math.max(1, b.target));
  }

  /** Activities with help offers waiting for an answer in the user's homes, each once with its count of offers, soonest first. */
  async pendingOffers(user: SessionUser): Promise<{ activityId: string; homeId: string; title: string; date: string; time: string; offers: number }[]> {
    if (user.homeIds.length === 0) return [];
    const rows = await this.activities.manager
      .createQueryBuilder(Activity, 'a')
      .innerJoin(HelpOffer, 'o', 'o.activityId = a.id')
      .select('a.id', 'id')
      .addSelect('a.homeId', 'homeId')
      .addSelect('a.title', 'title')
      .addSelect('a.startsAt', 'startsAt')
      .addSelect('COUNT(o.id)', 'offers')
      .where('a.homeId IN (:...homeIds) AND o.status = :offered AND a.status = :planned', { homeIds: user.homeIds, offered: 'offered', planned: 'planned' })
      .groupBy('a.id')
      .addGroupBy('a.homeId')
      .addGroupBy('a.title')
      .addGroupBy('a.startsAt')
      .orderBy('a.startsAt', 'ASC')
      .addOrderBy('a.title', 'ASC')
      .limit(20)
      .getRawMany<{ id: string; homeId: string; title: string; startsAt: Date | string; offers: number | string }>();
    const { homes } = await this.homes.places(user.homeIds);
    return rows.map((row) => {
      const local = utcToLocal(asDate(row.startsAt), homes.get(row.homeId)!.timezone);
      return { activityId: row.id, homeId: row.homeId, title: row.title, date: local.date, time: local.time, offers: asNumber(row.offers) };
    });
  }

  // Reads for other modules (plans, portal): plain views, no entities --------------------------

  /** The home's activity types by name, active or not, for the goals of a resident's plan. */
  async typeChoices(homeId: string): Promise<{ id: string; name: string; active: boolean }[]> {
    const types = await this.activities.manager.find(ActivityType, { select: { id: true, name: true, active: true }, where: { homeId }, order: { name: 'ASC' } });
    return types.map((t) => ({ id: t.id, name: t.name, active: t.active }));
  }

  /** Which of these residents are on the roster of which of these activities, in one query. */
  async rosterPairs(residentIds: string[], activityIds: string[]): Promise<{ residentId: string; activityId: string }[]> {
    if (residentIds.length === 0 || activityIds.length === 0) return [];
    const rows = await this.activities.manager.find(RosterEntry, {
      select: { residentId: true, activityId: true }, where: { residentId: In(residentIds), activityId: In(activityIds) },
    });
    return rows.map((row) => ({ residentId: row.residentId, activityId: row.activityId }));
  }

  /** Title and description of activities by id, for pages that already know which activities they show. */
  async textsOf(activityIds: string[]): Promise<Map<string, { title: string; description: string | null }>> {
    if (activityIds.length === 0) return new Map();
    const rows = await this.activities.manager.find(Activity, { select: { id: true, title: true, description: true }, where: { id: In([...new Set(activityIds)]) } });
    return new Map(rows.map((a) => [a.id, { title: a.title, description: a.description }]));
  }

  // Helpers ----------------------------------------------------------------------------------

  /**
   * The one query every read starts from. Staff and volunteers see their homes' activities (volunteers
   * to offer help); a relative sees those shown to families. Help offers read back to their offerer join it.
   */
  visible(user: SessionUser, manager: EntityManager = this.activities.manager): SelectQueryBuilder<Activity> {
    const qb = scopeToHomes(manager.createQueryBuilder(Activity, 'a'), user);
    if (can(user, 'homeStaff') || user.role === 'volunteer') return qb;
    if (user.role === 'family') return qb.andWhere('a.visibleToFamilies = :shown', { shown: true });
    return qb.andWhere('1 = 0');
  }

  private async checkType(m: EntityManager, user: SessionUser, typeId: string, homeId?: string): Promise<ActivityType> {
    const type = await m.findOneBy(ActivityType, { id: typeId });
    if (!type || !user.homeIds.includes(type.homeId) || (homeId && type.homeId !== homeId)) {
      throw new ValidationError({ activityTypeId: { key: 'validation.isIn' } });
    }
    return type;
  }

  /** Residents a new activity may invite: living in its home now, no more than its places (field errors otherwise). */
  private async invitable(m: EntityManager, homeId: string, residentIds: string[], capacity: number | null): Promise<string[]> {
    const unique = [...new Set(residentIds)];
    if (unique.length === 0) return [];
    const residents = (await this.residents.briefsByIds(unique, m)).filter((r) => r.homeId === homeId && (r.status === 'active' || r.status === 'on_leave'));
    if (residents.length !== unique.length) throw new ValidationError({ residentIds: { key: 'activities.unknownResident' } });
    if (capacity !== null && unique.length > capacity) throw new ValidationError({ residentIds: { key: 'activities.overCapacity', params: { n: capacity } } });
    return unique;
  }

  /** The unit and lead chosen belong to the activity's home; answers the home's time zone. */
  private async checkPlacement(homeId: string, input: ActivityDto): Promise<string> {
    const [places, staff] = await Promise.all([this.homes.places([homeId]), input.leadStaffId ? this.staff.activeOf([homeId]) : []]);
    if (input.unitId && places.units.get(input.unitId)?.homeId !== homeId) throw new ValidationError({ unitId: { key: 'validation.isIn' } });
    if (input.leadStaffId && !staff.some((s) => s.id === input.leadStaffId)) throw new ValidationError({ leadStaffId: { key: 'validation.isIn' } });
    return places.homes.get(homeId)!.timezone;
  }

  /** The activity's columns from a form; a blank title or length is the type's (on create and edit alike: both are required). */
  private fieldsFrom(input: ActivityDto, type: ActivityType, timezone: string, date: string) {
    let startsAt: Date;
    try {
      startsAt = localToUtc(date, input.time, timezone);
    } catch {
      throw new ValidationError({ date: { key: 'validation.isDateString' } });
    }
    return {
      activityTypeId: input.activityTypeId, title: input.title ?? type.name, startsAt, durationMinutes: input.durationMinutes ?? type.defaultDurationMinutes,
      location: input.location ?? null, unitId: input.unitId ?? null, capacity: input.capacity ?? null, phases: phaseList(input.phases ?? []),
      leadStaffId: input.leadStaffId ?? null, description: input.description ?? null, visibleToFamilies: input.visibleToFamilies === true,
    };
  }

  private async summaries(rows: Activity[]): Promise<ActivitySummary[]> {
    if (rows.length === 0) return [];
    const m = this.activities.manager;
    const ids = rows.map((a) => a.id);
    const [types, places, rosterCounts, loggedCounts] = await Promise.all([
      m.findBy(ActivityType, { id: In([...new Set(rows.map((a) => a.activityTypeId))]) }),
      this.homes.places([...new Set(rows.map((a) => a.homeId))]),
      this.countBy(RosterEntry, ids),
      this.countBy(Participation, ids),
    ]);
    const typeById = new Map(types.map((t) => [t.id, t]));
    return rows.map((a) => {
      const type = typeById.get(a.activityTypeId);
      return toSummary(a, {
        typeName: type?.name ?? null, category: type?.category ?? null, unitName: a.unitId ? (places.units.get(a.unitId)?.name ?? null) : null,
        zone: places.homes.get(a.homeId)!.timezone, rosterCount: rosterCounts.get(a.id) ?? 0, loggedCount: loggedCounts.get(a.id) ?? 0,
      });
    });
  }

  private async countBy(entity: typeof RosterEntry | typeof Participation, activityIds: string[]): Promise<Map<string, number>> {
    const rows = await this.activities.manager
      .createQueryBuilder(entity, 'x')
      .select('x.activityId', 'activityId')
      .addSelect('COUNT(*)', 'n')
      .where('x.activityId IN (:...activityIds)', { activityIds })
      .groupBy('x.activityId')
      .getRawMany<{ activityId: string; n: string | number }>();
    return new Map(rows.map((row) => [row.activityId, Number(row.n)]));
  }

  // Reads for other modules ------------------------------------------------------------------

  /** Activities by id, as other modules name and check them (one query); inside a transaction, pass its manager. */
  async briefsByIds(ids: string[], manager: EntityManager = this.activities.manager): Promise<ActivityBrief[]> {
    if (ids.length === 0) return [];
    return manager.find(Activity, { select: BRIEF_COLUMNS, where: { id: In([...new Set(ids)]) } });
  }

  /** Activity types by id (one query); inside a transaction, pass its manager. */
  async typeBriefsByIds(ids: string[], manager: EntityManager = this.types.manager): Promise<ActivityTypeBrief[]> {
    if (ids.length === 0) return [];
    return manager.find(ActivityType, { select: { id: true, homeId: true, name: true }, where: { id: In([...new Set(ids)]) } });
  }

  /**
   * Activities of these homes held since a date and not cancelled, newest first (at most 60): those a
   * volunteer was confirmed to help with, or those any of these residents attended (active, passive or
   * disengaged), optionally only those shown to families.
   */
  async recentlyHeld(homeIds: string[], since: Date, by: RecentlyHeldBy): Promise<ActivityBrief[]> {
    if (homeIds.length === 0) return [];
    const qb = this.activities.createQueryBuilder('a')
      .select(Object.keys(BRIEF_COLUMNS).map((column) => `a.${column}`))
      .where('a.homeId IN (:...homeIds) AND a.startsAt >= :since AND a.startsAt <= :now AND a.status <> :cancelled', { homeIds, since, now: new Date(), cancelled: 'cancelled' })
      .orderBy('a.startsAt', 'DESC')
      .take(60);
    if ('helperVolunteerId' in by) {
      qb.innerJoin(HelpOffer, 'o', 'o.activityId = a.id AND o.volunteerId = :volunteerId AND o.status = :confirmed', { volunteerId: by.helperVolunteerId, confirmed: 'confirmed' });
      return qb.getMany();
    }
    if (by.attendedBy.length === 0) return [];
    if (by.shownToFamilies) qb.andWhere('a.visibleToFamilies = :shown', { shown: true });
    qb.andWhere((sub) => `a.id IN ${sub.subQuery().select('p.activityId').from(Participation, 'p').where('p.residentId IN (:...residentIds) AND p.engagement IN (:...attended)').getQuery()}`, {
      residentIds: by.attendedBy, attended: [...ATTENDED],
    });
    return qb.getMany();
  }

  /** Whether any of these residents attended the activity (SPEC 5: active, passive or disengaged). */
  async anyAttended(activityId: string, residentIds: string[], manager: EntityManager = this.activities.manager): Promise<boolean> {
    return residentIds.length > 0 && manager.existsBy(Participation, { activityId, residentId: In(residentIds), engagement: In([...ATTENDED]) });
  }

  /** Whether a volunteer is confirmed to help with the activity. */
  async isConfirmedHelper(activityId: string, volunteerId: string, manager: EntityManager = this.activities.manager): Promise<boolean> {
    return manager.existsBy(HelpOffer, { activityId, volunteerId, status: 'confirmed' });
  }

  /** Takes the activity's row lock until the transaction ends, so writers about one activity take turns. */
  async lockForUpdate(manager: EntityManager, id: string): Promise<void> {
    await lockRow(manager, 'activity', id);
  }
}

/** A resident as a roster shows them, through the reader's lens. */
export function toRosterResident(r: ResidentBrief, lens: Lens): RosterResident {
  const displayName = r.preferredName || r.firstName;
  const initials = lens === 'volunteer'
    ? displayName.split(/\s+/).filter(Boolean).slice(0, 2).map((part) => part[0]).join('').toUpperCase()
    : `${r.firstName[0] ?? ''}${r.lastName[0] ?? ''}`.toUpperCase();
  return throughLens('rosterResident', lens, { id: r.id, displayName, fullName: `${r.firstName} ${r.lastName}`, initials, hasPhoto: r.hasPhoto, onLeave: r.status === 'on_leave' }) as RosterResident;
}
