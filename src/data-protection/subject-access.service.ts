import { Injectable } from '@nestjs/common';
import { Brackets, EntityManager, In } from 'typeorm';
import { ActivityType } from '../activities/entities/activity-type.entity';
import { Activity } from '../activities/entities/activity.entity';
import { Participation } from '../activities/entities/participation.entity';
import { Engagement } from '../activities/activities.enums';
import { AuditService } from '../audit/audit.service';
import { AuditEntry, FieldChanges } from '../audit/entities/audit-entry.entity';
import { User } from '../auth/entities/user.entity';
import { findInHomes } from '../common/access/home-scope';
import type { SessionUser } from '../common/access/session-user';
import { NotFoundError } from '../common/errors/domain-errors';
import { utcToLocal } from '../common/time/zoned';
import { Contribution } from '../contributions/entities/contribution.entity';
import { ContributionSource, Phase } from '../contributions/contributions.enums';
import { UnitOfWork } from '../database/unit-of-work';
import { MailService } from '../mail/mail.service';
import { FamilyMember } from '../families/entities/family-member.entity';
import { Message } from '../messages/entities/message.entity';
import { MessageThread } from '../messages/entities/message-thread.entity';
import { Home } from '../homes/entities/home.entity';
import { Unit } from '../homes/entities/unit.entity';
import { ActivityPlan } from '../plans/entities/activity-plan.entity';
import { PlanStatus, GoalStatus } from '../plans/plans.enums';
import { GoalAttainment } from '../plans/entities/goal-attainment.entity';
import { PlanGoal } from '../plans/entities/plan-goal.entity';
import { PlanReview } from '../plans/entities/plan-review.entity';
import type { ExportOrigin } from '../reports/report.service';
import { FamilyLink } from '../residents/entities/family-link.entity';
import { Resident } from '../residents/entities/resident.entity';
import { FamilyPortalConsent } from '../residents/residents.enums';
import { StaffMember } from '../staff/entities/staff-member.entity';
import { Feedback } from '../voice/entities/feedback.entity';
import { Photo } from '../photos/entities/photo.entity';
import { PhotoTag } from '../photos/entities/photo-tag.entity';
import { Suggestion } from '../voice/entities/suggestion.entity';
import { SuggestionKind, SuggestionStatus, Perspective } from '../voice/voice.enums';
import { WellbeingCheckIn } from '../voice/entities/wellbeing-check-in.entity';
import { Volunteer } from '../volunteers/entities/volunteer.entity';
import { can } from '../common/access/access-policy';

export const SUBJECT_ACCESS_FORMAT = 'insieme-subject-access/1';
/** Stands for a value recorded in the audit log before the resident's identity was erased. */
export const ERASED_VALUE = '[erased]';

/**
 * Everything the home holds about one resident (GDPR Art. 15), for the JSON download and the PDF.
 * Staff notes are included: the data subject (or their representative) is entitled to what staff
 * wrote about them; what would identify third parties beyond their role in the home (relatives'
 * contact details, other residents) is left out. Photo bytes are not exported, only whether a photo
 * is held; the resident's message thread is included with each author's name, role and side;
 * notifications are messages to staff and relatives' accounts that repeat records already
 * listed here, so they are not repeated.
 */
