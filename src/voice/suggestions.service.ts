import { Injectable } from '@nestjs/common';
import { can } from '../common/access/access-policy';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { ActivitiesService } from '../activities/activities.service';
import { AuditService, diffFields } from '../audit/audit.service';
import { AuthService } from '../auth/auth.service';
import type { SessionUser } from '../common/access/session-user';
import { NotFoundError, ValidationError } from '../common/errors/domain-errors';
import { todayIn, utcToLocal } from '../common/time/zoned';
import { ContributionsService } from '../contributions/contributions.service';
import { UnitOfWork } from '../database/unit-of-work';
import { HomesService } from '../homes/homes.service';
import { INBOX_ROLES, NotificationsService } from '../notifications/notifications.service';
import { ResidentBrief, ResidentsService } from '../residents/residents.service';
import { AuthorType, SUGGESTION_KINDS, SUGGESTION_STATUSES, SuggestionKind, SuggestionStatus } from './voice.enums';
import { Suggestion } from './entities/suggestion.entity';
import { recordSuggestionHistory } from './suggestion-history';
import { assertId, AuthorColumns, isUuid, lockRow, text, VoiceAccess } from './voice-access';
import { AuthorView, VoiceViews } from './voice-views';

export interface SuggestionInput {
  /** The resident it is about; null or absent for the whole home (activity ideas only). */
  residentId?: string | null;
  kind: SuggestionKind;
  title: string;
  body: string;
}

/** A resident's own suggestion: about themselves, or (an activity idea) for the whole home. */
export interface ResidentSuggestionInput {
  kind: SuggestionKind;
  title: string;
  body: string;
  wholeHome?: boolean;
}

export interface SuggestionResponseInput {
  status: 'accepted' | 'declined' | 'done' | 'new';
  response?: string;
  linkedActivityTypeId?: string;
  linkedActivityId?: string;
}

export interface InboxFilter {
  /** Default `new`; `all` lists every status. */
  status?: SuggestionStatus | 'all';
  kind?: SuggestionKind;
}

export interface SuggestionView {
  id: string;
  homeId: string;
  kind: SuggestionKind;
  title: string;
  body: string;
  status: SuggestionStatus;
  /** Null for the whole home. */
  residentId: string | null;
  residentName: string | null;
  author: AuthorView;
  createdAt: Date;
  response: string | null;
  respondedAt: Date | null;
  respondedByName: string | null;
  linkedActivityTypeId: string | null;
  linkedActivityTypeName: string | null;
  linkedActivityId: string | null;
  linkedActivityTitle: string | null;
  /** The linked activity's local date and time in the home's zone. */
  linkedActivityDate: string | null;
  linkedActivityTime: string | null;
  lifeStoryAppliedAt: Date | null;
  /** An accepted life-story addition staff have not yet added to "About me". */
  awaitingLifeStoryApproval: boolean;
}

const INBOX_LIMIT = 100;
const TITLE_MAX = 160;
const BODY_MAX = 4000;
const RESPONSE_MAX = 2000;
/** "About me" holds at most this much (the resident form's limit). */
const ABOUT_ME_MAX = 5000;
const AUDITED = ['kind', 'title', 'residentId', 'authorType', 'status', 'response', 'linkedActivityTypeId', 'linkedActivityId'] as const;

/**
 * Suggestions from relatives, volunteers, staff and residents (SPEC 3): an activity idea, a change to a
 * plan, or an addition to a life story; answered in the coordinators' inbox. An accepted activity idea
 * is its author's co_commissioning contribution; an accepted life-story addition reaches "About me"
 * only when staff approve it.
 */
@Injectable()
export class SuggestionsService {
  constructor(
    @InjectRepository(Suggestion) private readonly suggestions: Repository<Suggestion>,
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditService,
    private readonly access: VoiceAccess,
    private readonly contributions: ContributionsService,
    private readonly notifications: NotificationsService,
    private readonly residents: ResidentsService,
    private readonly names: VoiceViews,
    private readonly activities: ActivitiesService,
    private readonly homes: HomesService,
    private readonly auth: AuthService,
  ) {}

