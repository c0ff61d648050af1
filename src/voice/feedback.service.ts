import { Injectable } from '@nestjs/common';
import { can } from '../common/access/access-policy';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, FindOptionsWhere, In, Repository } from 'typeorm';
import { ActivitiesService, ActivityBrief } from '../activities/activities.service';
import { AuditService, diffFields } from '../audit/audit.service';
import type { SessionUser } from '../common/access/session-user';
import { NotFoundError, ValidationError } from '../common/errors/domain-errors';
import { todayIn, utcToLocal } from '../common/time/zoned';
import { ContributionsService } from '../contributions/contributions.service';
import { UnitOfWork } from '../database/unit-of-work';
import { HomesService } from '../homes/homes.service';
import { INBOX_ROLES, NotificationsService } from '../notifications/notifications.service';
import { Feedback } from './entities/feedback.entity';
import { assertId, AuthorColumns, isUuid, score, text, VoiceAccess } from './voice-access';
import { AuthorView, VoiceViews } from './voice-views';

export interface FeedbackInput {
  /** The activity it is about; null or absent for the programme as a whole. */
  activityId?: string | null;
  rating: number;
  comment?: string;
}

export interface FeedbackView {
  id: string;
  homeId: string;
  /** Null for feedback on the programme as a whole. */
  activityId: string | null;
  activityTitle: string | null;
  /** The activity's local date and time in the home's zone. */
  activityDate: string | null;
  activityTime: string | null;
  rating: number;
  comment: string | null;
  author: AuthorView;
  createdAt: Date;
  updatedAt: Date;
  /** Only from a save: this author had told of this activity before, and the answer given now took its place. */
  replaced?: { rating: number; comment: string | null };
}

/** An activity that feedback may be given on, for a form's choices. */
export interface FeedbackChoice {
  id: string;
  title: string;
  date: string;
  time: string;
}

const COMMENT_MAX = 2000;
const INBOX_SIZE = 30;
/** How far back the forms offer activities to give feedback on. */
const CHOICE_DAYS = 60;

/**
 * "How did it go?" (SPEC 3): a rating 1-5 and a comment, on an activity or on the programme, from a
 * relative (on activities their relative attended), a volunteer (on activities they helped with) or
 * a resident (written down by staff). Each is its author's co_assessment contribution; giving feedback
 * on the same activity again changes the first one.
 */
@Injectable()
export class FeedbackService {
  constructor(
    @InjectRepository(Feedback) private readonly feedback: Repository<Feedback>,
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditService,
    private readonly access: VoiceAccess,
    private readonly contributions: ContributionsService,
    private readonly notifications: NotificationsService,
    private readonly names: VoiceViews,
    private readonly activities: ActivitiesService,
    private readonly homes: HomesService,
  ) {}

  /** A relative or volunteer gives feedback in their own name. */
  async submit(user: SessionUser, input: FeedbackInput): Promise<FeedbackView> {
    if (can(user, 'homeStaff')) throw new NotFoundError();
    const author = this.access.authorOf(user);
    const fields = checkFeedback(input);
    return this.unitOfWork.transaction(async (m) => {
      let activity: ActivityBrief | null = null;
      if (fields.activityId) {
        activity = await this.activityOf(m, user, fields.activityId);
        if (user.role === 'family') await this.assertRelativeAttended(m, user, activity);
        else if (!(await this.activities.isConfirmedHelper(activity.id, author.authorVolunteerId!, m))) {
          throw new ValidationError({ activityId: { key: 'voice.notHelped' } });
        }
      }
      const homeId = activity?.homeId ?? (await this.access.homeOfSpeaker(m, user));
      return this.save(m, user, homeId, activity, author, fields);
    });
  }

  /** Staff write down a resident's own feedback, on an activity the resident attended or on the programme. */
  async submitForResident(staffUser: SessionUser, residentId: string, input: FeedbackInput): Promise<FeedbackView> {
    const fields = checkFeedback(input);
    return this.unitOfWork.transaction(async (m) => {
      const resident = await this.access.residentForStaff(m, staffUser, residentId);
      let activity: ActivityBrief | null = null;
      if (fields.activityId) {
        activity = await this.activityOf(m, staffUser, fields.activityId);
        if (!(await this.activities.anyAttended(activity.id, [resident.id], m))) throw new ValidationError({ activityId: { key: 'voice.residentDidNotAttend' } });
      }
      return this.save(m, staffUser, resident.homeId, activity, this.access.residentAuthor(staffUser, resident.id), fields);
    });
  }

  /** This user's own feedback, newest first. */
  async listMine(user: SessionUser): Promise<FeedbackView[]> {
    const where = this.mine(user);
    if (!where) return [];
    return this.views(this.unitOfWork.manager, await this.feedback.find({ where, order: { createdAt: 'DESC' }, take: 100 }));
  }