export interface SubjectAccessExport {
  format: typeof SUBJECT_ACCESS_FORMAT;
  meta: {
    residentId: string;
    homeId: string;
    homeName: string;
    timezone: string;
    generatedAt: string;
    generatedBy: string;
  };
  resident: {
    id: string;
    firstName: string;
    lastName: string;
    preferredName: string | null;
    dateOfBirth: string | null;
    room: string | null;
    unit: string | null;
    status: string;
    admittedOn: string;
    leftOn: string | null;
    aboutMe: string | null;
    interests: string[];
    dislikes: string | null;
    communicationTips: string | null;
    mobilityNotes: string | null;
    weeklyActivityTarget: number;
    erasedAt: string | null;
    createdAt: string;
    updatedAt: string;
  };
  photo: { held: boolean };
  /** Activity photos the resident is tagged in: what is held (never the bytes), and how many others share each. */
  photos: { id: string; activity: string | null; caption: string | null; takenAt: string; otherResidentsTagged: number }[];
  consent: {
    photos: boolean;
    familyPortal: FamilyPortalConsent;
    volunteerProfile: boolean;
    bestInterestNote: string | null;
    recordedBy: string | null;
    recordedAt: string | null;
  };
  familyLinks: { familyMember: string; relationship: string; primaryContact: boolean; access: string; active: boolean; since: string }[];
  plans: {
    id: string;
    version: number;
    status: PlanStatus;
    whatMattersToMe: string | null;
    agreedOn: string | null;
    nextReviewOn: string | null;
    createdAt: string;
    createdBy: string | null;
    goals: { id: string; description: string; categories: string[]; activityTypes: string[]; targetPerWeek: number; status: GoalStatus }[];
    reviews: {
      id: string;
      reviewedOn: string;
      residentTookPart: boolean;
      family: string[];
      staff: string[];
      notes: string | null;
      recordedBy: string | null;
      scores: { goal: string; score: number }[];
    }[];
  }[];
  participation: {
    date: string;
    time: string;
    activity: string;
    activityStatus: string;
    engagement: Engagement;
    moodBefore: number | null;
    moodAfter: number | null;
    staffNote: string | null;
    familyNote: string | null;
    recordedBy: string | null;
    recordedAt: string;
  }[];
  contributions: { date: string; activity: string | null; phase: Phase; minutes: number; description: string | null; source: ContributionSource }[];
  suggestions: {
    createdAt: string;
    relation: 'by_resident' | 'about_resident';
    author: string;
    authorType: string;
    kind: SuggestionKind;
    title: string;
    body: string;
    status: SuggestionStatus;
    response: string | null;
    respondedAt: string | null;
  }[];
  feedback: { createdAt: string; activity: string | null; rating: number; comment: string | null }[];
  checkIns: { quarter: string; perspective: Perspective; author: string; doingThings: number; people: number; choice: number; comment: string | null; createdAt: string }[];
  /** The resident's thread between the home and their relatives, oldest first: who wrote (name, role, side) and what. */
  messages: { sentAt: string; side: string; authorRole: string; author: string; body: string }[];
  /**
   * Mails of the home whose subject or text names the resident (full name), sent or waiting, as
   * written; without their recipients, who are other people (docs/mail.md, Audit and personal data).
   */
  mails: { queuedAt: string; template: string; status: string; subject: string; text: string }[];
  /** Entries of the audit log about the resident's records, oldest first; participation entries keep only this resident's fields. */
  audit: { seq: number; at: string; action: string; entityType: string; entityId: string | null; by: string | null; role: string | null; changes: FieldChanges | null }[];
}

/** "Maria Rossi" and, with a preferred name, "Mimi Rossi": what a mail would call the resident. */
function residentFullNames(r: Pick<Resident, 'firstName' | 'lastName' | 'preferredName'>): string[] {
  const names = [`${r.firstName} ${r.lastName}`];
  if (r.preferredName?.trim()) names.push(`${r.preferredName.trim()} ${r.lastName}`);
  return names;
}

function iso(value: Date | null): string | null {
  return value ? value.toISOString() : null;
}

@Injectable()
export class SubjectAccessService {
  constructor(private readonly unitOfWork: UnitOfWork, private readonly audit: AuditService, private readonly mail: MailService) {}

  /** The export for a download; each one is written to the audit log as an export of the resident's record. */
  async exportFor(user: SessionUser, residentId: string, format: 'json' | 'pdf', origin: ExportOrigin, now = new Date()): Promise<SubjectAccessExport> {
    const data = await this.forUser(user, residentId, now);
    await this.audit.recordNow({
      action: 'export', userId: user.id, role: user.role, entityType: 'resident', entityId: residentId, homeId: data.meta.homeId,
      changes: { export: { old: null, new: `subject_access_${format}` } }, ip: origin.ip, userAgent: origin.userAgent ?? null,
    });
    return data;
  }