  /** A relative, volunteer or member of staff suggests something in their own name. */
  async submit(user: SessionUser, input: SuggestionInput): Promise<SuggestionView> {
    const author = this.access.authorOf(user);
    const fields = checkSuggestion(input);
    return this.unitOfWork.transaction(async (m) => {
      const about = input.residentId === undefined || input.residentId === null || input.residentId === ''
        ? null
        : await this.access.residentToContributeAbout(m, user, input.residentId);
      if (!about && fields.kind !== 'activity_idea') throw new ValidationError({ residentId: { key: 'voice.residentRequired' } });
      const homeId = about?.homeId ?? (await this.access.homeOfSpeaker(m, user));
      return this.create(m, user, homeId, about, author, fields);
    });
  }

  /** Staff write down a resident's own suggestion, in the resident's name. */
  async submitForResident(staffUser: SessionUser, residentId: string, input: ResidentSuggestionInput): Promise<SuggestionView> {
    const fields = checkSuggestion(input);
    return this.unitOfWork.transaction(async (m) => {
      const resident = await this.access.residentForStaff(m, staffUser, residentId);
      const about = input.wholeHome === true && fields.kind === 'activity_idea' ? null : resident;
      return this.create(m, staffUser, resident.homeId, about, this.access.residentAuthor(staffUser, resident.id), fields);
    });
  }

  /** What this user has suggested in their own name, newest first, with the answers. */
  async listMine(user: SessionUser): Promise<SuggestionView[]> {
    const m = this.unitOfWork.manager;
    if (user.homeIds.length === 0) return [];
    const qb = m.createQueryBuilder(Suggestion, 's').where('s.homeId IN (:...homeIds)', { homeIds: user.homeIds }).orderBy('s.createdAt', 'DESC').take(INBOX_LIMIT);
    const author = this.access.authorOf(user);
    if (author.authorType === 'family') qb.andWhere('s.authorType = :type AND s.authorFamilyMemberId = :id', { type: 'family', id: author.authorFamilyMemberId });
    else if (author.authorType === 'volunteer') qb.andWhere('s.authorType = :type AND s.authorVolunteerId = :id', { type: 'volunteer', id: author.authorVolunteerId });
    else if (author.authorStaffMemberId) qb.andWhere('s.authorType = :type AND s.authorStaffMemberId = :id', { type: 'staff', id: author.authorStaffMemberId });
    else qb.andWhere('s.authorType = :type AND s.recordedBy = :id', { type: 'staff', id: user.id });
    let rows = await qb.getMany();
    if (user.role === 'family') {
      // Withdrawn consent or an ended link hides what was said about that resident, at once.
      const visible = new Set(await this.access.visibleResidentIds(m, user));
      rows = rows.filter((s) => s.residentId === null || visible.has(s.residentId));
    }
    return this.views(m, rows);
  }

  /** Suggestions by or about a resident (their own words and what others proposed for them), for staff. */
  async listForResident(user: SessionUser, residentId: string): Promise<SuggestionView[]> {
    const m = this.unitOfWork.manager;
    const resident = await this.access.residentForStaff(m, user, residentId, false);
    const rows = await this.suggestions
      .createQueryBuilder('s')
      .where('s.homeId = :homeId AND (s.residentId = :id OR s.authorResidentId = :id)', { homeId: resident.homeId, id: resident.id })
      .orderBy('s.createdAt', 'DESC')
      .take(INBOX_LIMIT)
      .getMany();
    return this.views(m, rows);
  }

  /** The coordinators' inbox: suggestions of the user's homes, by status (new by default), newest first. */
  async inbox(user: SessionUser, filter: InboxFilter = {}): Promise<SuggestionView[]> {
    if (!can(user, 'answerSuggestions')) throw new NotFoundError();
    if (user.homeIds.length === 0) return [];
    const status = filter.status ?? 'new';
    if (status !== 'all' && !SUGGESTION_STATUSES.includes(status)) throw new ValidationError({ status: { key: 'validation.isIn' } });
    if (filter.kind !== undefined && !SUGGESTION_KINDS.includes(filter.kind)) throw new ValidationError({ kind: { key: 'validation.isIn' } });
    const qb = this.suggestions.createQueryBuilder('s').where('s.homeId IN (:...homeIds)', { homeIds: user.homeIds }).orderBy('s.createdAt', 'DESC').take(INBOX_LIMIT);
    if (status !== 'all') qb.andWhere('s.status = :status', { status });
    if (filter.kind) qb.andWhere('s.kind = :kind', { kind: filter.kind });
    return this.views(this.unitOfWork.manager, await qb.getMany());
  }