  /** How much feedback a relative or volunteer has given (the family portal's count), without reading it. */
  async countMine(user: SessionUser): Promise<number> {
    const where = this.mine(user);
    return where ? this.feedback.countBy(where) : 0;
  }

  /** A relative's or volunteer's own feedback in their homes; null for staff and users without a home. */
  private mine(user: SessionUser): FindOptionsWhere<Feedback> | null {
    if (can(user, 'homeStaff') || user.homeIds.length === 0) return null;
    const author = this.access.authorOf(user);
    return author.authorType === 'family'
      ? { authorType: 'family', authorFamilyMemberId: author.authorFamilyMemberId!, homeId: In(user.homeIds) }
      : { authorType: 'volunteer', authorVolunteerId: author.authorVolunteerId!, homeId: In(user.homeIds) };
  }

  /** The newest feedback of the user's homes, for the coordinators' inbox. */
  async inbox(user: SessionUser): Promise<FeedbackView[]> {
    if (!can(user, 'answerSuggestions')) throw new NotFoundError();
    if (user.homeIds.length === 0) return [];
    const rows = await this.feedback.find({ where: { homeId: In(user.homeIds) }, order: { createdAt: 'DESC' }, take: INBOX_SIZE });
    return this.views(this.unitOfWork.manager, rows);
  }

  /** A resident's own feedback, for staff. */
  async listForResident(user: SessionUser, residentId: string): Promise<FeedbackView[]> {
    // A discharged resident's words stay readable.
    const resident = await this.access.residentForStaff(this.unitOfWork.manager, user, residentId, false);
    const rows = await this.feedback.find({ where: { authorType: 'resident', authorResidentId: resident.id }, order: { createdAt: 'DESC' }, take: 50 });
    return this.views(this.unitOfWork.manager, rows);
  }

  /** Feedback on one activity of the user's homes, for staff. */
  async listForActivity(user: SessionUser, activityId: string): Promise<FeedbackView[]> {
    if (!can(user, 'homeStaff') || !isUuid(activityId)) throw new NotFoundError();
    const rows = await this.feedback.find({ where: { activityId: activityId.toLowerCase(), homeId: In(user.homeIds) }, order: { createdAt: 'DESC' } });
    return this.views(this.unitOfWork.manager, rows);
  }

  /**
   * The recent activities this user may give feedback on, newest first: those a relative's resident
   * attended, those a volunteer helped with, or (staff, with `residentId`) those the resident attended.
   */
  async choices(user: SessionUser, residentId?: string): Promise<FeedbackChoice[]> {
    const m = this.unitOfWork.manager;
    if (user.homeIds.length === 0) return [];
    const since = new Date(Date.now() - CHOICE_DAYS * 24 * 60 * 60 * 1000);
    let activities: ActivityBrief[];
    if (can(user, 'homeStaff')) {
      if (!residentId) return [];
      const attendedBy = [(await this.access.residentForStaff(m, user, residentId)).id];
      activities = await this.activities.recentlyHeld(user.homeIds, since, { attendedBy, shownToFamilies: false });
    } else if (user.role === 'family') {
      const attendedBy = await this.access.contributingResidentIds(m, user);
      activities = await this.activities.recentlyHeld(user.homeIds, since, { attendedBy, shownToFamilies: true });
    } else if (user.role === 'volunteer' && user.personKind === 'volunteer' && user.personId) {
      activities = await this.activities.recentlyHeld(user.homeIds, since, { helperVolunteerId: user.personId });
    } else {
      return [];
    }
    return this.choiceViews(m, activities);
  }

  // Helpers ----------------------------------------------------------------------------------

  private async save(
    m: EntityManager, user: SessionUser, homeId: string, activity: ActivityBrief | null, author: AuthorColumns, fields: ReturnType<typeof checkFeedback>,
  ): Promise<FeedbackView> {
    // One feedback per author and activity: giving it again changes it (and counts once), even with two saves at once.
    if (activity) await this.activities.lockForUpdate(m, activity.id);
    const existing = activity ? await m.findOneBy(Feedback, { activityId: activity.id, ...authorKey(author) }) : null;
    if (existing) {
      const next = { rating: fields.rating, comment: fields.comment, recordedBy: author.recordedBy };
      const changes = diffFields(existing, next, ['rating', 'comment']);
      if (Object.keys(changes).length > 0) {
        await m.update(Feedback, { id: existing.id }, next);
        await this.audit.record(m, { action: 'update', userId: user.id, role: user.role, entityType: 'feedback', entityId: existing.id, homeId, changes });
      }
      const before = { rating: existing.rating, comment: existing.comment };
      return { ...(await this.views(m, [Object.assign(existing, next)]))[0], replaced: before };
    }
    const feedback = m.create(Feedback, { ...author, homeId, activityId: activity?.id ?? null, rating: fields.rating, comment: fields.comment });
    await m.insert(Feedback, feedback);
    await this.audit.record(m, {
      action: 'create', userId: user.id, role: user.role, entityType: 'feedback', entityId: feedback.id, homeId,
      changes: diffFields({}, feedback, ['activityId', 'authorType', 'rating', 'comment']),
    });
    const person = author.authorResidentId ?? author.authorFamilyMemberId ?? author.authorVolunteerId;
    if (person) {
      const date = activity ? await this.contributions.activityDate(m, activity) : todayIn((await this.homes.timezones([homeId], m)).get(homeId) ?? 'Europe/Rome');
      await this.contributions.syncFromSource(m, 'feedback', feedback.id, { homeId, activityId: activity?.id ?? null, date, recordedBy: user.id }, [
        { actorType: author.authorType, personId: person, phase: 'co_assessment', minutes: 0 },
      ]);
    }
    const view = (await this.views(m, [feedback]))[0];
    await this.notifications.notify(m, {
      toRoles: INBOX_ROLES, homeId, kind: 'feedback',
      messageKey: activity ? 'notifications.messages.newFeedback' : 'notifications.messages.newProgrammeFeedback',
      params: { name: view.author.name, rating: fields.rating, title: activity?.title ?? '' }, link: '/inbox#feedback', exceptUserIds: [user.id],
    });
    return view;
  }

