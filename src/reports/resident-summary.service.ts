import { Injectable } from '@nestjs/common';
import { Brackets, EntityManager, In } from 'typeorm';
import { Activity } from '../activities/entities/activity.entity';
import { Participation } from '../activities/entities/participation.entity';
import { ATTENDED, Engagement } from '../activities/activities.enums';
import { tallyEngagements } from '../activities/engagement-tally';
import { AuditService } from '../audit/audit.service';
import type { SessionUser } from '../common/access/session-user';
import { addDays, localDaysRange, todayIn, utcToLocal } from '../common/time/zoned';
import { Contribution } from '../contributions/entities/contribution.entity';
import { ActorType, Phase } from '../contributions/contributions.enums';
import { UnitOfWork } from '../database/unit-of-work';
import { FamilyMember } from '../families/entities/family-member.entity';
import { Home } from '../homes/entities/home.entity';
import { ActivityPlan } from '../plans/entities/activity-plan.entity';
import { GoalStatus } from '../plans/plans.enums';
import { PlanReview } from '../plans/entities/plan-review.entity';
import { PlansService } from '../plans/plans.service';
import { FamilyLink } from '../residents/entities/family-link.entity';
import { Resident } from '../residents/entities/resident.entity';
import { FamilyPortalConsent } from '../residents/residents.enums';
import { residentDisplayName } from '../residents/family-links.service';
import { ResidentDetail, ResidentsService } from '../residents/residents.service';
import { StaffMember } from '../staff/entities/staff-member.entity';
import { CheckInsService } from '../voice/check-ins.service';
import { Suggestion } from '../voice/entities/suggestion.entity';
import { WellbeingCheckIn } from '../voice/entities/wellbeing-check-in.entity';
import { Perspective } from '../voice/voice.enums';
import { FeedbackService, FeedbackView } from '../voice/feedback.service';
import { Volunteer } from '../volunteers/entities/volunteer.entity';
import type { ExportOrigin } from './report.service';

/** How far back participation, contributions and feedback look: a plan review's usual horizon. */
export const SUMMARY_DAYS = 90;
/** Check-ins of the last four quarters: a year of the resident's wellbeing. */
const CHECK_IN_QUARTERS = 4;

/** Whose copy it is: staff see everything; a relative as the resident's family-portal consent allows. */
export type SummaryCopy = 'staff' | 'family_full' | 'family_summary';

export interface SummaryProfile {
  fullName: string;
  displayName: string;
  preferredName: string | null;
  status: string;
  unitName: string | null;
  // Staff only:
  room: string | null;
  dateOfBirth: string | null;
  admittedOn: string | null;
  leftOn: string | null;
  weeklyActivityTarget: number | null;
  familyPortalConsent: FamilyPortalConsent | null;
  // Staff and family (summary included):
  aboutMe: string | null;
  interests: string[];
  // Staff and family with full consent: the care notes.
  dislikes: string | null;
  communicationTips: string | null;
  mobilityNotes: string | null;
}

export interface SummaryGoal {
  description: string;
  /** Null where the copy carries no plan detail (a summary) or the plan page does not give it. */
  status: GoalStatus | null;
  categories: string[];
  typeNames: string[];
  targetPerWeek: number | null;
  attendedThisWeek: number | null;
}

export interface SummaryPlan {
  /** "summary": that there is a plan, when, and its goals named; nothing else. */
  detail: 'full' | 'summary';
  version: number | null;
  agreedOn: string | null;
  nextReviewOn: string | null;
  /** Staff copy only: the review date has passed. */
  overdue: boolean;
  whatMattersToMe: string | null;
  goals: SummaryGoal[];
  lastReview: {
    reviewedOn: string;
    scores: { goal: string; score: number }[];
    /** Staff copy only. */
    notes: string | null;
    /** Staff copy only: who took part. */
    participants: { resident: boolean; family: string[]; staff: string[] } | null;
  } | null;
}

export interface SummaryParticipationRow {
  date: string;
  time: string;
  title: string;
  engagement: Engagement;
  attended: boolean;
  /** Staff copy only: never read for a relative. */
  staffNote: string | null;
  /** Staff and family with full consent. */
  familyNote: string | null;
}