  /** Accepted life-story additions still waiting for staff to add them to "About me". */
  async awaitingLifeStoryApproval(user: SessionUser): Promise<SuggestionView[]> {
    if (!can(user, 'answerSuggestions')) throw new NotFoundError();
    if (user.homeIds.length === 0) return [];
    const rows = await this.suggestions
      .createQueryBuilder('s')
      .where('s.homeId IN (:...homeIds) AND s.kind = :kind AND s.status = :accepted AND s.lifeStoryAppliedAt IS NULL', {
        homeIds: user.homeIds, kind: 'life_story', accepted: 'accepted',
      })
      .orderBy('s.respondedAt', 'ASC')
      .getMany();
    return this.views(this.unitOfWork.manager, rows);
  }

  /** How many suggestions wait for an answer in the user's homes (for a dashboard or a badge). */
  async countNew(user: SessionUser): Promise<number> {
    if (!can(user, 'answerSuggestions') || user.homeIds.length === 0) return 0;
    return this.suggestions.countBy({ homeId: In(user.homeIds), status: 'new' });
  }

  /** One suggestion of the user's homes, for the inbox. */
  async get(user: SessionUser, id: string): Promise<SuggestionView> {
    if (!can(user, 'answerSuggestions')) throw new NotFoundError();
    const m = this.unitOfWork.manager;
    return (await this.views(m, [await this.find(m, user, id)]))[0];
  }

  /**
   * Answers a suggestion: accept, decline (with a reason), mark done, or reopen. An activity idea may
   * be linked to the activity type or activity it became. Accepting an idea makes its author's
   * co_commissioning contribution (once); declining or reopening removes it.
   */
  async respond(user: SessionUser, id: string, input: SuggestionResponseInput): Promise<SuggestionView> {
    if (!can(user, 'answerSuggestions')) throw new NotFoundError();
    const status = input.status;
    if (!(['accepted', 'declined', 'done', 'new'] as unknown[]).includes(status)) throw new ValidationError({ status: { key: 'validation.isIn' } });
    const response = text(input.response, 'response', RESPONSE_MAX, false);
    if (status === 'declined' && !response) throw new ValidationError({ response: { key: 'voice.reasonRequired' } });
    const typeId = blank(input.linkedActivityTypeId) ? null : input.linkedActivityTypeId!;
    const activityId = blank(input.linkedActivityId) ? null : input.linkedActivityId!;
    if (typeId !== null) assertId(typeId, 'linkedActivityTypeId');
    if (activityId !== null) assertId(activityId, 'linkedActivityId');

    return this.unitOfWork.transaction(async (m) => {
      const suggestion = await this.find(m, user, id, true);
      if (suggestion.lifeStoryAppliedAt && (status === 'new' || status === 'declined')) {
        throw new ValidationError({ status: { key: 'voice.lifeStoryAlreadyApplied' } });
      }
      if ((typeId || activityId) && suggestion.kind !== 'activity_idea') throw new ValidationError({ linkedActivityTypeId: { key: 'voice.linkIdeasOnly' } });
      let linkedActivityTypeId = typeId;
      if (activityId) {
        const [activity] = await this.activities.briefsByIds([activityId.toLowerCase()], m);
        if (!activity || activity.homeId !== suggestion.homeId || activity.status === 'cancelled') throw new ValidationError({ linkedActivityId: { key: 'validation.isIn' } });
        // The activity says what type the idea became, unless another type was chosen.
        linkedActivityTypeId ??= activity.activityTypeId;
      }
      if (linkedActivityTypeId && (await this.activities.typeBriefsByIds([linkedActivityTypeId.toLowerCase()], m))[0]?.homeId !== suggestion.homeId) {
        throw new ValidationError({ linkedActivityTypeId: { key: 'validation.isIn' } });
      }
      const reopened = status === 'new';
      const open = reopened || status === 'declined';
      // Going from accepted to done keeps the answer already given; any other change starts a new one.
      const stillYes = (suggestion.status === 'accepted' || suggestion.status === 'done') && !open;
      const now = new Date();
      const next = {
        status,
        response: response ?? (stillYes ? suggestion.response : null),
        respondedBy: reopened ? null : user.id,
        // The first answer is when it was answered (the report's days to answer); reopening starts over.
        respondedAt: reopened ? null : (suggestion.respondedAt ?? now),
        linkedActivityTypeId: open ? null : (linkedActivityTypeId?.toLowerCase() ?? (stillYes ? suggestion.linkedActivityTypeId : null)),
        linkedActivityId: open ? null : (activityId?.toLowerCase() ?? (stillYes ? suggestion.linkedActivityId : null)),
      };
      const changes = diffFields(suggestion, next, ['status', 'response', 'linkedActivityTypeId', 'linkedActivityId']);
      const answerChanged = next.status !== suggestion.status || next.respondedAt?.getTime() !== suggestion.respondedAt?.getTime();
      if (Object.keys(changes).length > 0) {
        await m.update(Suggestion, { id: suggestion.id }, next);
        // The report takes answers as they stood at a quarter's end (issue 18 item 2b).
        if (answerChanged) await recordSuggestionHistory(m, { ...suggestion, ...next }, now);
        await this.audit.record(m, { action: 'update', userId: user.id, role: user.role, entityType: 'suggestion', entityId: suggestion.id, homeId: suggestion.homeId, changes });
      }
      const wasAnswered = suggestion.status !== status || changes.response !== undefined;
      const updated = Object.assign(suggestion, next);
      await this.syncContribution(m, updated, user.id);
      if (wasAnswered) await this.notifyAuthor(m, updated, user.id);
      // Answered: the inbox's news of it is read for every coordinator and manager (one answers for all).
      if (status !== 'new') await this.notifications.markReadAbout(m, { kind: 'suggestion', link: inboxLink(suggestion.id) });
      return (await this.views(m, [updated]))[0];
    });
  }

