import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { can, throughLens, WRITABLE_PARTICIPATION } from '../common/access/access-policy';
import type { SessionUser } from '../common/access/session-user';
import { NotFoundError, ValidationError } from '../common/errors/domain-errors';
import { asDate, placeholders, sqlRows, sqlRun } from '../database/sql';
import { AuthService } from '../auth/auth.service';
import { ClosedRecord, closedRecordError, ResidentsService } from '../residents/residents.service';
import { SummaryUpkeep } from '../database/summary-upkeep';
import { UnitOfWork } from '../database/unit-of-work';
import { ActivitiesService } from './activities.service';
import { ParticipationEntryDto } from './dto/activity.dto';
import { Activity } from './entities/activity.entity';
import { ActivityType } from './entities/activity-type.entity';
import { HelpOffer } from './entities/help-offer.entity';
import { Participation } from './entities/participation.entity';
import { LOG_AHEAD_MS } from './day-list';
import { ATTENDED, Engagement } from './activities.enums';

const DAY_MS = 24 * 60 * 60 * 1000;
const LOGGED_FIELDS = ['engagement', 'moodBefore', 'moodAfter', 'staffNote', 'familyNote'] as const;

/** One resident's entry in a log, as the reader's lens allows (moods and notes are absent for volunteers). */
export interface ParticipationView {
  residentId: string;
  engagement: Engagement;
  moodBefore?: number | null;
  moodAfter?: number | null;
  staffNote?: string | null;
  familyNote?: string | null;
  recordedAt: Date;
}

/** A resident's participation in an activity shown to families: no moods, no staff note. */
export interface FamilyVisibleParticipation {
  activityId: string;
  title: string;
  startsAt: Date;
  engagement: Engagement;
  familyNote: string | null;
}

/**
 * An entry not written because the resident's stored entry was tapped later (on another tablet):
 * what was kept and what this save asked for, so the carer is told rather than the tap lost silently.
 */
export interface ParticipationConflict {
  residentId: string;
  kept: { engagement: Engagement; tappedAt: Date; recordedBy: string | null };
  yours: { engagement: Engagement; tappedAt: Date };
}

/** The activity a user may log, read in the save's transaction, and the lens they log it through. */
export interface LoggingAccess {
  activity: Activity;
  lens: 'staff' | 'volunteer';
}

export interface SaveResult {
  activityId: string;
  status: Activity['status'];
  saved: number;
  participation: ParticipationView[];
  conflicts: ParticipationConflict[];
}

@Injectable()
export class ParticipationService {
  constructor(
    private readonly activities: ActivitiesService,
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditService,
    private readonly residents: ResidentsService,
    private readonly auth: AuthService,
    private readonly summaryUpkeep: SummaryUpkeep,
  ) {}

  /**
   * The lens a user logs an activity through: staff of the home log any activity; a volunteer only
   * those they are confirmed to help with; nobody else (404).
   */
  async loggingLens(m: EntityManager, user: SessionUser, activity: Activity): Promise<'staff' | 'volunteer'> {
    if (can(user, 'homeStaff')) return 'staff';
    if (user.role === 'volunteer' && user.personKind === 'volunteer' && user.personId) {
      if (await m.existsBy(HelpOffer, { activityId: activity.id, volunteerId: user.personId, status: 'confirmed' })) return 'volunteer';
    }
    throw new NotFoundError();
  }

  /**
   * Whether this user may log the activity now (404 otherwise), in the caller's transaction: an
   * idempotent replay asks again. The activity and lens found are what save() then works with.
   */
  async assertMayLog(user: SessionUser, activityId: string, m: EntityManager): Promise<LoggingAccess> {
    const activity = await this.activities.get(user, activityId, m);
    return { activity, lens: await this.loggingLens(m, user, activity) };
  }

