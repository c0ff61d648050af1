import { Injectable } from '@nestjs/common';
import { can } from '../common/access/access-policy';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, FindOptionsWhere, In, IsNull, Repository } from 'typeorm';
import { AuditService, diffFields } from '../audit/audit.service';
import type { SessionUser } from '../common/access/session-user';
import { NotFoundError } from '../common/errors/domain-errors';
import { todayIn } from '../common/time/zoned';
import { ContributionsService } from '../contributions/contributions.service';
import { ActorType } from '../contributions/contributions.enums';
import { UnitOfWork } from '../database/unit-of-work';
import { HomesService } from '../homes/homes.service';
import { ResidentBrief, ResidentsService } from '../residents/residents.service';
import { StaffService } from '../staff/staff.service';
import { WellbeingCheckIn } from './entities/wellbeing-check-in.entity';
import { Perspective, PERSPECTIVES } from './voice.enums';
import { currentQuarter } from '../common/time/quarter';
import { isUuid, score, text, VoiceAccess } from './voice-access';
import { VoiceViews } from './voice-views';

export interface CheckInInput {
  residentId: string;
  /** Doing things I value and enjoy, 1-4 (4 = best). */
  doingThings: number;
  /** Time with people I like, 1-4. */
  people: number;
  /** Choice and control over my day, 1-4. */
  choice: number;
  comment?: string;
}

export interface CheckInView {
  id: string;
  homeId: string;
  residentId: string;
  residentName: string;
  /** "2026-Q4". */
  quarter: string;
  perspective: Perspective;
  doingThings: number;
  people: number;
  choice: number;
  comment: string | null;
  /** The relative or member of staff whose view it is; the resident's name for their own. */
  authorName: string;
  recordedByName: string | null;
  /** The resident's own view, written down by staff. */
  onBehalf: boolean;
  createdAt: Date;
  updatedAt: Date;
}

const COMMENT_MAX = 2000;
const FIELDS = ['doingThings', 'people', 'choice', 'comment'] as const;

/**
 * Quarterly wellbeing check-ins (SPEC 3): three domains scored 1-4 about one resident, from the
 * resident's, a relative's or staff's perspective. One per resident, quarter, perspective and person:
 * checking in again in the same quarter changes it. Each is its author's co_assessment contribution, once.
 */
@Injectable()
export class CheckInsService {
  constructor(
    @InjectRepository(WellbeingCheckIn) private readonly checkIns: Repository<WellbeingCheckIn>,
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditService,
    private readonly access: VoiceAccess,
    private readonly contributions: ContributionsService,
    private readonly names: VoiceViews,
    private readonly residents: ResidentsService,
    private readonly homes: HomesService,
    private readonly staff: StaffService,
  ) {}

  /** A relative (family perspective) or member of staff (staff perspective) checks in about a resident. */
  async submit(user: SessionUser, input: CheckInInput): Promise<CheckInView> {
    if (user.role !== 'family' && !can(user, 'homeStaff')) throw new NotFoundError();
    const scores = checkScores(input);
    return this.unitOfWork.transaction(async (m) => {
      const resident = await this.access.residentToContributeAbout(m, user, input.residentId);
      if (user.role === 'family') {
        const familyMemberId = this.access.authorOf(user).authorFamilyMemberId!;
        return this.save(m, user, resident, 'family', { familyMemberId, staffMemberId: null }, { actorType: 'family', personId: familyMemberId }, scores);
      }
      const staffMemberId = user.personKind === 'staff' ? await this.staffRecord(m, user.personId, resident.homeId) : null;
      return this.save(m, user, resident, 'staff', { familyMemberId: null, staffMemberId }, staffMemberId ? { actorType: 'staff', personId: staffMemberId } : null, scores);
    });
  }

  /** Staff write down the resident's own view (the resident perspective). */
  async submitForResident(staffUser: SessionUser, residentId: string, input: Omit<CheckInInput, 'residentId'>): Promise<CheckInView> {
    const scores = checkScores(input);
    return this.unitOfWork.transaction(async (m) => {
      const resident = await this.access.residentForStaff(m, staffUser, residentId);
      return this.save(m, staffUser, resident, 'resident', { familyMemberId: null, staffMemberId: null }, { actorType: 'resident', personId: resident.id }, scores);
    });
  }

  /**
   * A resident's check-ins, newest quarter first. Staff see every perspective; a relative sees all of
   * them with full family-portal consent, and only their own with a summary.
   */
  async listForResident(user: SessionUser, residentId: string): Promise<CheckInView[]> {
    const m = this.unitOfWork.manager;
    if (!isUuid(residentId)) throw new NotFoundError();
    const [resident] = await this.residents.briefsByIds([residentId.toLowerCase()], m);
    if (!resident || !user.homeIds.includes(resident.homeId)) throw new NotFoundError();
    const where: FindOptionsWhere<WellbeingCheckIn> = { residentId: resident.id, homeId: resident.homeId };
    if (user.role === 'family') {
      if (!(await this.access.visibleResidentIds(m, user)).includes(resident.id)) throw new NotFoundError();
      if (resident.consentFamilyPortal !== 'full') Object.assign(where, { perspective: 'family', familyMemberId: user.personId! });
    } else if (!can(user, 'homeStaff')) {
      throw new NotFoundError();
    }
    const rows = await this.checkIns.find({ where, order: { quarter: 'DESC', createdAt: 'ASC' } });
    rows.sort((a, b) => b.quarter.localeCompare(a.quarter) || PERSPECTIVES.indexOf(a.perspective) - PERSPECTIVES.indexOf(b.perspective));
    return this.views(m, rows);
  }