  /** An activity of the user's homes that is not cancelled; a relative sees only those shown to families. */
  private async activityOf(m: EntityManager, user: SessionUser, activityId: string): Promise<ActivityBrief> {
    const [activity] = await this.activities.briefsByIds([activityId.toLowerCase()], m);
    if (!activity || !user.homeIds.includes(activity.homeId) || (user.role === 'family' && !activity.visibleToFamilies)) throw new NotFoundError();
    if (activity.status === 'cancelled') throw new ValidationError({ activityId: { key: 'voice.activityCancelled' } });
    return activity;
  }

  /** A relative gives feedback only on an activity their resident attended, through a "contribute" link. */
  private async assertRelativeAttended(m: EntityManager, user: SessionUser, activity: ActivityBrief): Promise<void> {
    const contributing = await this.access.contributingResidentIds(m, user);
    if (contributing.length > 0 && (await this.activities.anyAttended(activity.id, contributing, m))) return;
    const visible = await this.access.visibleResidentIds(m, user);
    if (visible.length === 0) throw new NotFoundError();
    if (contributing.length === 0 || (await this.activities.anyAttended(activity.id, visible, m))) {
      throw new ValidationError({ activityId: { key: 'voice.viewOnlyFamily' } }, { key: 'voice.viewOnlyFamily' });
    }
    throw new ValidationError({ activityId: { key: 'voice.relativeDidNotAttend' } });
  }

  private async choiceViews(m: EntityManager, activities: ActivityBrief[]): Promise<FeedbackChoice[]> {
    const zones = await this.homes.timezones(activities.map((a) => a.homeId), m);
    return activities.map((a) => {
      const local = utcToLocal(a.startsAt, zones.get(a.homeId) ?? 'Europe/Rome');
      return { id: a.id, title: a.title, date: local.date, time: local.time };
    });
  }

  private async views(m: EntityManager, rows: Feedback[]): Promise<FeedbackView[]> {
    if (rows.length === 0) return [];
    const authorOf = await this.names.authorViews(m, rows);
    const activityIds = rows.map((f) => f.activityId).filter((id): id is string => id !== null);
    const activities = new Map((await this.activities.briefsByIds(activityIds, m)).map((a) => [a.id, a]));
    const zones = await this.homes.timezones(rows.map((f) => f.homeId), m);
    return rows.map((f) => {
      const activity = f.activityId ? activities.get(f.activityId) : undefined;
      const local = activity ? utcToLocal(activity.startsAt, zones.get(f.homeId) ?? 'Europe/Rome') : null;
      return {
        id: f.id, homeId: f.homeId, activityId: f.activityId, activityTitle: activity?.title ?? null, activityDate: local?.date ?? null,
        activityTime: local?.time ?? null, rating: f.rating, comment: f.comment, author: authorOf(f), createdAt: f.createdAt, updatedAt: f.updatedAt,
      };
    });
  }
}

function checkFeedback(input: FeedbackInput) {
  const activityId = input.activityId === undefined || input.activityId === null || input.activityId === '' ? null : input.activityId;
  if (activityId !== null) assertId(activityId, 'activityId');
  return { activityId, rating: score(input.rating, 'rating', 5), comment: text(input.comment, 'comment', COMMENT_MAX, false) };
}

/** The columns that say who an author is, to find their earlier feedback. */
function authorKey(author: AuthorColumns): FindOptionsWhere<Feedback> {
  if (author.authorType === 'resident') return { authorType: 'resident', authorResidentId: author.authorResidentId! };
  if (author.authorType === 'family') return { authorType: 'family', authorFamilyMemberId: author.authorFamilyMemberId! };
  return { authorType: 'volunteer', authorVolunteerId: author.authorVolunteerId! };
}