  /** Managers and admins of the resident's home; anyone else is told it is not found. */
  async forUser(user: SessionUser, residentId: string, now = new Date()): Promise<SubjectAccessExport> {
    if (!can(user, 'handleDataProtection')) throw new NotFoundError();
    const m = this.unitOfWork.manager;
    const r = await findInHomes(m, Resident, user, residentId);
    const home = await m.findOneByOrFail(Home, { id: r.homeId });
    const zone = home.timezone;

    const plans = await m.find(ActivityPlan, { where: { residentId: r.id }, order: { version: 'ASC', createdAt: 'ASC' } });
    const planIds = plans.map((p) => p.id);
    const goals = planIds.length ? await m.find(PlanGoal, { where: { planId: In(planIds) }, order: { position: 'ASC' } }) : [];
    const reviews = planIds.length ? await m.find(PlanReview, { where: { planId: In(planIds) }, order: { reviewedOn: 'ASC', createdAt: 'ASC' } }) : [];
    const reviewIds = reviews.map((v) => v.id);
    const scores = reviewIds.length ? await m.find(GoalAttainment, { where: { reviewId: In(reviewIds) } }) : [];
    const typeIds = [...new Set(goals.flatMap((g) => g.activityTypeIds))];
    const typeNames = new Map((typeIds.length ? await m.find(ActivityType, { where: { id: In(typeIds) } }) : []).map((a) => [a.id, a.name]));

    const participation = (await m.createQueryBuilder(Participation, 'p')
      .innerJoinAndMapOne('p.activity', Activity, 'a', 'a.id = p.activityId')
      .where('p.residentId = :residentId', { residentId: r.id })
      .orderBy('a.startsAt', 'ASC')
      .getMany()) as (Participation & { activity: Activity })[];
    const contributions = await m.find(Contribution, { where: { residentId: r.id }, order: { date: 'ASC', createdAt: 'ASC' } });
    const suggestions = await m.createQueryBuilder(Suggestion, 's')
      .where('s.homeId = :homeId', { homeId: r.homeId })
      .andWhere(new Brackets((any) => any.where('s.residentId = :id', { id: r.id }).orWhere('s.authorResidentId = :id', { id: r.id })))
      .orderBy('s.createdAt', 'ASC')
      .getMany();
    const feedback = await m.find(Feedback, { where: { authorResidentId: r.id }, order: { createdAt: 'ASC' } });
    const checkIns = await m.find(WellbeingCheckIn, { where: { residentId: r.id }, order: { quarter: 'ASC', createdAt: 'ASC' } });
    const links = await m.find(FamilyLink, { where: { residentId: r.id }, order: { createdAt: 'ASC' } });
    // The one thread about this resident; no other resident's messages.
    const thread = await m.findOneBy(MessageThread, { residentId: r.id, homeId: r.homeId });
    const messages = thread ? await m.find(Message, { where: { threadId: thread.id }, order: { sentAt: 'ASC' } }) : [];
    const photoTags = await m.find(PhotoTag, { where: { residentId: r.id } });
    const photos = photoTags.length ? await m.find(Photo, { where: { id: In(photoTags.map((t) => t.photoId)) }, order: { createdAt: 'ASC' } }) : [];
    const photoTagCounts = photos.length ? await m.find(PhotoTag, { select: { photoId: true }, where: { photoId: In(photos.map((p) => p.id)) } }) : [];
    const activityIds = [...new Set([...contributions, ...feedback, ...photos].map((c) => c.activityId).filter((id): id is string => id !== null))];
    const activityTitles = new Map((activityIds.length ? await m.find(Activity, { select: { id: true, title: true }, where: { id: In(activityIds) } }) : []).map((a) => [a.id, a.title]));

    const people = await this.people(m, {
      family: [...links.map((l) => l.familyMemberId), ...reviews.flatMap((v) => v.familyMemberIds), ...suggestions.map((s) => s.authorFamilyMemberId), ...checkIns.map((c) => c.familyMemberId)],
      volunteers: suggestions.map((s) => s.authorVolunteerId),
      staff: [...reviews.flatMap((v) => v.staffMemberIds), ...suggestions.map((s) => s.authorStaffMemberId), ...checkIns.map((c) => c.staffMemberId)],
    });
    const auditEntries = await this.auditEntries(m, r.id, {
      activity_plan: planIds, plan_review: reviewIds, suggestion: suggestions.map((s) => s.id), feedback: feedback.map((f) => f.id),
      wellbeing_check_in: checkIns.map((c) => c.id), family_link: links.map((l) => l.id), participation: participation.map((p) => p.activityId),
      message_thread: thread ? [thread.id] : [], message: messages.map((x) => x.id),
    });
    const users = await this.userNames(m, [
      r.consentRecordedBy, ...plans.map((p) => p.createdBy), ...reviews.map((v) => v.recordedBy), ...participation.map((p) => p.recordedBy), ...auditEntries.map((e) => e.userId),
      ...messages.map((x) => x.authorUserId),
    ]);
    const userName = (id: string | null) => (id ? (users.get(id) ?? null) : null);
    const name = (id: string | null) => (id ? (people.get(id) ?? '—') : '—');
    const residentName = `${r.firstName} ${r.lastName}`;
    const unit = r.unitId ? await m.findOneBy(Unit, { id: r.unitId }) : null;

    return {
      format: SUBJECT_ACCESS_FORMAT,
      meta: { residentId: r.id, homeId: r.homeId, homeName: home.name, timezone: zone, generatedAt: now.toISOString(), generatedBy: user.displayName },
      resident: {
        id: r.id, firstName: r.firstName, lastName: r.lastName, preferredName: r.preferredName, dateOfBirth: r.dateOfBirth, room: r.room, unit: unit?.name ?? null,
        status: r.status, admittedOn: r.admittedOn, leftOn: r.leftOn, aboutMe: r.aboutMe, interests: r.interests, dislikes: r.dislikes,
        communicationTips: r.communicationTips, mobilityNotes: r.mobilityNotes, weeklyActivityTarget: r.weeklyActivityTarget,
        erasedAt: iso(r.erasedAt), createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString(),
      },
      photo: { held: r.photoFile !== null },
      photos: photos.map((p) => ({
        id: p.id, activity: p.activityId ? (activityTitles.get(p.activityId) ?? null) : null, caption: p.caption, takenAt: p.createdAt.toISOString(),
        otherResidentsTagged: photoTagCounts.filter((t) => t.photoId === p.id).length - 1,
      })),
      consent: {
        photos: r.consentPhotos, familyPortal: r.consentFamilyPortal, volunteerProfile: r.consentVolunteerProfile, bestInterestNote: r.consentBestInterestNote,
        recordedBy: userName(r.consentRecordedBy), recordedAt: iso(r.consentRecordedAt),
      },
      familyLinks: links.map((l) => ({
        familyMember: name(l.familyMemberId), relationship: l.relationship, primaryContact: l.primaryContact, access: l.access, active: l.active, since: l.createdAt.toISOString(),
      })),
      plans: plans.map((p) => {
        const own = goals.filter((g) => g.planId === p.id);
        const goalText = new Map(own.map((g) => [g.id, g.description]));
        return {
          id: p.id, version: p.version, status: p.status, whatMattersToMe: p.whatMattersToMe, agreedOn: p.agreedOn, nextReviewOn: p.nextReviewOn,
          createdAt: p.createdAt.toISOString(), createdBy: userName(p.createdBy),
          goals: own.map((g) => ({
            id: g.id, description: g.description, categories: g.categories, activityTypes: g.activityTypeIds.map((id) => typeNames.get(id) ?? '—'), targetPerWeek: g.targetPerWeek, status: g.status,
          })),
          reviews: reviews.filter((v) => v.planId === p.id).map((v) => ({
            id: v.id, reviewedOn: v.reviewedOn, residentTookPart: v.residentTookPart, family: v.familyMemberIds.map(name), staff: v.staffMemberIds.map(name),
            notes: v.notes, recordedBy: userName(v.recordedBy),
            scores: scores.filter((s) => s.reviewId === v.id && goalText.has(s.goalId)).map((s) => ({ goal: goalText.get(s.goalId)!, score: s.score })),
          })),
        };
      }),
      participation: participation.map((p) => {
        const local = utcToLocal(p.activity.startsAt, zone);
        return {
          date: local.date, time: local.time, activity: p.activity.title, activityStatus: p.activity.status, engagement: p.engagement,
          moodBefore: p.moodBefore, moodAfter: p.moodAfter, staffNote: p.staffNote, familyNote: p.familyNote,
          recordedBy: userName(p.recordedBy), recordedAt: p.recordedAt.toISOString(),
        };
      }),
      contributions: contributions.map((c) => ({
        date: c.date, activity: c.activityId ? (activityTitles.get(c.activityId) ?? null) : null, phase: c.phase, minutes: c.minutes, description: c.description, source: c.source,
      })),
      suggestions: suggestions.map((s) => ({
        createdAt: s.createdAt.toISOString(),
        relation: s.authorResidentId === r.id ? 'by_resident' : 'about_resident',
        author: s.authorResidentId === r.id ? residentName : name(s.authorFamilyMemberId ?? s.authorVolunteerId ?? s.authorStaffMemberId),
        authorType: s.authorType, kind: s.kind, title: s.title, body: s.body, status: s.status, response: s.response, respondedAt: iso(s.respondedAt),
      })),
      feedback: feedback.map((f) => ({
        createdAt: f.createdAt.toISOString(), activity: f.activityId ? (activityTitles.get(f.activityId) ?? null) : null, rating: f.rating, comment: f.comment,
      })),
      mails: (await this.mail.mentioning(m, r.homeId, residentFullNames(r))).map((mail) => ({
        queuedAt: mail.queuedAt.toISOString(), template: mail.template, status: mail.status, subject: mail.subject, text: mail.text,
      })),
      checkIns: checkIns.map((c) => ({
        quarter: c.quarter, perspective: c.perspective, author: c.perspective === 'resident' ? residentName : name(c.familyMemberId ?? c.staffMemberId),
        doingThings: c.doingThings, people: c.people, choice: c.choice, comment: c.comment, createdAt: c.createdAt.toISOString(),
      })),
      messages: messages.map((x) => ({
        sentAt: x.sentAt.toISOString(), side: x.side, authorRole: x.authorRole, author: userName(x.authorUserId) ?? '—', body: x.body,
      })),
      audit: auditEntries.map((e) => {
        const changes = e.entityType === 'participation' ? ownFields(e.changes, r.id) : e.changes;
        return {
          seq: e.seq, at: e.at.toISOString(), action: e.action, entityType: e.entityType ?? '', entityId: e.entityId, by: userName(e.userId), role: e.role,
          // The log keeps what entries recorded before an erasure (its hash chain cannot be rewritten); the app does not show it again.
          changes: r.erasedAt && e.at < r.erasedAt ? valuesWithheld(changes) : changes,
        };
      }),
    };
  }