  /** Staff approve an accepted life-story addition: it is added to the resident's "About me". */
  async approveLifeStory(user: SessionUser, id: string): Promise<SuggestionView> {
    if (!can(user, 'answerSuggestions')) throw new NotFoundError();
    return this.unitOfWork.transaction(async (m) => {
      const suggestion = await this.find(m, user, id, true);
      if (suggestion.kind !== 'life_story' || !suggestion.residentId) throw new ValidationError({}, { key: 'voice.notLifeStory' });
      if (suggestion.lifeStoryAppliedAt) throw new ValidationError({}, { key: 'voice.lifeStoryAlreadyApplied' });
      if (suggestion.status !== 'accepted') throw new ValidationError({}, { key: 'voice.lifeStoryNotAccepted' });
      const aboutMe = await this.residents.aboutMeOf(m, suggestion.residentId);
      if ((aboutMe?.trim().length ?? 0) + suggestion.body.length + 2 > ABOUT_ME_MAX) {
        throw new ValidationError({}, { key: 'voice.aboutMeFull', params: { n: ABOUT_ME_MAX } });
      }
      await this.residents.appendToAboutMe(m, user, suggestion.residentId, suggestion.body);
      const appliedAt = new Date();
      await m.update(Suggestion, { id: suggestion.id }, { lifeStoryAppliedAt: appliedAt });
      await this.audit.record(m, {
        action: 'update', userId: user.id, role: user.role, entityType: 'suggestion', entityId: suggestion.id, homeId: suggestion.homeId,
        changes: { lifeStoryAppliedAt: { old: null, new: appliedAt } },
      });
      suggestion.lifeStoryAppliedAt = appliedAt;
      await this.notifications.notify(m, {
        userIds: await this.authorUsers(m, suggestion), homeId: suggestion.homeId, kind: 'suggestion',
        messageKey: 'notifications.messages.lifeStoryApplied', params: { title: suggestion.title }, link: authorLink(suggestion), exceptUserIds: [user.id],
      });
      return (await this.views(m, [suggestion]))[0];
    });
  }

  // Helpers ----------------------------------------------------------------------------------

