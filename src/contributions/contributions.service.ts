import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { AuditService, diffFields } from '../audit/audit.service';
import { assertHomeAccess, resolveHomeId } from '../common/access/home-scope';
import type { SessionUser } from '../common/access/session-user';
import { NotFoundError, ValidationError } from '../common/errors/domain-errors';
import { isIsoDate, todayIn, utcToLocal } from '../common/time/zoned';
import { SummaryUpkeep } from '../database/summary-upkeep';
import { UnitOfWork } from '../database/unit-of-work';
import { FamiliesService } from '../families/families.service';
import { HomesService } from '../homes/homes.service';
import { closedRecordError, ResidentsService } from '../residents/residents.service';
import { StaffService } from '../staff/staff.service';
import { VolunteersService } from '../volunteers/volunteers.service';
import { ContributionDto, ContributionUpdateDto } from './dto/contribution.dto';
import { Contribution } from './entities/contribution.entity';
import { ACTOR_TYPES, ActorType, ContributionSource, Phase } from './contributions.enums';
import { isoDateError } from '../common/http/form-fields';

const PERSON_COLUMN: Record<ActorType, 'residentId' | 'familyMemberId' | 'volunteerId' | 'staffMemberId'> = {
  resident: 'residentId',
  family: 'familyMemberId',
  volunteer: 'volunteerId',
  staff: 'staffMemberId',
};

const EDITORS = new Set(['admin', 'manager', 'coordinator']);
const RECORDERS = new Set(['admin', 'manager', 'coordinator', 'carer']);

/** A volunteer's contribution as their portal lists it. */
export interface VolunteerContributionView {
  date: string;
  activityId: string | null;
  phase: Phase;
  minutes: number;
  description: string | null;
}

export interface ContributionView {
  id: string;
  activityId: string | null;
  date: string;
  actorType: ActorType;
  personId: string;
  personName: string;
  phase: Phase;
  minutes: number;
  description: string | null;
  source: ContributionSource;
  /** Whether this user may change the minutes or description. */
  editable: boolean;
}

/** What a contribution on an activity needs of it, read by the activities module: where, when, and whether it still takes them. */
export interface ContributedActivity {
  id: string;
  homeId: string;
  startsAt: Date;
  status: string;
}

/** Who can be named on a contribution in a home, for one actor type. */
export interface PeopleGroup {
  actorType: ActorType;
  people: { id: string; name: string }[];
}

/** A person a contribution names, as their module describes them. */
interface Contributor {
  id: string;
  homeId: string;
  firstName: string;
  lastName: string;
}

/** One automatic contribution to make from a source record (SPEC 2). */
export interface SourcedContribution {
  actorType: ActorType;
  personId: string;
  phase: Phase;
  minutes: number;
  description?: string | null;
}

@Injectable()
export class ContributionsService {
  constructor(
    @InjectRepository(Contribution) private readonly contributions: Repository<Contribution>,
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditService,
    private readonly homes: HomesService,
    private readonly volunteers: VolunteersService,
    private readonly staff: StaffService,
    private readonly residents: ResidentsService,
    private readonly families: FamiliesService,
    private readonly summaryUpkeep: SummaryUpkeep,
  ) {}

  /**
   * A contribution recorded by hand, on an activity (the caller reads it, inside `manager` when given)
   * or, with `activity` null, for the programme as a whole.
   */
  async record(user: SessionUser, activity: ContributedActivity | null, input: ContributionDto, manager?: EntityManager): Promise<ContributionView> {
    this.assertMayRecord(user, activity);
    const work = async (m: EntityManager) => {
      let homeId: string;
      let date: string;
      if (activity) {
        if (activity.status === 'cancelled') throw new ValidationError({}, { key: 'contributions.activityCancelled' });
        homeId = activity.homeId;
        date = await this.activityDate(m, activity);
      } else {
        homeId = resolveHomeId(user, input.homeId);
        if (!input.date || !isIsoDate(input.date)) throw new ValidationError({ date: isoDateError(input.date ?? '')! });
        // Time given is counted when it was given: a date ahead would sit in a quarter not yet begun.
        if (input.date > todayIn(await this.homes.timezoneOf(homeId))) throw new ValidationError({ date: { key: 'contributions.dateInFuture' } });
        date = input.date;
      }
      const actorType = input.actorType as ActorType;
      await this.assertPerson(m, homeId, actorType, input.personId);
      const contribution = m.create(Contribution, {
        ...personColumns(actorType, input.personId), homeId, activityId: activity?.id ?? null, date, actorType, phase: input.phase as Phase,
        minutes: input.minutes, description: input.description ?? null, source: 'manual', sourceId: null, recordedBy: user.id,
      });
      await m.insert(Contribution, contribution);
      if (activity) await this.summaryUpkeep.activitiesChanged(m, [activity.id]);
      await this.audit.record(m, {
        action: 'create', userId: user.id, role: user.role, entityType: 'contribution', entityId: contribution.id, homeId,
        changes: diffFields({}, contribution, ['actorType', 'phase', 'minutes', 'date', 'activityId']),
      });
      return (await this.views(m, [contribution], user))[0];
    };
    return manager ? work(manager) : this.unitOfWork.transaction(work);
  }

