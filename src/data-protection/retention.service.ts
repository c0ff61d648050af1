import { Inject, Injectable } from '@nestjs/common';
import { EntityManager, In, IsNull, LessThanOrEqual, MoreThan, Not } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { User } from '../auth/entities/user.entity';
import type { SessionUser } from '../common/access/session-user';
import { NotFoundError } from '../common/errors/domain-errors';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { UnitOfWork } from '../database/unit-of-work';
import { FamilyMember } from '../families/entities/family-member.entity';
import { Home } from '../homes/entities/home.entity';
import { Resident } from '../residents/entities/resident.entity';
import { Volunteer } from '../volunteers/entities/volunteer.entity';
import { can } from '../common/access/access-policy';
import { RetentionHold, RetentionSubject } from './entities/retention-hold.entity';

/** How long a decision to keep a record holds before the record is listed for review again. */
export const KEEP_FOR_YEARS = 1;

/** How many rows each list shows; the total is always given. */
export const REVIEW_LIST_SIZE = 200;

export interface RetentionReview {
  years: number;
  /** Records whose retention period ended on or before this date are due for review. */
  cutoff: string;
  showHome: boolean;
  residents: { id: string; name: string; homeName: string; status: string; leftOn: string; dueSince: string }[];
  residentsTotal: number;
  familyMembers: { id: string; name: string; homeName: string; archivedOn: string; dueSince: string }[];
  familyMembersTotal: number;
  volunteers: { id: string; name: string; homeName: string; leftOn: string; dueSince: string }[];
  volunteersTotal: number;
  /** Records past the period that someone decided to keep, until they are due for review again. */
  kept: { subjectType: RetentionSubject; id: string; name: string; homeName: string; reason: string; keptBy: string | null; keptOn: string; reviewAgainOn: string }[];
}

export interface KeepInput {
  subjectType: RetentionSubject;
  subjectId: string;
  reason: string;
}