  /**
   * The activity's log as this user may read it: staff the whole of it; a confirmed volunteer how each
   * resident they may see took part, without moods or notes.
   */
  async forActivity(user: SessionUser, activityId: string): Promise<ParticipationView[]> {
    const m = this.unitOfWork.manager;
    const activity = await this.activities.get(user, activityId);
    const lens = await this.loggingLens(m, user, activity);
    let rows = await m.findBy(Participation, { activityId });
    if (lens === 'volunteer') {
      const seen = new Set((await this.residents.briefsByIds(rows.map((r) => r.residentId))).filter((r) => r.volunteersMaySee).map((r) => r.id));
      rows = rows.filter((r) => seen.has(r.residentId));
    }
    return rows.map((row) => throughLens('participation', lens, toView(row)) as ParticipationView);
  }

  /**
   * Saves a log: one row per resident (inserted or updated in place, so concurrent saves of the same
   * activity never make two), residents added to the roster when missing, the activity marked held
   * when asked. Runs in the caller's transaction when given one (the idempotent API does), with the
   * access assertMayLog found in it, if it was asked.
   */
  async save(user: SessionUser, activityId: string, entries: ParticipationEntryDto[], complete: boolean, manager?: EntityManager, access?: LoggingAccess): Promise<SaveResult> {
    const work = async (m: EntityManager): Promise<SaveResult> => {
      const { activity, lens } = access ?? (await this.assertMayLog(user, activityId, m));
      if (activity.status === 'cancelled') throw new ValidationError({}, { key: 'activities.cancelledNoChanges' });
      if (activity.startsAt.getTime() > Date.now() + LOG_AHEAD_MS) throw new ValidationError({}, { key: 'activities.notYet' });
      const byResident = new Map(entries.map((entry) => [entry.residentId, entry]));
      if (byResident.size !== entries.length) throw new ValidationError({ entries: { key: 'activities.duplicateResident' } });
      const residentIds = [...byResident.keys()].sort();
      let closed: Map<string, ClosedRecord>;
      if (lens === 'volunteer') {
        await this.checkVolunteerEntries(m, activity, entries);
        closed = await this.residents.closedRecords(residentIds, m);
      } else {
        // By primary key (a home's index would read every resident of the home), the home checked here.
        const standing = await this.residents.standingOf(m, residentIds);
        if (standing.size !== residentIds.length || [...standing.values()].some((r) => r.homeId !== activity.homeId)) {
          throw new ValidationError({ entries: { key: 'activities.unknownResident' } });
        }
        closed = new Map([...standing].flatMap(([id, r]) => (r.closed ? [[id, r.closed] as const] : [])));
      }
      // Nothing new for a resident who has left or whose data was erased (the tablet's outbox shows
      // the refusal with its reason); their earlier entries stay as they were.
      const refused = entries.findIndex((e) => closed.has(e.residentId));
      if (refused >= 0) throw new ValidationError({ [`entries.${refused}.residentId`]: closedRecordError(closed.get(entries[refused].residentId)!) });
      const logged = await sqlRows<ParticipationRow>(
        m, `SELECT ${PARTICIPATION_COLUMNS} FROM participation WHERE "activityId" = ?`, [activityId],
      );
      const before = new Map(logged.map((p) => [p.residentId, p]));
      const now = new Date();
      const rows = residentIds.map((residentId) => {
        const entry = byResident.get(residentId)!;
        const old = before.get(residentId);
        // A volunteer writes how the resident took part; moods and notes stay as staff left them.
        const kept = lens === 'volunteer'
          ? { moodBefore: old?.moodBefore ?? null, moodAfter: old?.moodAfter ?? null, staffNote: old?.staffNote ?? null, familyNote: old?.familyNote ?? null }
          : { moodBefore: entry.moodBefore ?? null, moodAfter: entry.moodAfter ?? null, staffNote: entry.staffNote?.trim() || null, familyNote: entry.familyNote?.trim() || null };
        return { id: old?.id ?? randomUUID(), residentId, engagement: entry.engagement as Engagement, ...kept, recordedAt: now, tappedAt: tapTime(entry.tappedAt, now) };
      });
      const differs = rows.filter((row) => {
        const old = before.get(row.residentId);
        return !old || LOGGED_FIELDS.some((field) => (old[field] ?? null) !== (row[field] ?? null));
      });
      // The later tap wins: an entry tapped before the stored one was (on another tablet) is not written.
      const older = differs.filter((row) => before.has(row.residentId) && row.tappedAt.getTime() < storedTapTime(before.get(row.residentId)!));
      const changed = differs.filter((row) => !older.includes(row));
      if (changed.length > 0) {
        // One statement per save, in a fixed order: concurrent saves update the same rows instead of colliding.
        await sqlRun(
          m,
          `INSERT INTO participation (id, "createdAt", "updatedAt", "homeId", "activityId", "residentId", engagement, "moodBefore", "moodAfter", "staffNote", "familyNote", "recordedBy", "recordedAt", "tappedAt")
           VALUES ${changed.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}
           ON CONFLICT ("activityId", "residentId") DO UPDATE SET engagement = excluded.engagement, "moodBefore" = excluded."moodBefore",
             "moodAfter" = excluded."moodAfter", "staffNote" = excluded."staffNote", "familyNote" = excluded."familyNote",
             "recordedBy" = excluded."recordedBy", "recordedAt" = excluded."recordedAt", "tappedAt" = excluded."tappedAt", "updatedAt" = excluded."updatedAt"`,
          changed.flatMap((row) => [
            row.id, now, now, activity.homeId, activityId, row.residentId, row.engagement, row.moodBefore, row.moodAfter, row.staffNote, row.familyNote, user.id, now, row.tappedAt,
          ]),
        );
        if (lens === 'staff') await this.ensureOnRoster(m, activity, changed.map((row) => row.residentId));
        const changes: Record<string, { old: unknown; new: unknown }> = {};
        for (const row of changed) {
          const old = before.get(row.residentId);
          for (const field of LOGGED_FIELDS) {
            if ((old?.[field] ?? null) !== (row[field] ?? null)) changes[`${row.residentId}.${field}`] = { old: old?.[field] ?? null, new: row[field] };
          }
        }
        await this.audit.record(m, {
          action: changed.some((row) => before.has(row.residentId)) ? 'update' : 'create', userId: user.id, role: user.role, entityType: 'participation', entityId: activityId,
          homeId: activity.homeId, changes,
        });
      }
      if (complete) await this.activities.complete(m, user, activity);
      // The group view's counts of a held activity follow its log (docs/groups.md, summary tables).
      if (changed.length > 0 || complete) await this.summaryUpkeep.activitiesChanged(m, [activityId]);
      // The activity's log as it now stands: what was there, with this save's rows over it.
      const saved = new Map(changed.map((row) => [row.residentId, row]));
      const participation = [
        ...logged.map((p) => toView(saved.get(p.residentId) ?? { ...p, recordedAt: asDate(p.recordedAt) })),
        ...changed.filter((row) => !before.has(row.residentId)).map(toView),
      ];
      const visible = lens === 'staff' ? participation : await this.volunteerVisible(m, participation);
      return {
        activityId, status: activity.status, saved: changed.length,
        participation: visible.map((p) => throughLens('participation', lens, p) as ParticipationView),
        conflicts: await this.conflicts(m, older, before),
      };
    };
    return manager ? work(manager) : this.unitOfWork.transaction(work);
  }