  private async create(
    m: EntityManager, user: SessionUser, homeId: string, about: ResidentBrief | null, author: AuthorColumns, fields: ReturnType<typeof checkSuggestion>,
  ): Promise<SuggestionView> {
    const suggestion = m.create(Suggestion, {
      ...author, homeId, residentId: about?.id ?? null, kind: fields.kind, title: fields.title, body: fields.body, status: 'new',
      response: null, respondedBy: null, respondedAt: null, linkedActivityTypeId: null, linkedActivityId: null, lifeStoryAppliedAt: null,
    });
    await m.insert(Suggestion, suggestion);
    await recordSuggestionHistory(m, suggestion, suggestion.createdAt ?? new Date());
    await this.audit.record(m, {
      action: 'create', userId: user.id, role: user.role, entityType: 'suggestion', entityId: suggestion.id, homeId, changes: diffFields({}, suggestion, AUDITED),
    });
    const view = (await this.views(m, [suggestion]))[0];
    await this.notifications.notify(m, {
      toRoles: INBOX_ROLES, homeId, kind: 'suggestion', messageKey: `notifications.messages.newSuggestion.${fields.kind}`,
      params: { name: view.author.name, title: fields.title }, link: inboxLink(suggestion.id), exceptUserIds: [user.id],
    });
    return view;
  }

  private async find(m: EntityManager, user: SessionUser, id: string, lock = false): Promise<Suggestion> {
    if (!isUuid(id)) throw new NotFoundError();
    // Two coordinators answering at once take turns, so a contribution is made or removed once.
    if (lock) await lockRow(m, 'suggestion', id.toLowerCase());
    const suggestion = await m.findOneBy(Suggestion, { id: id.toLowerCase() });
    if (!suggestion || !user.homeIds.includes(suggestion.homeId)) throw new NotFoundError();
    return suggestion;
  }

  /** The co_commissioning contribution of an accepted (or realised) suggestion (SPEC 2), dated the day it was accepted. */
  private async syncContribution(m: EntityManager, suggestion: Suggestion, recordedBy: string): Promise<void> {
    const counts = suggestion.status === 'accepted' || suggestion.status === 'done';
    const person = authorPerson(suggestion);
    const existing = await this.contributions.bySource(m, 'suggestion', suggestion.id);
    if (!counts || !person) {
      if (existing) await this.contributions.removeBySource(m, 'suggestion', suggestion.id);
      return;
    }
    if (existing && existing.activityId === suggestion.linkedActivityId) return;
    // A new link moves the contribution to that activity; it keeps the day the idea was accepted.
    if (existing) await this.contributions.removeBySource(m, 'suggestion', suggestion.id);
    // Without an earlier contribution, the idea is being accepted now: today in the home's zone.
    const date = existing?.date ?? todayIn((await this.homes.timezones([suggestion.homeId], m)).get(suggestion.homeId) ?? 'Europe/Rome');
    await this.contributions.syncFromSource(
      m, 'suggestion', suggestion.id, { homeId: suggestion.homeId, activityId: suggestion.linkedActivityId, date, recordedBy },
      [{ actorType: person.actorType, personId: person.personId, phase: 'co_commissioning', minutes: 0, description: suggestion.title.slice(0, 1000) }],
    );
  }

  /** The author hears the answer: a relative or volunteer through their account; a resident through the member of staff who wrote it down. */
  private async notifyAuthor(m: EntityManager, suggestion: Suggestion, byUserId: string): Promise<void> {
    if (suggestion.status === 'new') return;
    await this.notifications.notify(m, {
      userIds: await this.authorUsers(m, suggestion), homeId: suggestion.homeId, kind: 'suggestion',
      messageKey: `notifications.messages.suggestion.${suggestion.status}`,
      params: { title: suggestion.title, response: suggestion.response ?? '' }, link: authorLink(suggestion), exceptUserIds: [byUserId],
    });
  }

  private async authorUsers(m: EntityManager, suggestion: Suggestion): Promise<string[]> {
    switch (suggestion.authorType) {
      case 'family': return this.auth.enabledIdsOfPerson(m, 'family', suggestion.authorFamilyMemberId);
      case 'volunteer': return this.auth.enabledIdsOfPerson(m, 'volunteer', suggestion.authorVolunteerId);
      case 'staff': return suggestion.authorStaffMemberId ? this.auth.enabledIdsOfPerson(m, 'staff', suggestion.authorStaffMemberId) : suggestion.recordedBy ? [suggestion.recordedBy] : [];
      case 'resident': return suggestion.recordedBy ? [suggestion.recordedBy] : [];
    }
  }

