import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository, SelectQueryBuilder } from 'typeorm';
import { AuditService, diffFields } from '../audit/audit.service';
import { resolveHomeId, scopeToHomes } from '../common/access/home-scope';
import type { SessionUser } from '../common/access/session-user';
import { NotFoundError, ValidationError } from '../common/errors/domain-errors';
import { addDays, localToUtc, utcToLocal } from '../common/time/zoned';
import { ContributionsService } from '../contributions/contributions.service';
import { asDate, asNumber, placeholders, sqlRows } from '../database/sql';
import { UnitOfWork } from '../database/unit-of-work';
import { Home } from '../homes/entities/home.entity';
import { Unit } from '../homes/entities/unit.entity';
import { Resident } from '../residents/entities/resident.entity';
import { StaffMember } from '../staff/entities/staff-member.entity';
import { canPlanActivities, isActivityStaff } from './activity-access';
import { ActivityDto, ActivityTypeDto } from './dto/activity.dto';
import { Activity } from './entities/activity.entity';
import { ActivityStatus, ActivityCategory } from './activities.enums';
import { ActivityType } from './entities/activity-type.entity';
import { HelpOffer } from './entities/help-offer.entity';
import { Participation } from './entities/participation.entity';
import { RosterEntry } from './entities/roster-entry.entity';
import { weeklyBadge, WeeklyBadge } from './weekly-badge';

const ACTIVITY_FIELDS = [
  'activityTypeId', 'title', 'startsAt', 'durationMinutes', 'location', 'unitId', 'capacity', 'leadStaffId', 'description', 'visibleToFamilies',
] as const;

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