  /** The entries a later tap beat, with who made the tap that was kept (a name only when there is a conflict). */
  private async conflicts(m: EntityManager, older: { residentId: string; engagement: Engagement; tappedAt: Date }[], before: Map<string, ParticipationRow>): Promise<ParticipationConflict[]> {
    if (older.length === 0) return [];
    const names = await this.auth.displayNames(older.map((row) => before.get(row.residentId)!.recordedBy), m);
    return older.map((row) => {
      const stored = before.get(row.residentId)!;
      return {
        residentId: row.residentId,
        kept: { engagement: stored.engagement, tappedAt: new Date(storedTapTime(stored)), recordedBy: (stored.recordedBy && names.get(stored.recordedBy)) ?? null },
        yours: { engagement: row.engagement, tappedAt: row.tappedAt },
      };
    });
  }

  /**
   * A volunteer records how residents took part, for residents already on the roster whom they may
   * see, and nothing else: a mood or a note (which they cannot read back) names the field refused.
   */
  private async checkVolunteerEntries(m: EntityManager, activity: Activity, entries: ParticipationEntryDto[]): Promise<void> {
    const writable = new Set<string>(WRITABLE_PARTICIPATION.volunteer);
    entries.forEach((entry, i) => {
      for (const [field, value] of Object.entries(entry)) {
        // tappedAt says when, not what: it is no field of the record a volunteer could be refused.
        if (field !== 'tappedAt' && !writable.has(field) && value !== null && value !== undefined && value !== '') {
          throw new ValidationError({ [`entries.${i}.${field}`]: { key: 'activities.volunteerCannotWrite' } });
        }
      }
    });
    const onRoster = new Set(
      (await sqlRows<{ residentId: string }>(m, 'SELECT "residentId" FROM roster_entry WHERE "activityId" = ?', [activity.id])).map((e) => e.residentId),
    );
    const seen = new Set((await this.residents.briefsByIds(entries.map((e) => e.residentId), m)).filter((r) => r.volunteersMaySee).map((r) => r.id));
    const refused = entries.findIndex((e) => !onRoster.has(e.residentId) || !seen.has(e.residentId));
    if (refused >= 0) throw new ValidationError({ [`entries.${refused}.residentId`]: { key: 'activities.notOnYourRoster' } });
  }

