import { Inject, Injectable } from '@nestjs/common';
import { EntityManager, In, IsNull, LessThanOrEqual } from 'typeorm';
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

/**
 * Records kept longer than the retention period (RETENTION_YEARS after a resident left, a relative
 * was archived or a volunteer left), listed for a manager to review: export, erase or keep. It never
 * deletes anything itself. Residents already erased are not listed again.
 */
@Injectable()
export class RetentionService {
  constructor(private readonly unitOfWork: UnitOfWork, @Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async review(user: SessionUser, now = new Date()): Promise<RetentionReview> {
    if (!can(user, 'handleDataProtection')) throw new NotFoundError();
    const m = this.unitOfWork.manager;
    const years = this.config.retentionYears;
    const homeIds = user.homeIds;
    const cutoff = yearsBefore(now.toISOString().slice(0, 10), years);
    // Instants are compared with the end of the cutoff day (UTC): a day either way does not matter here.
    const cutoffInstant = new Date(`${cutoff}T23:59:59.999Z`);
    const homes = await this.homeNames(m, homeIds);
    const homeName = (id: string) => homes.get(id) ?? '';
    if (homeIds.length === 0) {
      return { years, cutoff, showHome: false, residents: [], residentsTotal: 0, familyMembers: [], familyMembersTotal: 0, volunteers: [], volunteersTotal: 0 };
    }

    const [residents, residentsTotal] = await m.findAndCount(Resident, {
      where: { homeId: In(homeIds), status: In(['discharged', 'deceased']), leftOn: LessThanOrEqual(cutoff), erasedAt: IsNull() },
      order: { leftOn: 'ASC', lastName: 'ASC' },
      take: REVIEW_LIST_SIZE,
    });
    const [familyMembers, familyMembersTotal] = await m.findAndCount(FamilyMember, {
      where: { homeId: In(homeIds), archivedAt: LessThanOrEqual(cutoffInstant) },
      order: { archivedAt: 'ASC', lastName: 'ASC' },
      take: REVIEW_LIST_SIZE,
    });
    // A volunteer has no leaving date: the last change to the record (setting "left") stands for it.
    const [volunteers, volunteersTotal] = await m.findAndCount(Volunteer, {
      where: { homeId: In(homeIds), status: 'left', updatedAt: LessThanOrEqual(cutoffInstant) },
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
    };
  }

  private async homeNames(m: EntityManager, ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    return new Map((await m.find(Home, { select: { id: true, name: true }, where: { id: In(ids) } })).map((h) => [h.id, h.name]));
  }
}