  /** Who may record a contribution, on this activity when given: a 404 for anyone else, as for a record they cannot see. */
  assertMayRecord(user: SessionUser, activity: Pick<ContributedActivity, 'homeId'> | null): void {
    if (!RECORDERS.has(user.role)) throw new NotFoundError();
    if (activity && !user.homeIds.includes(activity.homeId)) throw new NotFoundError();
  }

  /** Minutes and description stay editable, on automatic contributions too (a helper who stayed longer). */
  async update(user: SessionUser, id: string, input: ContributionUpdateDto): Promise<void> {
    if (!EDITORS.has(user.role)) throw new NotFoundError();
    await this.unitOfWork.transaction(async (m) => {
      const contribution = await m.findOneBy(Contribution, { id });
      if (!contribution) throw new NotFoundError();
      assertHomeAccess(user, contribution.homeId);
      const next = { minutes: input.minutes, description: input.description ?? contribution.description };
      const changes = diffFields(contribution, next, ['minutes', 'description']);
      if (Object.keys(changes).length === 0) return;
      await m.update(Contribution, { id }, next);
      if (contribution.activityId) await this.summaryUpkeep.activitiesChanged(m, [contribution.activityId]);
      await this.audit.record(m, { action: 'update', userId: user.id, role: user.role, entityType: 'contribution', entityId: id, homeId: contribution.homeId, changes });
    });
  }

  async listForActivity(user: SessionUser, activityId: string): Promise<ContributionView[]> {
    const rows = await this.contributions.find({ where: { activityId }, order: { createdAt: 'ASC' } });
    return this.views(this.contributions.manager, rows.filter((row) => user.homeIds.includes(row.homeId)), user);
  }

  async listProgrammeWide(user: SessionUser, homeId: string, from: string, to: string): Promise<ContributionView[]> {
    assertHomeAccess(user, homeId);
    const rows = await this.contributions
      .createQueryBuilder('c')
      .where('c.homeId = :homeId AND c.activityId IS NULL AND c.date >= :from AND c.date <= :to', { homeId, from, to })
      .orderBy('c.date', 'DESC')
      .getMany();
    return this.views(this.contributions.manager, rows, user);
  }

  /** A volunteer's own contributions in these homes dated in [from, to] (local dates), newest first, for their portal. */
  async volunteerContributions(volunteerId: string, homeIds: string[], from: string, to: string): Promise<VolunteerContributionView[]> {
    if (homeIds.length === 0) return [];
    const rows = await this.contributions
      .createQueryBuilder('c')
      .where('c.actorType = :volunteer AND c.volunteerId = :volunteerId', { volunteer: 'volunteer', volunteerId })
      .andWhere('c.homeId IN (:...homeIds)', { homeIds })
      .andWhere('c.date >= :from AND c.date <= :to', { from, to })
      .orderBy('c.date', 'DESC')
      .addOrderBy('c.createdAt', 'DESC')
      .getMany();
    return rows.map((c) => ({ date: c.date, activityId: c.activityId, phase: c.phase, minutes: c.minutes, description: c.description }));
  }

  /** A resident's own latest contributions as a co-producer in their home, newest first, for their page. */
  async residentContributions(residentId: string, homeId: string, limit: number): Promise<VolunteerContributionView[]> {
    const rows = await this.contributions
      .createQueryBuilder('c')
      .where('c.actorType = :resident AND c.residentId = :residentId AND c.homeId = :homeId', { resident: 'resident', residentId, homeId })
      .orderBy('c.date', 'DESC')
      .addOrderBy('c.createdAt', 'DESC')
      .take(limit)
      .getMany();
    return rows.map((c) => ({ date: c.date, activityId: c.activityId, phase: c.phase, minutes: c.minutes, description: c.description }));
  }

  /**
   * Makes the contributions a source record implies, once each (SPEC 2): calling it again for the
   * same source and person adds nothing. Runs inside the caller's transaction.
   */
  async syncFromSource(
    m: EntityManager,
    source: Exclude<ContributionSource, 'manual'>,
    sourceId: string,
    context: { homeId: string; activityId: string | null; date: string; recordedBy: string | null },
    entries: SourcedContribution[],
  ): Promise<number> {
    let created = 0;
    for (const entry of entries) {
      const person = personColumns(entry.actorType, entry.personId);
      const column = PERSON_COLUMN[entry.actorType];
      const exists = await m.existsBy(Contribution, { source, sourceId, actorType: entry.actorType, [column]: entry.personId });
      if (exists) continue;
      await m.insert(Contribution, m.create(Contribution, {
        ...person, homeId: context.homeId, activityId: context.activityId, date: context.date, actorType: entry.actorType,
        phase: entry.phase, minutes: entry.minutes, description: entry.description ?? null, source, sourceId, recordedBy: context.recordedBy,
      }));
      created += 1;
    }
    if (created > 0 && context.activityId) await this.summaryUpkeep.activitiesChanged(m, [context.activityId]);
    return created;
  }