  private async volunteerVisible(m: EntityManager, participation: ParticipationView[]): Promise<ParticipationView[]> {
    const seen = new Set((await this.residents.briefsByIds(participation.map((p) => p.residentId), m)).filter((r) => r.volunteersMaySee).map((r) => r.id));
    return participation.filter((p) => seen.has(p.residentId));
  }

  // Reads for other modules (plans, portal): plain views, no entities --------------------------

  /** The type and category of each activity the resident attended in the 7 days before `until`, as the weekly badge counts. */
  async attendedTypesLastWeek(residentId: string, until = new Date()): Promise<{ typeId: string; category: string }[]> {
    return this.unitOfWork.manager
      .createQueryBuilder(Participation, 'p')
      .innerJoin(Activity, 'a', 'a.id = p.activityId')
      .innerJoin(ActivityType, 't', 't.id = a.activityTypeId')
      .select('a.activityTypeId', 'typeId')
      .addSelect('t.category', 'category')
      .where('p.residentId = :residentId', { residentId })
      .andWhere('p.engagement IN (:...attended)', { attended: [...ATTENDED] })
      .andWhere('a.startsAt >= :since AND a.startsAt < :until', { since: new Date(until.getTime() - 7 * DAY_MS), until })
      .getRawMany<{ typeId: string; category: string }>();
  }

  /**
   * A resident's participation in the home's family-visible, not cancelled activities that started in
   * [since, until], newest first. Moods and the staff note are not even loaded.
   */
  async familyVisibleHistory(residentId: string, homeId: string, since: Date, until: Date): Promise<FamilyVisibleParticipation[]> {
    const rows = await this.unitOfWork.manager
      .createQueryBuilder(Participation, 'p')
      .innerJoinAndMapOne('p.activity', Activity, 'a', 'a.id = p.activityId')
      .select(['p.id', 'p.activityId', 'p.engagement', 'p.familyNote', 'a.id', 'a.title', 'a.startsAt'])
      .where('p.residentId = :residentId AND a.homeId = :homeId', { residentId, homeId })
      .andWhere('a.visibleToFamilies = :shown AND a.status <> :cancelled', { shown: true, cancelled: 'cancelled' })
      .andWhere('a.startsAt >= :since AND a.startsAt <= :until', { since, until })
      .orderBy('a.startsAt', 'DESC')
      .getMany();
    return rows.map((row) => {
      const activity = (row as Participation & { activity: Activity }).activity;
      return { activityId: row.activityId, title: activity.title, startsAt: activity.startsAt, engagement: row.engagement, familyNote: row.familyNote };
    });
  }