/** "2026-11-28" minus 8 years; 29 February becomes 28 February in a year without it. */
export function yearsBefore(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const year = y - years;
  const lastDay = new Date(Date.UTC(year, m, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`;
}

export function yearsAfter(date: string, years: number): string {
  return yearsBefore(date, -years);
}

/** The review counts in UTC days, as its cutoff does: a day either way does not matter here. */
function todayUtc(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/**
 * Records kept longer than the retention period (RETENTION_YEARS after a resident left, a relative
 * was archived or a volunteer left), listed for a manager to review: export, erase or keep. It never
 * deletes anything itself. Residents already erased are not listed again.
 */
@Injectable()
export class RetentionService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async review(user: SessionUser, now = new Date()): Promise<RetentionReview> {
    if (!can(user, 'handleDataProtection')) throw new NotFoundError();
    const m = this.unitOfWork.manager;
    const years = this.config.retentionYears;
    const homeIds = user.homeIds;
    const { cutoff, due } = this.dueFor(homeIds, now);
    const homes = await this.homeNames(m, homeIds);
    const homeName = (id: string) => homes.get(id) ?? '';
    if (homeIds.length === 0) {
      return { years, cutoff, showHome: false, residents: [], residentsTotal: 0, familyMembers: [], familyMembersTotal: 0, volunteers: [], volunteersTotal: 0, kept: [] };
    }
    // Kept with a reason: off the lists until their next review.
    const holds = await m.find(RetentionHold, { where: { homeId: In(homeIds), reviewAgainOn: MoreThan(todayUtc(now)) }, order: { reviewAgainOn: 'ASC' } });
    const held = (type: RetentionSubject) => holds.filter((h) => h.subjectType === type).map((h) => h.subjectId);
    const notHeld = (type: RetentionSubject) => (held(type).length > 0 ? { id: Not(In(held(type))) } : {});

    const [residents, residentsTotal] = await m.findAndCount(Resident, {
      where: { ...due.resident, ...notHeld('resident') },
      order: { leftOn: 'ASC', lastName: 'ASC' },
      take: REVIEW_LIST_SIZE,
    });
    const [familyMembers, familyMembersTotal] = await m.findAndCount(FamilyMember, {
      where: { ...due.family_member, ...notHeld('family_member') },
      order: { archivedAt: 'ASC', lastName: 'ASC' },
      take: REVIEW_LIST_SIZE,
    });
    const [volunteers, volunteersTotal] = await m.findAndCount(Volunteer, {
      where: { ...due.volunteer, ...notHeld('volunteer') },
      order: { updatedAt: 'ASC', lastName: 'ASC' },
      take: REVIEW_LIST_SIZE,
    });
    const day = (instant: Date) => instant.toISOString().slice(0, 10);
    return {
      years,
      cutoff,
      showHome: homeIds.length > 1,
      residents: residents.map((r) => ({
        id: r.id, name: `${r.firstName} ${r.lastName}`, homeName: homeName(r.homeId), status: r.status, leftOn: r.leftOn!, dueSince: yearsAfter(r.leftOn!, years),
      })),
      residentsTotal,
      familyMembers: familyMembers.map((f) => ({
        id: f.id, name: `${f.firstName} ${f.lastName}`, homeName: homeName(f.homeId), archivedOn: day(f.archivedAt!), dueSince: yearsAfter(day(f.archivedAt!), years),
      })),
      familyMembersTotal,
      volunteers: volunteers.map((v) => ({
        id: v.id, name: `${v.firstName} ${v.lastName}`, homeName: homeName(v.homeId), leftOn: day(v.updatedAt), dueSince: yearsAfter(day(v.updatedAt), years),
      })),
      volunteersTotal,
      kept: await this.keptList(m, holds, homeName),
    };
  }

  /**
   * Keeps a record past its retention period, with why: it leaves the review list for a year. Only a
   * record the review lists (of the user's homes, past the period, not erased) can be kept; keeping it
   * again later replaces the decision. Audited on the record, with the reason.
   */
  async keep(user: SessionUser, input: KeepInput, now = new Date()): Promise<{ name: string; reviewAgainOn: string }> {
    if (!can(user, 'handleDataProtection')) throw new NotFoundError();
    return this.unitOfWork.transaction(async (m) => {
      const subject = await this.dueRecord(m, user, input.subjectType, input.subjectId, now);
      if (!subject) throw new NotFoundError();
      const reviewAgainOn = yearsAfter(todayUtc(now), KEEP_FOR_YEARS);
      const before = await m.findOneBy(RetentionHold, { subjectType: input.subjectType, subjectId: input.subjectId });
      const hold = { homeId: subject.homeId, subjectType: input.subjectType, subjectId: input.subjectId, reason: input.reason, keptBy: user.id, reviewAgainOn };
      if (before) await m.update(RetentionHold, { id: before.id }, hold);
      else await m.insert(RetentionHold, hold);
      await this.audit.record(m, {
        action: 'update', userId: user.id, role: user.role, entityType: input.subjectType, entityId: input.subjectId, homeId: subject.homeId,
        changes: { keptAfterRetention: { old: before?.reviewAgainOn ?? null, new: reviewAgainOn }, keptBecause: { old: before?.reason ?? null, new: input.reason } },
      });
      return { name: subject.name, reviewAgainOn };
    });
  }

  /**
   * What is due for review in these homes, once for the lists and for "keep": residents who left (not
   * erased), relatives archived and volunteers who left, on or before the cutoff (RETENTION_YEARS ago).
   */
  private dueFor(homeIds: string[], now: Date) {
    const cutoff = yearsBefore(now.toISOString().slice(0, 10), this.config.retentionYears);
    // Instants are compared with the end of the cutoff day (UTC): a day either way does not matter here.
    const cutoffInstant = new Date(`${cutoff}T23:59:59.999Z`);
    const homeId = In(homeIds);
    return {
      cutoff,
      due: {
        resident: { homeId, status: In(['discharged', 'deceased']), leftOn: LessThanOrEqual(cutoff), erasedAt: IsNull() },
        family_member: { homeId, archivedAt: LessThanOrEqual(cutoffInstant) },
        // A volunteer has no leaving date: the last change to the record (setting "left") stands for it.
        volunteer: { homeId, status: 'left' as const, updatedAt: LessThanOrEqual(cutoffInstant) },
      },
    };
  }

  /** The record as the review lists it (in the user's homes, past the period, not erased), or null. */
  private async dueRecord(m: EntityManager, user: SessionUser, type: RetentionSubject, id: string, now: Date): Promise<{ homeId: string; name: string } | null> {
    const { due } = this.dueFor(user.homeIds, now);
    const found =
      type === 'resident'
        ? await m.findOneBy(Resident, { id, ...due.resident })
        : type === 'family_member'
          ? await m.findOneBy(FamilyMember, { id, ...due.family_member })
          : await m.findOneBy(Volunteer, { id, ...due.volunteer });
    return found ? { homeId: found.homeId, name: `${found.firstName} ${found.lastName}` } : null;
  }

  /** The kept records with their names and who kept them: one read per kind of record, and one for the users. */
  private async keptList(m: EntityManager, holds: RetentionHold[], homeName: (id: string) => string): Promise<RetentionReview['kept']> {
    if (holds.length === 0) return [];
    const ids = (type: RetentionSubject) => holds.filter((h) => h.subjectType === type).map((h) => h.subjectId);
    const named = new Map<string, string>();
    const select = { id: true, firstName: true, lastName: true } as const;
    for (const [type, entity] of [['resident', Resident], ['family_member', FamilyMember], ['volunteer', Volunteer]] as const) {
      const wanted = ids(type);
      if (wanted.length === 0) continue;
      for (const r of await m.find(entity, { select, where: { id: In(wanted) } })) named.set(`${type}:${r.id}`, `${r.firstName} ${r.lastName}`);
    }
    const userIds = [...new Set(holds.map((h) => h.keptBy).filter((id): id is string => id !== null))];
    const users = new Map((userIds.length ? await m.find(User, { select: { id: true, displayName: true }, where: { id: In(userIds) } }) : []).map((u) => [u.id, u.displayName]));
    return holds
      .filter((h) => named.has(`${h.subjectType}:${h.subjectId}`))
      .map((h) => ({
        subjectType: h.subjectType, id: h.subjectId, name: named.get(`${h.subjectType}:${h.subjectId}`)!, homeName: homeName(h.homeId), reason: h.reason,
        keptBy: h.keptBy ? (users.get(h.keptBy) ?? null) : null, keptOn: h.updatedAt.toISOString().slice(0, 10), reviewAgainOn: h.reviewAgainOn,
      }));
  }

  private async homeNames(m: EntityManager, ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    return new Map((await m.find(Home, { select: { id: true, name: true }, where: { id: In(ids) } })).map((h) => [h.id, h.name]));
  }
}