  private async views(m: EntityManager, rows: Suggestion[]): Promise<SuggestionView[]> {
    if (rows.length === 0) return [];
    const authorOf = await this.names.authorViews(m, rows);
    const residents = await this.names.residentNames(m, rows.map((s) => s.residentId));
    const typeIds = rows.map((s) => s.linkedActivityTypeId).filter((v): v is string => v !== null);
    const activityIds = rows.map((s) => s.linkedActivityId).filter((v): v is string => v !== null);
    // One after another: inside a transaction the queries share one connection.
    const types = await this.activities.typeBriefsByIds(typeIds, m);
    const activities = await this.activities.briefsByIds(activityIds, m);
    const zone = await this.homes.timezones(rows.map((s) => s.homeId), m);
    const responders = await this.names.userNames(m, rows.map((s) => s.respondedBy));
    const typeName = new Map(types.map((t) => [t.id, t.name]));
    const activityById = new Map(activities.map((a) => [a.id, a]));
    return rows.map((s) => {
      const activity = s.linkedActivityId ? activityById.get(s.linkedActivityId) : undefined;
      const local = activity ? utcToLocal(activity.startsAt, zone.get(s.homeId) ?? 'Europe/Rome') : null;
      return {
        id: s.id, homeId: s.homeId, kind: s.kind, title: s.title, body: s.body, status: s.status, residentId: s.residentId,
        residentName: s.residentId ? (residents.get(s.residentId) ?? null) : null, author: authorOf(s), createdAt: s.createdAt,
        response: s.response, respondedAt: s.respondedAt, respondedByName: s.respondedBy ? (responders.get(s.respondedBy) ?? null) : null,
        linkedActivityTypeId: s.linkedActivityTypeId, linkedActivityTypeName: s.linkedActivityTypeId ? (typeName.get(s.linkedActivityTypeId) ?? null) : null,
        linkedActivityId: s.linkedActivityId, linkedActivityTitle: activity?.title ?? null, linkedActivityDate: local?.date ?? null,
        linkedActivityTime: local?.time ?? null, lifeStoryAppliedAt: s.lifeStoryAppliedAt,
        awaitingLifeStoryApproval: s.kind === 'life_story' && s.status === 'accepted' && s.lifeStoryAppliedAt === null,
      };
    });
  }
}

/** Kind, title and body as the service takes them: bad input names its field. */
function checkSuggestion(input: { kind: unknown; title: unknown; body: unknown }) {
  if (!SUGGESTION_KINDS.includes(input.kind as SuggestionKind)) throw new ValidationError({ kind: { key: 'validation.isIn' } });
  return {
    kind: input.kind as SuggestionKind,
    title: text(input.title, 'title', TITLE_MAX, true)!,
    body: text(input.body, 'body', BODY_MAX, true)!,
  };
}

/** Where the author reads the answer: their portal, or (a resident's own words) the resident's voice page for staff. */
function authorLink(s: Suggestion): string | null {
  switch (s.authorType) {
    case 'family': return s.residentId ? `/portal/residents/${s.residentId}#my-suggestions` : '/portal#my-suggestions';
    case 'volunteer': return '/volunteer';
    case 'resident': return `/residents/${s.authorResidentId}/voice#suggestions`;
    case 'staff': return null;
  }
}

function blank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** A suggestion in the coordinators' inbox (its list item's anchor): the link of the news of it. */
export function inboxLink(suggestionId: string): string {
  return `/inbox#s-${suggestionId}`;
}

/** The person a suggestion's contribution belongs to; staff without a staff record have none. */
function authorPerson(s: Suggestion): { actorType: AuthorType; personId: string } | null {
  const personId = { resident: s.authorResidentId, family: s.authorFamilyMemberId, volunteer: s.authorVolunteerId, staff: s.authorStaffMemberId }[s.authorType];
  return personId ? { actorType: s.authorType, personId } : null;
}