export interface SummaryParticipation {
  totals: Record<Engagement, number>;
  recorded: number;
  attended: number;
  /** Every month the period touches, oldest first, in the home's time zone. */
  byMonth: { month: string; counts: Record<Engagement, number>; total: number }[];
  /** Newest first. */
  activities: SummaryParticipationRow[];
}

export interface SummaryContribution {
  date: string;
  activityTitle: string | null;
  actorType: ActorType;
  /** Null when the copy leaves the person unnamed (someone other than the resident or the reader, in a family copy). */
  personName: string | null;
  phase: Phase;
  minutes: number;
  /** Staff and family with full consent. */
  description: string | null;
}

export interface SummaryCheckIn {
  quarter: string;
  perspective: Perspective;
  authorName: string;
  doingThings: number;
  people: number;
  choice: number;
  comment: string | null;
}

export interface SummaryFeedback {
  date: string;
  activityTitle: string | null;
  authorName: string;
  rating: number;
  comment: string | null;
}

/** Everything on a resident's summary, as one reader may see it; the PDF only lays it out. */
export interface ResidentSummaryModel {
  meta: {
    residentId: string;
    homeId: string;
    homeName: string;
    timezone: string;
    copy: SummaryCopy;
    /** The period, local dates, both included. */
    from: string;
    to: string;
    days: number;
    generatedAt: string;
    generatedBy: string;
  };
  profile: SummaryProfile;
  plan: SummaryPlan | null;
  participation: SummaryParticipation;
  contributions: { rows: SummaryContribution[]; count: number; minutes: number };
  checkIns: SummaryCheckIn[];
  feedback: SummaryFeedback[];
}

/** "2026-08" ... "2026-11": the months from one local date to another. */
function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  let [year, month] = from.slice(0, 7).split('-').map(Number);
  const last = to.slice(0, 7);
  for (;;) {
    const key = `${year}-${String(month).padStart(2, '0')}`;
    months.push(key);
    if (key >= last) return months;
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
}

/**
 * A resident's summary for plan reviews and family meetings (SPEC 4): profile, plan and goals,
 * participation, contributions, check-ins and feedback over the last 90 days. What a reader sees
 * follows the pages exactly: every read starts from ResidentsService.get (its lens decides the copy),
 * plans come from PlansService, check-ins and feedback from their services; volunteers are not shown one.
 */