  /** Attended family-visible, not cancelled activities that started in [start, end), per resident, in one query. */
  async familyVisibleAttendanceCounts(residentIds: string[], start: Date, end: Date): Promise<Map<string, number>> {
    if (residentIds.length === 0) return new Map();
    const rows = await this.unitOfWork.manager
      .createQueryBuilder(Participation, 'p')
      .innerJoin(Activity, 'a', 'a.id = p.activityId')
      .select('p.residentId', 'residentId')
      .addSelect('COUNT(*)', 'n')
      .where('p.residentId IN (:...ids)', { ids: residentIds })
      .andWhere('p.engagement IN (:...attended)', { attended: [...ATTENDED] })
      .andWhere('a.visibleToFamilies = :shown AND a.status <> :cancelled', { shown: true, cancelled: 'cancelled' })
      .andWhere('a.startsAt >= :start AND a.startsAt < :end', { start, end })
      .groupBy('p.residentId')
      .getRawMany<{ residentId: string; n: string | number }>();
    return new Map(rows.map((row) => [row.residentId, Number(row.n)]));
  }

  private async ensureOnRoster(m: EntityManager, activity: Activity, residentIds: string[]): Promise<void> {
    const present = new Set(
      (await sqlRows<{ residentId: string }>(m, 'SELECT "residentId" FROM roster_entry WHERE "activityId" = ?', [activity.id])).map((e) => e.residentId),
    );
    const missing = residentIds.filter((id) => !present.has(id));
    if (missing.length === 0) return;
    const now = new Date();
    await sqlRun(
      m,
      `INSERT INTO roster_entry (id, "createdAt", "updatedAt", "homeId", "activityId", "residentId") VALUES ${missing.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}
       ON CONFLICT DO NOTHING`,
      missing.flatMap((residentId) => [randomUUID(), now, now, activity.homeId, activity.id, residentId]),
    );
    // Logged, so invited after all: no longer waiting for a place (nobody else moves: the roster only grew).
    await sqlRun(m, `DELETE FROM waitlist_entry WHERE "activityId" = ? AND "residentId" IN (${placeholders(missing.length)})`, [activity.id, ...missing]);
  }
}

const PARTICIPATION_COLUMNS = 'id, "residentId", engagement, "moodBefore", "moodAfter", "staffNote", "familyNote", "recordedBy", "recordedAt", "tappedAt"';

type ParticipationRow = Pick<Participation, 'id' | 'residentId' | 'engagement' | 'moodBefore' | 'moodAfter' | 'staffNote' | 'familyNote' | 'recordedBy'> & {
  recordedAt: Date | string;
  tappedAt: Date | string | null;
};

/** When an entry was tapped: the device's time, never later than the server's now; the save's time without one. */
export function tapTime(tappedAt: string | null | undefined, now: Date): Date {
  const at = tappedAt ? new Date(tappedAt) : undefined;
  return at && !Number.isNaN(at.getTime()) && at.getTime() < now.getTime() ? at : now;
}

/** A stored entry's tap time; rows from before offline logging count as tapped when recorded. */
function storedTapTime(row: ParticipationRow): number {
  return asDate(row.tappedAt ?? row.recordedAt).getTime();
}

function toView(p: Required<Omit<ParticipationView, 'recordedAt'>> & { recordedAt: Date }): ParticipationView {
  return {
    residentId: p.residentId, engagement: p.engagement, moodBefore: p.moodBefore, moodAfter: p.moodAfter,
    staffNote: p.staffNote, familyNote: p.familyNote, recordedAt: p.recordedAt,
  };
}