  /**
   * The audit trail of the resident's records: entries about the resident itself and about their
   * plans, reviews, suggestions, feedback, check-ins and family links. A participation entry is about
   * one activity's log, so only the fields of this resident ("<residentId>.staffNote") are kept.
   */
  private async auditEntries(m: EntityManager, residentId: string, related: Record<string, string[]>): Promise<AuditEntry[]> {
    const qb = m.createQueryBuilder(AuditEntry, 'e').where(new Brackets((any) => {
      any.where('(e.entityType = :resident AND e.entityId = :residentId)', { resident: 'resident', residentId });
      Object.entries(related).forEach(([type, ids], i) => {
        const unique = [...new Set(ids)];
        if (unique.length > 0) any.orWhere(`(e.entityType = :type${i} AND e.entityId IN (:...ids${i}))`, { [`type${i}`]: type, [`ids${i}`]: unique });
      });
    }));
    const entries = await qb.orderBy('e.seq', 'ASC').getMany();
    return entries.filter((e) => e.entityType !== 'participation' || Object.keys(ownFields(e.changes, residentId) ?? {}).length > 0);
  }

  private async people(m: EntityManager, ids: { family: (string | null)[]; volunteers: (string | null)[]; staff: (string | null)[] }): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    const lists: [typeof FamilyMember | typeof Volunteer | typeof StaffMember, (string | null)[]][] = [[FamilyMember, ids.family], [Volunteer, ids.volunteers], [StaffMember, ids.staff]];
    for (const [entity, list] of lists) {
      const wanted = [...new Set(list.filter((id): id is string => id !== null))];
      if (wanted.length === 0) continue;
      const found = (await m.find(entity, { select: { id: true, firstName: true, lastName: true }, where: { id: In(wanted) } })) as { id: string; firstName: string; lastName: string }[];
      for (const p of found) names.set(p.id, `${p.firstName} ${p.lastName}`);
    }
    return names;
  }

  private async userNames(m: EntityManager, ids: (string | null)[]): Promise<Map<string, string>> {
    const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
    if (wanted.length === 0) return new Map();
    return new Map((await m.find(User, { select: { id: true, displayName: true }, where: { id: In(wanted) } })).map((u) => [u.id, u.displayName]));
  }
}

/** Which fields changed, without their values. */
function valuesWithheld(changes: FieldChanges | null): FieldChanges | null {
  return changes ? Object.fromEntries(Object.keys(changes).map((field) => [field, { old: ERASED_VALUE, new: ERASED_VALUE }])) : null;
}

/** The fields of a participation audit entry that belong to one resident, without the id prefix. */
function ownFields(changes: FieldChanges | null, residentId: string): FieldChanges | null {
  if (!changes) return null;
  const prefix = `${residentId}.`;
  const own = Object.entries(changes).filter(([key]) => key.startsWith(prefix)).map(([key, value]) => [key.slice(prefix.length), value]);
  return own.length > 0 ? Object.fromEntries(own) : null;
}