  /** The quarter check-ins are being made for now in a resident's home ("2026-Q4"). */
  async quarterFor(residentId: string): Promise<string> {
    const [resident] = isUuid(residentId) ? await this.residents.briefsByIds([residentId.toLowerCase()]) : [];
    const zone = resident ? (await this.homes.timezones([resident.homeId])).get(resident.homeId) : undefined;
    return currentQuarter(zone ?? 'Europe/Rome');
  }

  /** A relative's own check-in about a resident in a quarter (scores and comment), for their portal page; null when none. */
  async familyCheckInOf(familyMemberId: string, residentId: string, quarter: string): Promise<Pick<CheckInView, 'doingThings' | 'people' | 'choice' | 'comment'> | null> {
    const checkIn = await this.checkIns.findOneBy({ residentId, quarter, perspective: 'family', familyMemberId });
    return checkIn ? { doingThings: checkIn.doingThings, people: checkIn.people, choice: checkIn.choice, comment: checkIn.comment } : null;
  }

  /** How many check-ins a relative has made about these residents, for what their portal says they put in. */
  async familyCheckInCount(familyMemberId: string, residentIds: string[]): Promise<number> {
    if (residentIds.length === 0) return 0;
    return this.checkIns.countBy({ familyMemberId, perspective: 'family', residentId: In(residentIds) });
  }

  // Helpers ----------------------------------------------------------------------------------

  private async save(
    m: EntityManager, user: SessionUser, resident: ResidentBrief, perspective: Perspective,
    person: { familyMemberId: string | null; staffMemberId: string | null },
    contributor: { actorType: ActorType; personId: string } | null,
    scores: ReturnType<typeof checkScores>,
  ): Promise<CheckInView> {
    // One check-in per resident, quarter, perspective and person, even with two saves at once.
    await this.residents.lockForUpdate(m, resident.id);
    const timezone = (await this.homes.timezones([resident.homeId], m)).get(resident.homeId);
    if (!timezone) throw new NotFoundError();
    const quarter = currentQuarter(timezone);
    const key: FindOptionsWhere<WellbeingCheckIn> = { residentId: resident.id, quarter, perspective };
    if (perspective === 'family') key.familyMemberId = person.familyMemberId!;
    // Staff without a staff record are told apart by their account.
    if (perspective === 'staff') Object.assign(key, person.staffMemberId ? { staffMemberId: person.staffMemberId } : { staffMemberId: IsNull(), recordedBy: user.id });
    const existing = await m.findOneBy(WellbeingCheckIn, key);
    if (existing) {
      const next = { ...scores, recordedBy: user.id };
      const changes = diffFields(existing, next, FIELDS);
      if (Object.keys(changes).length > 0) {
        await m.update(WellbeingCheckIn, { id: existing.id }, next);
        await this.audit.record(m, { action: 'update', userId: user.id, role: user.role, entityType: 'wellbeing_check_in', entityId: existing.id, homeId: existing.homeId, changes });
      }
      return (await this.views(m, [Object.assign(existing, next)]))[0];
    }
    const checkIn = m.create(WellbeingCheckIn, { homeId: resident.homeId, residentId: resident.id, quarter, perspective, ...person, ...scores, recordedBy: user.id });
    await m.insert(WellbeingCheckIn, checkIn);
    await this.audit.record(m, {
      action: 'create', userId: user.id, role: user.role, entityType: 'wellbeing_check_in', entityId: checkIn.id, homeId: checkIn.homeId,
      changes: diffFields({}, checkIn, ['residentId', 'quarter', 'perspective', ...FIELDS]),
    });
    if (contributor) {
      await this.contributions.syncFromSource(m, 'check_in', checkIn.id, { homeId: checkIn.homeId, activityId: null, date: todayIn(timezone), recordedBy: user.id }, [
        { ...contributor, phase: 'co_assessment', minutes: 0 },
      ]);
    }
    return (await this.views(m, [checkIn]))[0];
  }

  /** The user's staff record, if it is one of this home's. */
  private async staffRecord(m: EntityManager, personId: string | null, homeId: string): Promise<string | null> {
    const [staff] = personId ? await this.staff.briefsByIds([personId], m) : [];
    return staff?.homeId === homeId ? staff.id : null;
  }

  private async views(m: EntityManager, rows: WellbeingCheckIn[]): Promise<CheckInView[]> {
    if (rows.length === 0) return [];
    const residents = await this.names.residentNames(m, rows.map((c) => c.residentId));
    const recorders = await this.names.userNames(m, rows.map((c) => c.recordedBy));
    const people = await this.names.personNames(m, rows.map((c) => c.familyMemberId), rows.map((c) => c.staffMemberId));
    return rows.map((c) => {
      const recordedByName = c.recordedBy ? (recorders.get(c.recordedBy) ?? null) : null;
      const residentName = residents.get(c.residentId) ?? '—';
      const authorName = c.perspective === 'resident' ? residentName : (people.get(c.familyMemberId ?? c.staffMemberId ?? '') ?? recordedByName ?? '—');
      return {
        id: c.id, homeId: c.homeId, residentId: c.residentId, residentName, quarter: c.quarter, perspective: c.perspective, doingThings: c.doingThings,
        people: c.people, choice: c.choice, comment: c.comment, authorName, recordedByName, onBehalf: c.perspective === 'resident',
        createdAt: c.createdAt, updatedAt: c.updatedAt,
      };
    });
  }
}

function checkScores(input: Omit<CheckInInput, 'residentId'>) {
  return {
    doingThings: score(input.doingThings, 'doingThings', 4),
    people: score(input.people, 'people', 4),
    choice: score(input.choice, 'choice', 4),
    comment: text(input.comment, 'comment', COMMENT_MAX, false),
  };
}