export interface RosterResident {
  id: string;
  displayName: string;
  fullName: string;
  initials: string;
  hasPhoto: boolean;
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
  ) {}

  // Activity types ---------------------------------------------------------------------------

  async listTypes(user: SessionUser, includeInactive = false): Promise<ActivityType[]> {
    const qb = scopeToHomes(this.types.createQueryBuilder('t'), user).orderBy('t.name', 'ASC');
    if (!includeInactive) qb.andWhere('t.active = :active', { active: true });
    return qb.getMany();
  }

  async getType(user: SessionUser, id: string): Promise<ActivityType> {
    const type = await this.types.findOneBy({ id });
    if (!type || !user.homeIds.includes(type.homeId)) throw new NotFoundError();
    return type;
  }

  async createType(user: SessionUser | null, input: ActivityTypeDto, manager?: EntityManager, homeIdForSeed?: string): Promise<ActivityType> {
    if (user && !canPlanActivities(user)) throw new NotFoundError();
    const homeId = user ? resolveHomeId(user, input.homeId) : homeIdForSeed!;
    const work = async (m: EntityManager) => {
      if (await m.existsBy(ActivityType, { homeId, name: input.name })) throw new ValidationError({ name: { key: 'activities.typeNameTaken' } });
      const type = m.create(ActivityType, {
        homeId, name: input.name, category: input.category as ActivityCategory, description: input.description ?? null,
        defaultDurationMinutes: input.defaultDurationMinutes, active: true,
      });
      await m.insert(ActivityType, type);
      await this.audit.record(m, {
        action: 'create', userId: user?.id, role: user?.role, entityType: 'activity_type', entityId: type.id, homeId,
        changes: diffFields({}, type, ['name', 'category', 'defaultDurationMinutes']),
      });
      return type;
    };
    return manager ? work(manager) : this.unitOfWork.transaction(work);
  }

  async updateType(user: SessionUser, id: string, input: ActivityTypeDto & { active?: boolean }): Promise<void> {
    if (!canPlanActivities(user)) throw new NotFoundError();
    await this.unitOfWork.transaction(async (m) => {
      const type = await m.findOneBy(ActivityType, { id });
      if (!type || !user.homeIds.includes(type.homeId)) throw new NotFoundError();
      const clash = await m.findOneBy(ActivityType, { homeId: type.homeId, name: input.name });
      if (clash && clash.id !== id) throw new ValidationError({ name: { key: 'activities.typeNameTaken' } });
      const next = {
        name: input.name, category: input.category as ActivityCategory, description: input.description ?? null,
        defaultDurationMinutes: input.defaultDurationMinutes, active: input.active ?? type.active,
      };
      const changes = diffFields(type, next, ['name', 'category', 'description', 'defaultDurationMinutes', 'active']);
      if (Object.keys(changes).length === 0) return;
      await m.update(ActivityType, { id }, next);
      await this.audit.record(m, {
        action: next.active ? 'update' : 'archive', userId: user.id, role: user.role, entityType: 'activity_type', entityId: id, homeId: type.homeId, changes,
      });
    });
  }

  // Activities -------------------------------------------------------------------------------

  /** Activities starting in [from, to), for the calendar, Today and the API. */
  async listBetween(user: SessionUser, from: Date, to: Date, options: { unitId?: string; includeCancelled?: boolean } = {}): Promise<ActivitySummary[]> {
    // One statement, in plain SQL: the tablet asks for its day more than for anything else. The
    // scope is the one visible() applies (the user's homes; families only what is shown to them).
    if (user.homeIds.length === 0 || !(isActivityStaff(user) || user.role === 'volunteer' || user.role === 'family')) return [];
    const where = [`a."homeId" IN (${placeholders(user.homeIds.length)})`, 'a."startsAt" >= ?', 'a."startsAt" < ?'];
    const params: unknown[] = [...user.homeIds, from, to];
    if (user.role === 'family') {
      where.push('a."visibleToFamilies" = ?');
      params.push(true);
    }
    // A unit's calendar includes whole-home activities.
    if (options.unitId) {
      where.push('(a."unitId" = ? OR a."unitId" IS NULL)');
      params.push(options.unitId);
    }
    if (!options.includeCancelled) where.push(`a.status <> 'cancelled'`);
    const rows = await sqlRows<SummaryRow>(
      this.activities.manager,
      `SELECT a.id, a."homeId", a.title, a."startsAt", a."durationMinutes", a.location, a."unitId", a.status, a."visibleToFamilies",
              t.name AS "typeName", t.category, u.name AS "unitName", h.timezone,
              (SELECT COUNT(*) FROM roster_entry r WHERE r."activityId" = a.id) AS "rosterCount",
              (SELECT COUNT(*) FROM participation p WHERE p."activityId" = a.id) AS "loggedCount"
       FROM activity a
       JOIN home h ON h.id = a."homeId"
       LEFT JOIN activity_type t ON t.id = a."activityTypeId"
       LEFT JOIN unit u ON u.id = a."unitId"
       WHERE ${where.join(' AND ')}
       ORDER BY a."startsAt", a.title`,
      params,
    );
    return rows.map((row) => {
      const startsAt = asDate(row.startsAt);
      return toSummary(
        { ...row, startsAt, visibleToFamilies: Boolean(row.visibleToFamilies) },
        { typeName: row.typeName, category: row.category, unitName: row.unitName, zone: row.timezone, rosterCount: asNumber(row.rosterCount), loggedCount: asNumber(row.loggedCount) },
      );
    });
  }

  /** An activity this user may see, or 404. */
  async get(user: SessionUser, id: string, manager: EntityManager = this.activities.manager): Promise<Activity> {
    const activity = await this.visible(user, manager).andWhere('a.id = :id', { id }).getOne();
    if (!activity) throw new NotFoundError();
    return activity;
  }

  async summary(user: SessionUser, id: string): Promise<ActivitySummary> {
    return (await this.summaries([await this.get(user, id)]))[0];
  }

  /** Creates one activity, or a weekly series of them (same weekday and local time each week). */
  async create(user: SessionUser, input: ActivityDto): Promise<Activity[]> {
    if (!canPlanActivities(user)) throw new NotFoundError();
    return this.unitOfWork.transaction(async (m) => {
      const type = await this.checkType(m, user, input.activityTypeId);
      const homeId = type.homeId;
      const home = await m.findOneByOrFail(Home, { id: homeId });
      await this.checkPlacement(m, homeId, input);
      const weeks = input.repeatWeeks ?? 1;
      const seriesId = weeks > 1 ? randomUUID() : null;
      const created: Activity[] = [];
      for (let week = 0; week < weeks; week += 1) {
        const activity = m.create(Activity, {
          ...this.fieldsFrom(input, home.timezone, addDays(input.date, week * 7)), homeId, seriesId, status: 'planned' as const,
          completedAt: null, cancelReason: null,
        });
        await m.insert(Activity, activity);
        created.push(activity);
      }
      await this.audit.record(m, {
        action: 'create', userId: user.id, role: user.role, entityType: 'activity', entityId: created[0].id, homeId,
        changes: { ...diffFields({}, created[0], ACTIVITY_FIELDS), ...(weeks > 1 ? { repeatWeeks: { old: null, new: weeks } } : {}) },
      });
      return created;
    });
  }

  async update(user: SessionUser, id: string, input: ActivityDto): Promise<void> {
    if (!canPlanActivities(user)) throw new NotFoundError();
    await this.unitOfWork.transaction(async (m) => {
      const activity = await this.get(user, id, m);
      if (activity.status === 'cancelled') throw new ValidationError({}, { key: 'activities.cancelledNoChanges' });
      await this.checkType(m, user, input.activityTypeId, activity.homeId);
      await this.checkPlacement(m, activity.homeId, input);
      const home = await m.findOneByOrFail(Home, { id: activity.homeId });
      const next = this.fieldsFrom(input, home.timezone, input.date);
      const changes = diffFields(activity, next, ACTIVITY_FIELDS);
      if (Object.keys(changes).length === 0) return;
      await m.update(Activity, { id }, next);
      await this.audit.record(m, { action: 'update', userId: user.id, role: user.role, entityType: 'activity', entityId: id, homeId: activity.homeId, changes });
    });
  }

  async cancel(user: SessionUser, id: string, reason: string | undefined): Promise<void> {
    if (!canPlanActivities(user)) throw new NotFoundError();
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

  async rosterOf(activityId: string, manager: EntityManager = this.activities.manager): Promise<RosterResident[]> {
    const residents = await manager
      .createQueryBuilder(Resident, 'r')
      .innerJoin(RosterEntry, 'e', 'e.residentId = r.id AND e.activityId = :activityId', { activityId })
      .orderBy('r.lastName', 'ASC')
      .addOrderBy('r.firstName', 'ASC')
      .getMany();
    return residents.map(toRosterResident);
  }

  async addToRoster(user: SessionUser, activityId: string, residentIds: string[], manager?: EntityManager): Promise<number> {
    const work = async (m: EntityManager) => {
      const activity = await this.get(user, activityId, m);
      if (!isActivityStaff(user)) throw new NotFoundError();
      if (activity.status === 'cancelled') throw new ValidationError({}, { key: 'activities.cancelledNoChanges' });
      const unique = [...new Set(residentIds)];
      if (unique.length === 0) return 0;
      const residents = await m.findBy(Resident, { id: In(unique), homeId: activity.homeId, status: In(['active', 'on_leave']) });
      if (residents.length !== unique.length) throw new ValidationError({ residentIds: { key: 'activities.unknownResident' } });
      const present = new Set((await m.findBy(RosterEntry, { activityId, residentId: In(unique) })).map((e) => e.residentId));
      const added = unique.filter((id) => !present.has(id));
      if (activity.capacity !== null) {
        const count = await m.countBy(RosterEntry, { activityId });
        if (count + added.length > activity.capacity) throw new ValidationError({ residentIds: { key: 'activities.overCapacity', params: { n: activity.capacity } } });
      }
      if (added.length > 0) {
        await m.insert(RosterEntry, added.map((residentId) => ({ id: randomUUID(), homeId: activity.homeId, activityId, residentId })));
        await this.audit.record(m, {
          action: 'update', userId: user.id, role: user.role, entityType: 'activity', entityId: activityId, homeId: activity.homeId,
          changes: { roster: { old: null, new: `+${added.length}` } },
        });
      }
      return added.length;
    };
    return manager ? work(manager) : this.unitOfWork.transaction(work);
  }

  async removeFromRoster(user: SessionUser, activityId: string, residentId: string): Promise<void> {
    if (!canPlanActivities(user)) throw new NotFoundError();
    await this.unitOfWork.transaction(async (m) => {
      const activity = await this.get(user, activityId, m);
      if (await m.existsBy(Participation, { activityId, residentId })) throw new ValidationError({}, { key: 'activities.loggedStaysOnRoster' });
      const result = await m.delete(RosterEntry, { activityId, residentId });
      if (result.affected) {
        await this.audit.record(m, {
          action: 'update', userId: user.id, role: user.role, entityType: 'activity', entityId: activityId, homeId: activity.homeId,
          changes: { roster: { old: residentId, new: null } },
        });
      }
    });
  }

  /**
   * Residents worth inviting: those below their weekly activity target over the last 7 days first,
   * then those whose interests match the activity's type or title.
   */
  async rosterSuggestions(user: SessionUser, activityId: string): Promise<(RosterResident & { attendedLast7Days: number; weeklyTarget: number; belowTarget: boolean; matchingInterests: string[] })[]> {
    const activity = await this.get(user, activityId);
    const type = await this.types.findOneByOrFail({ id: activity.activityTypeId });
    const onRoster = new Set((await this.roster.findBy({ activityId })).map((e) => e.residentId));
    const qb = this.activities.manager.createQueryBuilder(Resident, 'r')
      .where('r.homeId = :homeId AND r.status = :status', { homeId: activity.homeId, status: 'active' });
    if (activity.unitId) qb.andWhere('r.unitId = :unitId', { unitId: activity.unitId });
    const residents = (await qb.getMany()).filter((r) => !onRoster.has(r.id));
    const counts = await this.attendanceCounts(residents.map((r) => r.id), activity.startsAt);
    const words = `${type.name} ${activity.title} ${type.category}`.toLowerCase();
    return residents
      .map((r) => {
        const attended = counts.get(r.id) ?? 0;
        const matchingInterests = r.interests.filter((interest) => words.includes(interest.toLowerCase()));
        return { ...toRosterResident(r), attendedLast7Days: attended, weeklyTarget: r.weeklyActivityTarget, belowTarget: attended < r.weeklyActivityTarget, matchingInterests };
      })
      .filter((s) => s.belowTarget || s.matchingInterests.length > 0)
      .sort((a, b) => Number(b.belowTarget) - Number(a.belowTarget) || b.matchingInterests.length - a.matchingInterests.length || a.attendedLast7Days - b.attendedLast7Days || a.fullName.localeCompare(b.fullName));
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

  /** Residents living in the user's homes who attended fewer activities in the last 7 days than their weekly target. */
  async belowWeeklyTarget(user: SessionUser): Promise<(RosterResident & { attended: number; target: number; badge: WeeklyBadge })[]> {
    if (user.homeIds.length === 0) return [];
    const residents = await this.activities.manager.find(Resident, {
      where: { homeId: In(user.homeIds), status: 'active' }, order: { lastName: 'ASC', firstName: 'ASC' },
    });
    const counts = await this.attendanceCounts(residents.map((r) => r.id));
    return residents
      .map((r) => ({ ...toRosterResident(r), attended: counts.get(r.id) ?? 0, target: r.weeklyActivityTarget }))
      .filter((r) => r.attended < r.target)
      .map((r) => ({ ...r, badge: weeklyBadge(r.attended) }))
      .sort((a, b) => a.attended / Math.max(1, a.target) - b.attended / Math.max(1, b.target));
  }

  /** Help offers waiting for an answer in the user's homes, soonest activity first. */
  async pendingOffers(user: SessionUser): Promise<{ offerId: string; activityId: string; title: string; date: string; time: string }[]> {
    if (user.homeIds.length === 0) return [];
    const rows = await this.activities.manager
      .createQueryBuilder(HelpOffer, 'o')
      .innerJoinAndMapOne('o.activity', Activity, 'a', 'a.id = o.activityId')
      .where('o.homeId IN (:...homeIds) AND o.status = :offered AND a.status = :planned', { homeIds: user.homeIds, offered: 'offered', planned: 'planned' })
      .orderBy('a.startsAt', 'ASC')
      .take(20)
      .getMany();
    const zones = new Map((await this.activities.manager.findBy(Home, { id: In(user.homeIds) })).map((h) => [h.id, h.timezone]));
    return rows.map((o) => {
      const activity = (o as HelpOffer & { activity: Activity }).activity;
      const local = utcToLocal(activity.startsAt, zones.get(activity.homeId)!);
      return { offerId: o.id, activityId: activity.id, title: activity.title, date: local.date, time: local.time };
    });
  }

  // Helpers ----------------------------------------------------------------------------------

  /**
   * The one query every read starts from. Staff and volunteers see their homes' activities (volunteers
   * to offer help); a relative sees those shown to families.
   */
  private visible(user: SessionUser, manager: EntityManager = this.activities.manager): SelectQueryBuilder<Activity> {
    const qb = scopeToHomes(manager.createQueryBuilder(Activity, 'a'), user);
    if (isActivityStaff(user) || user.role === 'volunteer') return qb;
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

  private async checkPlacement(m: EntityManager, homeId: string, input: ActivityDto): Promise<void> {
    if (input.unitId && !(await m.existsBy(Unit, { id: input.unitId, homeId }))) throw new ValidationError({ unitId: { key: 'validation.isIn' } });
    if (input.leadStaffId && !(await m.existsBy(StaffMember, { id: input.leadStaffId, homeId, status: 'active' }))) {
      throw new ValidationError({ leadStaffId: { key: 'validation.isIn' } });
    }
  }

  private fieldsFrom(input: ActivityDto, timezone: string, date: string) {
    let startsAt: Date;
    try {
      startsAt = localToUtc(date, input.time, timezone);
    } catch {
      throw new ValidationError({ date: { key: 'validation.isDateString' } });
    }
    return {
      activityTypeId: input.activityTypeId, title: input.title, startsAt, durationMinutes: input.durationMinutes,
      location: input.location ?? null, unitId: input.unitId ?? null, capacity: input.capacity ?? null,
      leadStaffId: input.leadStaffId ?? null, description: input.description ?? null, visibleToFamilies: input.visibleToFamilies === true,
    };
  }

  private async summaries(rows: Activity[]): Promise<ActivitySummary[]> {
    if (rows.length === 0) return [];
    const m = this.activities.manager;
    const ids = rows.map((a) => a.id);
    const homeIds = [...new Set(rows.map((a) => a.homeId))];
    const [types, units, homes, rosterCounts, loggedCounts] = await Promise.all([
      m.findBy(ActivityType, { id: In([...new Set(rows.map((a) => a.activityTypeId))]) }),
      m.findBy(Unit, { homeId: In(homeIds) }),
      m.findBy(Home, { id: In(homeIds) }),
      this.countBy(RosterEntry, ids),
      this.countBy(Participation, ids),
    ]);
    const typeById = new Map(types.map((t) => [t.id, t]));
    const unitName = new Map(units.map((u) => [u.id, u.name]));
    const zone = new Map(homes.map((h) => [h.id, h.timezone]));
    return rows.map((a) => {
      const type = typeById.get(a.activityTypeId);
      return toSummary(a, {
        typeName: type?.name ?? null, category: type?.category ?? null, unitName: a.unitId ? (unitName.get(a.unitId) ?? null) : null, zone: zone.get(a.homeId)!,
        rosterCount: rosterCounts.get(a.id) ?? 0, loggedCount: loggedCounts.get(a.id) ?? 0,
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
}

type SummaryFields = Pick<Activity, 'id' | 'homeId' | 'title' | 'startsAt' | 'durationMinutes' | 'location' | 'unitId' | 'status' | 'visibleToFamilies'>;

interface SummaryRow extends Omit<SummaryFields, 'startsAt' | 'visibleToFamilies'> {
  startsAt: Date | string;
  visibleToFamilies: boolean | number;
  typeName: string | null;
  category: ActivityCategory | null;
  unitName: string | null;
  timezone: string;
  rosterCount: number | string;
  loggedCount: number | string;
}

/** An activity as lists show it, with its times in its home's zone. */
function toSummary(
  a: SummaryFields,
  more: { typeName: string | null; category: ActivityCategory | null; unitName: string | null; zone: string; rosterCount: number; loggedCount: number },
): ActivitySummary {
  const start = utcToLocal(a.startsAt, more.zone);
  const end = utcToLocal(new Date(a.startsAt.getTime() + a.durationMinutes * 60_000), more.zone);
  return {
    id: a.id, homeId: a.homeId, title: a.title, typeName: more.typeName ?? '', category: more.category ?? 'social', startsAt: a.startsAt,
    date: start.date, time: start.time, endTime: end.time, durationMinutes: a.durationMinutes, location: a.location,
    unitId: a.unitId, unitName: a.unitId ? more.unitName : null, status: a.status,
    rosterCount: more.rosterCount, loggedCount: more.loggedCount, visibleToFamilies: a.visibleToFamilies,
  };
}

export function toRosterResident(r: Resident): RosterResident {
  const displayName = r.preferredName || r.firstName;
  return {
    id: r.id, displayName, fullName: `${r.firstName} ${r.lastName}`, initials: `${r.firstName[0] ?? ''}${r.lastName[0] ?? ''}`.toUpperCase(),
    hasPhoto: r.consentPhotos && r.photoFile !== null,
  };
}