  /** Undoing a source (an offer withdrawn, a suggestion reopened) removes what it made. */
  async removeBySource(m: EntityManager, source: Exclude<ContributionSource, 'manual'>, sourceId: string): Promise<number> {
    const onActivities = (await m.find(Contribution, { where: { source, sourceId }, select: { id: true, activityId: true } })).map((c) => c.activityId);
    const result = await m.delete(Contribution, { source, sourceId });
    await this.summaryUpkeep.activitiesChanged(m, onActivities.filter((id): id is string => id !== null));
    return result.affected ?? 0;
  }

  /** The contribution a source made, for sources that make one (an accepted suggestion); null when it made none. */
  async bySource(m: EntityManager, source: Exclude<ContributionSource, 'manual'>, sourceId: string): Promise<Pick<Contribution, 'activityId' | 'date'> | null> {
    return m.findOne(Contribution, { select: { id: true, activityId: true, date: true }, where: { source, sourceId } });
  }

  /** The local date of an activity in its home's time zone: the date its contributions carry. */
  async activityDate(m: EntityManager, activity: { homeId: string; startsAt: Date }): Promise<string> {
    const timezone = (await this.homes.timezones([activity.homeId], m)).get(activity.homeId);
    if (!timezone) throw new NotFoundError();
    return utcToLocal(activity.startsAt, timezone).date;
  }

  /**
   * Who can be named on a contribution in a home, grouped by actor type: residents living there,
   * family members and volunteers not archived, active staff.
   */
  async peopleOfHome(homeId: string): Promise<PeopleGroup[]> {
    const [residents, relatives, volunteers, staff] = await Promise.all([
      this.residents.currentBriefs([homeId], { onLeaveToo: true }),
      this.families.currentOfHome(homeId),
      this.volunteers.currentOfHome(homeId),
      this.staff.activeOf([homeId]),
    ]);
    const named = (p: Contributor) => ({ id: p.id, name: `${p.firstName} ${p.lastName}` });
    return [
      { actorType: 'resident' as const, people: residents.map(named) },
      { actorType: 'family' as const, people: relatives.map(named) },
      { actorType: 'volunteer' as const, people: volunteers.map(named) },
      { actorType: 'staff' as const, people: staff.map(named) },
    ].filter((group) => group.people.length > 0);
  }

  /** People of one actor type by id, from their own modules (in the caller's transaction). */
  private async contributors(m: EntityManager, actorType: ActorType, ids: string[]): Promise<Contributor[]> {
    if (ids.length === 0) return [];
    switch (actorType) {
      case 'resident': return this.residents.briefsByIds(ids, m);
      case 'family': return this.families.briefsByIds(ids, m);
      case 'volunteer': return this.volunteers.briefsByIds(ids, m);
      case 'staff': return this.staff.briefsByIds(ids, m);
    }
  }

  private async assertPerson(m: EntityManager, homeId: string, actorType: ActorType, personId: string): Promise<void> {
    const [person] = await this.contributors(m, actorType, [personId]);
    if (person?.homeId !== homeId) throw new ValidationError({ personId: { key: 'contributions.unknownPerson' } });
    if (actorType === 'resident') {
      // A resident who has left, or whose data was erased, is named on nothing new.
      const closed = (await this.residents.closedRecords([personId], m)).get(personId);
      if (closed) throw new ValidationError({ personId: closedRecordError(closed) });
    }
  }

  private async views(m: EntityManager, rows: Contribution[], user: SessionUser): Promise<ContributionView[]> {
    const names = new Map<string, string>();
    for (const actorType of ACTOR_TYPES) {
      const ids = [...new Set(rows.map((r) => r[PERSON_COLUMN[actorType]]).filter((id): id is string => id !== null))];
      for (const p of await this.contributors(m, actorType, ids)) names.set(p.id, `${p.firstName} ${p.lastName}`);
    }
    return rows.map((row) => {
      const personId = row[PERSON_COLUMN[row.actorType]] ?? '';
      return {
        id: row.id, activityId: row.activityId, date: row.date, actorType: row.actorType, personId, personName: names.get(personId) ?? '—',
        phase: row.phase, minutes: row.minutes, description: row.description, source: row.source, editable: EDITORS.has(user.role),
      };
    });
  }
}

function personColumns(actorType: ActorType, personId: string) {
  return {
    residentId: actorType === 'resident' ? personId : null,
    familyMemberId: actorType === 'family' ? personId : null,
    volunteerId: actorType === 'volunteer' ? personId : null,
    staffMemberId: actorType === 'staff' ? personId : null,
  };
}