@Injectable()
export class ResidentSummaryService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly residents: ResidentsService,
    private readonly plans: PlansService,
    private readonly checkIns: CheckInsService,
    private readonly feedback: FeedbackService,
    private readonly audit: AuditService,
  ) {}

  /** The summary for a download, written to the audit log as an export of the resident's record. */
  async exportFor(user: SessionUser, residentId: string, origin: ExportOrigin, now = new Date()): Promise<ResidentSummaryModel> {
    const summary = await this.forUser(user, residentId, now);
    await this.audit.recordNow({
      action: 'export', userId: user.id, role: user.role, entityType: 'resident', entityId: summary.meta.residentId, homeId: summary.meta.homeId,
      changes: { export: { old: null, new: 'summary_pdf' }, copy: { old: null, new: summary.meta.copy } }, ip: origin.ip, userAgent: origin.userAgent ?? null,
    });
    return summary;
  }

  /** The summary as this user may see it; a resident they may not see, or a volunteer, gets 404. */
  async forUser(user: SessionUser, residentId: string, now = new Date()): Promise<ResidentSummaryModel> {
    const resident = await this.residents.get(user, residentId);
    const copy: SummaryCopy = resident.lens;
    const m = this.unitOfWork.manager;
    const home = await m.findOneByOrFail(Home, { id: resident.homeId });
    const to = todayIn(home.timezone, now);
    const from = addDays(to, -(SUMMARY_DAYS - 1));
    const range = localDaysRange(from, SUMMARY_DAYS, home.timezone);

    const participation = await this.participation(m, resident, copy, home.timezone, range, from, to);
    const attendedIds = [...new Set(participation.rows.filter((r) => r.attended).map((r) => r.activityId))];
    return {
      meta: {
        residentId: resident.id, homeId: resident.homeId, homeName: home.name, timezone: home.timezone, copy, from, to, days: SUMMARY_DAYS,
        generatedAt: now.toISOString(), generatedBy: user.displayName,
      },
      profile: profileOf(resident, copy),
      plan: copy === 'staff' ? await this.staffPlan(user, resident.id) : await this.familyPlan(user, resident.id),
      participation: participation.summary,
      contributions: await this.contributions(m, user, resident, copy, from, to, attendedIds),
      checkIns: await this.checkInsOf(user, resident.id),
      feedback: await this.feedbackOf(user, resident.id, copy, range.start, attendedIds, home.timezone),
    };
  }

  // ---- Plan ------------------------------------------------------------------------------------

  private async staffPlan(user: SessionUser, residentId: string): Promise<SummaryPlan | null> {
    const { current, reviews } = await this.plans.residentPlans(user, residentId);
    if (!current) return null;
    const review = reviews.find((r) => r.planId === current.id) ?? null;
    return {
      detail: 'full',
      version: current.version,
      agreedOn: current.agreedOn,
      nextReviewOn: current.nextReviewOn,
      overdue: current.overdue,
      whatMattersToMe: current.whatMattersToMe,
      goals: current.goals.map((g) => ({
        description: g.description, status: g.status, categories: g.categories, typeNames: g.typeNames, targetPerWeek: g.targetPerWeek, attendedThisWeek: g.attendedThisWeek,
      })),
      lastReview: review
        ? {
          reviewedOn: review.reviewedOn,
          scores: review.scores.map((s) => ({ goal: s.goal, score: s.score })),
          notes: review.notes,
          participants: { resident: review.residentTookPart, family: review.family, staff: review.staff },
        }
        : null,
    };
  }

  private async familyPlan(user: SessionUser, residentId: string): Promise<SummaryPlan | null> {
    const plan = await this.plans.familyPlan(user, residentId);
    if (!plan) return null;
    if (plan.detail === 'summary') {
      return {
        detail: 'summary', version: null, agreedOn: plan.agreedOn, nextReviewOn: plan.nextReviewOn, overdue: false, whatMattersToMe: null,
        goals: plan.goals.map((g) => ({ description: g.description, status: null, categories: [], typeNames: [], targetPerWeek: null, attendedThisWeek: null })),
        lastReview: null,
      };
    }
    return {
      detail: 'full', version: null, agreedOn: plan.agreedOn, nextReviewOn: plan.nextReviewOn, overdue: false, whatMattersToMe: plan.whatMattersToMe,
      goals: plan.goals.map((g) => ({
        description: g.description, status: null, categories: g.categories, typeNames: [], targetPerWeek: g.targetPerWeek, attendedThisWeek: g.attendedThisWeek,
      })),
      lastReview: plan.lastReview ? { reviewedOn: plan.lastReview.reviewedOn, scores: plan.lastReview.scores, notes: null, participants: null } : null,
    };
  }

  // ---- Participation ---------------------------------------------------------------------------

  /**
   * The resident's participation in the period. A relative sees family-visible activities only, as
   * on the portal, and the staff note is not even read for them.
   */
  private async participation(
    m: EntityManager, resident: ResidentDetail, copy: SummaryCopy, zone: string, range: { start: Date; end: Date }, from: string, to: string,
  ): Promise<{ summary: SummaryParticipation; rows: { activityId: string; attended: boolean }[] }> {
    const columns = ['p.id', 'p.activityId', 'p.engagement', 'a.id', 'a.title', 'a.startsAt'];
    if (copy === 'staff') columns.push('p.staffNote', 'p.familyNote');
    if (copy === 'family_full') columns.push('p.familyNote');
    const qb = m.createQueryBuilder(Participation, 'p')
      .innerJoinAndMapOne('p.activity', Activity, 'a', 'a.id = p.activityId')
      .select(columns)
      .where('p.residentId = :residentId AND a.homeId = :homeId', { residentId: resident.id, homeId: resident.homeId })
      .andWhere('a.status <> :cancelled', { cancelled: 'cancelled' })
      .andWhere('a.startsAt >= :start AND a.startsAt < :end', range)
      .orderBy('a.startsAt', 'DESC')
      .addOrderBy('a.title', 'ASC');
    if (copy !== 'staff') qb.andWhere('a.visibleToFamilies = :shown', { shown: true });
    const found = (await qb.getMany()) as (Participation & { activity: Activity })[];

    const activities: SummaryParticipationRow[] = found.map((p) => {
      const local = utcToLocal(p.activity.startsAt, zone);
      return {
        date: local.date, time: local.time, title: p.activity.title, engagement: p.engagement, attended: ATTENDED.includes(p.engagement),
        staffNote: copy === 'staff' ? (p.staffNote ?? null) : null, familyNote: copy === 'family_summary' ? null : (p.familyNote ?? null),
      };
    });
    // Counted as the resident's page counts their weeks (activities/engagement-tally.ts).
    const [all] = tallyEngagements(['all'], activities.map((a) => ({ period: 'all', engagement: a.engagement })));
    const byMonth = tallyEngagements(monthsBetween(from, to), activities.map((a) => ({ period: a.date.slice(0, 7), engagement: a.engagement })));
    return {
      summary: {
        totals: all.counts,
        recorded: found.length,
        attended: activities.filter((a) => a.attended).length,
        byMonth: byMonth.map(({ key, counts, total }) => ({ month: key, counts, total })),
        activities,
      },
      rows: found.map((p) => ({ activityId: p.activityId, attended: ATTENDED.includes(p.engagement) })),
    };
  }

  // ---- Contributions ---------------------------------------------------------------------------

  /**
   * Contributions in the period that involve the resident: the resident's own; their relatives' on
   * the activities the resident attended; and those made from records about them (a review of their
   * plan, a check-in about them, a suggestion about them). Other residents' and helpers' work on a
   * group activity is the activity's, not this resident's. A family copy names only the resident and
   * the reader, and leaves out activities hidden from families.
   */
  private async contributions(
    m: EntityManager, user: SessionUser, resident: ResidentDetail, copy: SummaryCopy, from: string, to: string, attendedIds: string[],
  ): Promise<ResidentSummaryModel['contributions']> {
    const reviewIds = (await m.createQueryBuilder(PlanReview, 'r').select('r.id', 'id').innerJoin(ActivityPlan, 'p', 'p.id = r.planId')
      .where('p.residentId = :residentId', { residentId: resident.id }).getRawMany<{ id: string }>()).map((r) => r.id);
    const checkInIds = (await m.find(WellbeingCheckIn, { select: { id: true }, where: { residentId: resident.id } })).map((c) => c.id);
    const suggestionIds = (await m.find(Suggestion, { select: { id: true }, where: { residentId: resident.id } })).map((s) => s.id);
    const sources: [string, string[]][] = [['plan_review', reviewIds], ['check_in', checkInIds], ['suggestion', suggestionIds]];
    const relativeIds = (await m.find(FamilyLink, { select: { familyMemberId: true }, where: { residentId: resident.id } })).map((l) => l.familyMemberId);

    const rows = await m.createQueryBuilder(Contribution, 'c')
      .where('c.homeId = :homeId AND c.date >= :from AND c.date <= :to', { homeId: resident.homeId, from, to })
      .andWhere(new Brackets((any) => {
        any.where('c.residentId = :residentId', { residentId: resident.id });
        if (attendedIds.length > 0 && relativeIds.length > 0) {
          any.orWhere('(c.familyMemberId IN (:...relativeIds) AND c.activityId IN (:...attendedIds))', { relativeIds, attendedIds });
        }
        sources.forEach(([source, ids], i) => {
          if (ids.length > 0) any.orWhere(`(c.source = :source${i} AND c.sourceId IN (:...sourceIds${i}))`, { [`source${i}`]: source, [`sourceIds${i}`]: ids });
        });
      }))
      .orderBy('c.date', 'DESC')
      .addOrderBy('c.createdAt', 'DESC')
      .getMany();

    const activityIds = [...new Set(rows.map((c) => c.activityId).filter((id): id is string => id !== null))];
    const activities = new Map((activityIds.length ? await m.find(Activity, { select: { id: true, title: true, visibleToFamilies: true }, where: { id: In(activityIds) } }) : []).map((a) => [a.id, a]));
    const shown = copy === 'staff' ? rows : rows.filter((c) => c.activityId === null || activities.get(c.activityId)?.visibleToFamilies === true);
    const names = await this.personNames(m, shown);
    const nameable = (c: Contribution) => copy === 'staff' || c.residentId === resident.id || (c.actorType === 'family' && c.familyMemberId === user.personId);
    const result = shown.map((c): SummaryContribution => ({
      date: c.date,
      activityTitle: c.activityId ? (activities.get(c.activityId)?.title ?? null) : null,
      actorType: c.actorType,
      personName: nameable(c) ? (names.get(personOf(c) ?? '') ?? null) : null,
      phase: c.phase,
      minutes: c.minutes,
      description: copy === 'family_summary' ? null : c.description,
    }));
    return { rows: result, count: result.length, minutes: result.reduce((sum, c) => sum + c.minutes, 0) };
  }

  private async personNames(m: EntityManager, rows: Contribution[]): Promise<Map<string, string>> {
    const ids = (column: 'residentId' | 'familyMemberId' | 'volunteerId' | 'staffMemberId') =>
      [...new Set(rows.map((c) => c[column]).filter((id): id is string => id !== null))];
    const names = new Map<string, string>();
    const residentIds = ids('residentId');
    for (const r of residentIds.length ? await m.find(Resident, { select: { id: true, firstName: true, lastName: true, preferredName: true }, where: { id: In(residentIds) } }) : []) {
      names.set(r.id, residentDisplayName(r));
    }
    const people: [typeof FamilyMember | typeof Volunteer | typeof StaffMember, string[]][] = [
      [FamilyMember, ids('familyMemberId')], [Volunteer, ids('volunteerId')], [StaffMember, ids('staffMemberId')],
    ];
    for (const [entity, wanted] of people) {
      if (wanted.length === 0) continue;
      const found = (await m.find(entity, { select: { id: true, firstName: true, lastName: true }, where: { id: In(wanted) } })) as { id: string; firstName: string; lastName: string }[];
      for (const p of found) names.set(p.id, `${p.firstName} ${p.lastName}`);
    }
    return names;
  }

  // ---- Voice -----------------------------------------------------------------------------------

  /** The last four quarters' check-ins, as CheckInsService shows them to this reader. */
  private async checkInsOf(user: SessionUser, residentId: string): Promise<SummaryCheckIn[]> {
    const all = await this.checkIns.listForResident(user, residentId);
    const quarters = [...new Set(all.map((c) => c.quarter))].slice(0, CHECK_IN_QUARTERS);
    return all
      .filter((c) => quarters.includes(c.quarter))
      .map((c) => ({ quarter: c.quarter, perspective: c.perspective, authorName: c.authorName, doingThings: c.doingThings, people: c.people, choice: c.choice, comment: c.comment }));
  }

  /**
   * Feedback given in the period: staff read the resident's own (FeedbackService.listForResident); a
   * relative reads their own on activities the resident attended, as the portal shows it.
   */
  private async feedbackOf(
    user: SessionUser, residentId: string, copy: SummaryCopy, since: Date, attendedIds: string[], zone: string,
  ): Promise<SummaryFeedback[]> {
    const rows: FeedbackView[] = copy === 'staff'
      ? await this.feedback.listForResident(user, residentId)
      : (await this.feedback.listMine(user)).filter((f) => f.activityId !== null && attendedIds.includes(f.activityId));
    return rows
      .filter((f) => f.createdAt >= since)
      .map((f) => ({
        date: f.activityDate ?? utcToLocal(f.createdAt, zone).date,
        activityTitle: f.activityTitle,
        authorName: f.author.name,
        rating: f.rating,
        comment: f.comment,
      }));
  }
}

function personOf(c: Contribution): string | null {
  return c.residentId ?? c.familyMemberId ?? c.volunteerId ?? c.staffMemberId;
}

function profileOf(r: ResidentDetail, copy: SummaryCopy): SummaryProfile {
  const staff = copy === 'staff';
  return {
    fullName: r.fullName,
    displayName: r.displayName,
    preferredName: r.preferredName ?? null,
    status: r.status,
    unitName: r.unitName,
    room: staff ? (r.room ?? null) : null,
    dateOfBirth: r.dateOfBirth ?? null,
    admittedOn: r.admittedOn ?? null,
    leftOn: r.leftOn ?? null,
    weeklyActivityTarget: r.weeklyActivityTarget ?? null,
    familyPortalConsent: r.consent?.familyPortal ?? null,
    aboutMe: r.aboutMe ?? null,
    interests: r.interests,
    // The resident's lens already leaves these out of a summary copy.
    dislikes: r.dislikes ?? null,
    communicationTips: copy === 'family_summary' ? null : r.communicationTips,
    mobilityNotes: r.mobilityNotes ?? null,
  };
}
