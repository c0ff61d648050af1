import { Injectable } from '@nestjs/common';
import { Brackets, EntityManager, EntityTarget, In, Not, ObjectLiteral } from 'typeorm';
import { Activity } from '../activities/entities/activity.entity';
import { HelpOffer } from '../activities/entities/help-offer.entity';
import { Participation } from '../activities/entities/participation.entity';
import { AuditService } from '../audit/audit.service';
import { findInHomes } from '../common/access/home-scope';
import type { SessionUser } from '../common/access/session-user';
import { ConflictError, FieldErrors, NotFoundError, ValidationError } from '../common/errors/domain-errors';
import { translate } from '../common/i18n/i18n';
import { IdempotencyKey } from '../common/idempotency/idempotency-key.entity';
import { Contribution } from '../contributions/entities/contribution.entity';
import { UnitOfWork } from '../database/unit-of-work';
import { likeEscaped } from '../database/sql';
import { FamilyMember } from '../families/entities/family-member.entity';
import { Home } from '../homes/entities/home.entity';
import { MailService } from '../mail/mail.service';
import { Message } from '../messages/entities/message.entity';
import { MessageRead } from '../messages/entities/message-read.entity';
import { MessageThread } from '../messages/entities/message-thread.entity';
import { Notification } from '../notifications/entities/notification.entity';
import { ActivityPlan } from '../plans/entities/activity-plan.entity';
import { PlanGoal } from '../plans/entities/plan-goal.entity';
import { PlanReview } from '../plans/entities/plan-review.entity';
import { FamilyLink } from '../residents/entities/family-link.entity';
import { Resident } from '../residents/entities/resident.entity';
import { PhotosService } from '../photos/photos.service';
import { redactIssuedReports } from '../reports/issued-reports.service';
import { ResidentPhotos } from '../residents/resident-photos';
import { Feedback } from '../voice/entities/feedback.entity';
import { Suggestion } from '../voice/entities/suggestion.entity';
import { WellbeingCheckIn } from '../voice/entities/wellbeing-check-in.entity';
import { can } from '../common/access/access-policy';
import { ErasureDto } from './dto/erasure.dto';
import { RetentionHold } from './entities/retention-hold.entity';

/** What replaces erased free text that may not be empty (a goal, a suggestion's title and text). */
export const ERASED_TEXT = '—';
/** A relative named by a record of an erased resident (a plan review's participants): there, but not who. The nil UUID, which names no one and is a valid id to look up. */
export const ERASED_PERSON = '00000000-0000-0000-0000-000000000000';

/**
 * "Erased resident 7F3A" ("Ospite cancellato 7F3A" in a home that works in Italian): stored as the
 * name, so every list and report shows it; the id's first characters tell two erased residents apart
 * and identify nobody.
 */
export function placeholderName(residentId: string, homeLocale: string): { firstName: string; lastName: string } {
  return { firstName: translate(homeLocale, 'dataProtection.placeholderName'), lastName: residentId.replace(/-/g, '').slice(0, 4).toUpperCase() };
}

export interface ErasurePreview {
  residentId: string;
  homeId: string;
  fullName: string;
  status: string;
  leftOn: string | null;
  erasedAt: Date | null;
  /** Only residents who have left (discharged or deceased) can be erased. */
  canErase: boolean;
  placeholder: string;
  /** Relatives linked to no other resident: their own records and accounts stay; archive them separately if right. */
  relativesOnlyHere: { id: string; name: string }[];
}

export interface ErasureResult {
  placeholder: string;
  counts: Record<string, number>;
  relativesOnlyHere: { id: string; name: string }[];
}

/**
 * Erasure by anonymisation (GDPR Art. 17). The resident's row and the rows that carry figures
 * (participation, contributions, plans and goal scores, check-in scores, feedback ratings) stay, so
 * past quarterly reports keep their figures; what identifies the resident or describes them in words
 * is removed: names, date of birth, room, photo, life story and care notes, the notes and texts of
 * their participation, plans, reviews, suggestions, feedback and check-ins, their family links, and
 * their message thread (deleted with its messages).
 *
 * It writes other modules' tables through one transaction's EntityManager, on purpose: an erasure
 * must happen entirely or not at all, and each of those modules would otherwise need an
 * "anonymise" method used by nothing else.
 *
 * Earlier audit entries are not rewritten: the hash chain makes the log tamper-evident, and entries
 * kept for accountability (Art. 17(3)(b), (e)) may still hold earlier values (docs/data-protection.md).
 */
@Injectable()
export class ErasureService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditService,
    private readonly photos: ResidentPhotos,
    private readonly mail: MailService,
    private readonly activityPhotos: PhotosService,
  ) {}

  async preview(user: SessionUser, residentId: string): Promise<ErasurePreview> {
    const m = this.unitOfWork.manager;
    const r = await this.findResident(m, user, residentId);
    return {
      residentId: r.id, homeId: r.homeId, fullName: `${r.firstName} ${r.lastName}`, status: r.status, leftOn: r.leftOn, erasedAt: r.erasedAt,
      canErase: r.erasedAt === null && hasLeft(r), placeholder: fullName(await this.placeholderFor(m, r)), relativesOnlyHere: await this.relativesOnlyHere(m, r),
    };
  }

  async erase(user: SessionUser, residentId: string, input: ErasureDto, now = new Date()): Promise<ErasureResult> {
    const { result, photoFile, deletedPhotos } = await this.unitOfWork.transaction(async (m) => {
      const r = await this.findResident(m, user, residentId);
      if (r.erasedAt) throw new ConflictError({ key: 'dataProtection.erase.alreadyErased' });
      if (!hasLeft(r)) throw new ValidationError({}, { key: 'dataProtection.erase.stillCurrent' });
      const fields: FieldErrors = {};
      if (mentionsResident(input.reason, r)) fields.reason = { key: 'dataProtection.erase.reasonNamesResident' };
      if (input.confirm !== true) fields.confirm = { key: 'dataProtection.erase.confirmRequired' };
      if (Object.keys(fields).length > 0) throw new ValidationError(fields);

      const relativesOnlyHere = await this.relativesOnlyHere(m, r);
      const placeholder = await this.placeholderFor(m, r);
      const counts = await this.anonymiseRecords(m, r, fullName(placeholder));
      // Activity photos: deleted where the resident is the only one tagged, untagged elsewhere (each audited by the photos module).
      const photoOutcome = await this.activityPhotos.eraseResident(m, user, r.id);
      counts.photosDeleted = photoOutcome.deleted.length;
      counts.photosUntagged = photoOutcome.untagged;
      await m.update(Resident, { id: r.id }, {
        ...placeholder, preferredName: null, dateOfBirth: null, room: null, aboutMe: null, interests: [], dislikes: null, communicationTips: null,
        mobilityNotes: null, photoFile: null, consentPhotos: false, consentFamilyPortal: 'none', consentVolunteerProfile: false,
        consentBestInterestNote: null, erasedAt: now,
      });
      // Issued quarterly reports: the copy with names names them no more (its PDF printed again, each version audited).
      const issued = await redactIssuedReports(m, r.homeId, r.id, nameVariants(r), fullName(placeholder));
      counts.issuedReports = issued.length;
      for (const version of issued) {
        await this.audit.record(m, {
          action: 'update', userId: user.id, role: user.role, entityType: 'issued_report', entityId: version.id, homeId: r.homeId,
          changes: {
            redactedFor: { old: null, new: 'erasure' },
            modelSha256: { old: version.before.modelSha256, new: version.after.modelSha256 },
            // The PDF prints only some names (those needing attention): often it comes out the same.
            ...(version.after.pdfSha256 !== version.before.pdfSha256 ? { pdfSha256: { old: version.before.pdfSha256, new: version.after.pdfSha256 } } : {}),
          },
        });
      }
      // A decision to keep the record past its retention period goes with it (its reason may name them).
      await m.delete(RetentionHold, { subjectType: 'resident', subjectId: r.id });
      // Only the fact, the reason (checked not to name the resident) and how many records changed: never the erased values.
      await this.audit.record(m, {
        action: 'erase', userId: user.id, role: user.role, entityType: 'resident', entityId: r.id, homeId: r.homeId,
        changes: { identity: { old: null, new: 'erased' }, reason: { old: null, new: input.reason }, records: { old: null, new: counts } },
      });
      return { result: { placeholder: fullName(placeholder), counts, relativesOnlyHere }, photoFile: r.photoFile, deletedPhotos: photoOutcome.deleted };
    });
    // The files go once the erasure is committed; a failed erasure leaves the photos where they were.
    this.photos.remove(photoFile);
    this.activityPhotos.removeFiles(deletedPhotos);
    return result;
  }

  private async placeholderFor(m: EntityManager, r: Resident): Promise<{ firstName: string; lastName: string }> {
    const home = await m.findOneByOrFail(Home, { id: r.homeId });
    return placeholderName(r.id, home.locale);
  }

  /** Anyone but a manager or admin of the resident's home is told it is not found. */
  private async findResident(m: EntityManager, user: SessionUser, residentId: string): Promise<Resident> {
    if (!can(user, 'handleDataProtection')) throw new NotFoundError();
    return findInHomes(m, Resident, user, residentId);
  }

  /** The free text of every record about the resident, cleared; the rows and their numbers stay. */
  private async anonymiseRecords(m: EntityManager, r: Resident, placeholder: string): Promise<Record<string, number>> {
    const ids = async <T extends { id: string }>(rows: Promise<T[]>) => (await rows).map((row) => row.id);
    const planIds = await ids(m.find(ActivityPlan, { select: { id: true }, where: { residentId: r.id } }));
    const reviewIds = planIds.length ? await ids(m.find(PlanReview, { select: { id: true }, where: { planId: In(planIds) } })) : [];
    const checkInIds = await ids(m.find(WellbeingCheckIn, { select: { id: true }, where: { residentId: r.id } }));
    const suggestions = await m.createQueryBuilder(Suggestion, 's').select(['s.id', 's.title'])
      .where('s.homeId = :homeId', { homeId: r.homeId })
      .andWhere(new Brackets((any) => any.where('s.residentId = :id', { id: r.id }).orWhere('s.authorResidentId = :id', { id: r.id })))
      .getMany();
    const suggestionIds = suggestions.map((s) => s.id);
    const feedbackIds = await ids(m.find(Feedback, { select: { id: true }, where: { authorResidentId: r.id } }));

    const counts: Record<string, number> = {};
    const count = (name: string, affected: number | null | undefined) => (counts[name] = affected ?? 0);
    count('participation', (await m.update(Participation, { residentId: r.id }, { staffNote: null, familyNote: null })).affected);
    count('plans', planIds.length ? (await m.update(ActivityPlan, { id: In(planIds) }, { whatMattersToMe: null })).affected : 0);
    count('goals', planIds.length ? (await m.update(PlanGoal, { planId: In(planIds) }, { description: ERASED_TEXT })).affected : 0);
    count('reviews', reviewIds.length ? (await m.update(PlanReview, { id: In(reviewIds) }, { notes: null })).affected : 0);
    // Who of the family took part in a review says who the resident's relatives are, as a link does:
    // each becomes ERASED_PERSON, so the review still shows that a relative took part, not who.
    for (const review of reviewIds.length ? await m.find(PlanReview, { select: { id: true, familyMemberIds: true }, where: { id: In(reviewIds) } }) : []) {
      if (review.familyMemberIds.length > 0) await m.update(PlanReview, { id: review.id }, { familyMemberIds: review.familyMemberIds.map(() => ERASED_PERSON) });
    }
    count('suggestions', suggestionIds.length ? (await m.update(Suggestion, { id: In(suggestionIds) }, { title: ERASED_TEXT, body: ERASED_TEXT, response: null })).affected : 0);
    count('feedback', feedbackIds.length ? (await m.update(Feedback, { id: In(feedbackIds) }, { comment: null })).affected : 0);
    count('checkIns', checkInIds.length ? (await m.update(WellbeingCheckIn, { id: In(checkInIds) }, { comment: null })).affected : 0);

    // The resident's own contributions, and those made from records about them (a review of their
    // plan, a check-in about them, a suggestion about them), whose descriptions may name them.
    const contributionIds = await ids(m.createQueryBuilder(Contribution, 'c').select('c.id')
      .where(new Brackets((any) => {
        any.where('c.residentId = :residentId', { residentId: r.id });
        const sources: [string, string[]][] = [['plan_review', reviewIds], ['check_in', checkInIds], ['suggestion', suggestionIds], ['feedback', feedbackIds]];
        sources.forEach(([source, list], i) => {
          if (list.length > 0) any.orWhere(`(c.source = :source${i} AND c.sourceId IN (:...sourceIds${i}))`, { [`source${i}`]: source, [`sourceIds${i}`]: list });
        });
      }))
      .getMany());
    count('contributions', contributionIds.length ? (await m.update(Contribution, { id: In(contributionIds) }, { description: null })).affected : 0);

    // The thread between the home and the relatives is about the resident in words, and carries no
    // figure: it goes whole, its messages and read marks with it (only their number reaches the audit).
    const threadIds = await ids(m.find(MessageThread, { select: { id: true }, where: { residentId: r.id } }));
    if (threadIds.length) {
      count('messages', (await m.delete(Message, { threadId: In(threadIds) })).affected);
      await m.delete(MessageRead, { threadId: In(threadIds) });
      await m.delete(MessageThread, { id: In(threadIds) });
    } else count('messages', 0);
    // A link says who the resident's relatives are: it goes. The relatives' own records stay.
    count('familyLinks', (await m.delete(FamilyLink, { residentId: r.id })).affected);
    count('notifications', await this.anonymiseNotifications(m, r, placeholder, suggestions.map((s) => s.title)));
    count('mentionsElsewhere', await this.replaceMentions(m, r, placeholder));
    // Mails of the home that name the resident (a digest, a message), sent or waiting: the outbox's owner scrubs them.
    count('mails', await this.mail.scrubMentions(m, r.homeId, nameVariants(r), placeholder));
    // Stored answers to replayed API writes (a participation log) hold the notes just cleared.
    const replies = await ids(m.createQueryBuilder(IdempotencyKey, 'k').select('k.id').where('k.responseBody LIKE :id', { id: `%${r.id}%` }).getMany());
    count('storedReplies', replies.length ? (await m.delete(IdempotencyKey, { id: In(replies) })).affected : 0);
    return counts;
  }

  /**
   * In-app messages quote names and titles ("Maria Rossi suggested …"): the resident's names become
   * the placeholder and the titles of suggestions by or about them become a dash.
   */
  private async anonymiseNotifications(m: EntityManager, r: Resident, placeholder: string, titles: string[]): Promise<number> {
    const names = nameVariants(r);
    const needles = [...names, ...titles.filter((title) => title !== ERASED_TEXT)];
    if (needles.length === 0) return 0;
    const qb = m.createQueryBuilder(Notification, 'n').where('n.homeId = :homeId', { homeId: r.homeId })
      .andWhere(new Brackets((any) => needles.forEach((needle, i) => any.orWhere(`n.params LIKE :needle${i} ESCAPE '\\'`, { [`needle${i}`]: `%${likeEscaped(needle)}%` }))));
    let changed = 0;
    for (const n of await qb.getMany()) {
      const params = Object.fromEntries(Object.entries(n.params).map(([key, value]) => {
        if (typeof value !== 'string') return [key, value];
        if (titles.includes(value)) return [key, ERASED_TEXT];
        return [key, names.reduce((text, name) => text.split(name).join(placeholder), value)];
      }));
      if (JSON.stringify(params) === JSON.stringify(n.params)) continue;
      await m.update(Notification, { id: n.id }, { params });
      changed += 1;
    }
    return changed;
  }

  /**
   * The resident's full name written in the home's other free text (an activity called "Carla Conti's
   * 90th birthday", another resident's "About me", a relative's help-offer message) becomes the
   * placeholder. Only the full name is matched: a first name alone is too common to replace blindly.
   */
  private async replaceMentions(m: EntityManager, r: Resident, placeholder: string): Promise<number> {
    const names = nameVariants(r);
    let changed = 0;
    for (const [entity, columns] of MENTION_COLUMNS) {
      const meta = m.connection.getMetadata(entity);
      const qb = m.createQueryBuilder(entity, 'x').where('x.homeId = :homeId AND x.id <> :self', { homeId: r.homeId, self: r.id })
        .andWhere(new Brackets((any) => columns.forEach((column, c) => names.forEach((name, n) => {
          any.orWhere(`x.${column} LIKE :name${c}_${n} ESCAPE '\\'`, { [`name${c}_${n}`]: `%${likeEscaped(name)}%` });
        }))));
      for (const row of (await qb.getMany()) as Record<string, unknown>[]) {
        const next: Record<string, string> = {};
        for (const column of columns) {
          const value = row[column];
          if (typeof value !== 'string') continue;
          const replaced = names.reduce((text, name) => text.split(name).join(placeholder), value);
          const length = Number(meta.findColumnWithPropertyName(column)?.length) || Infinity;
          if (replaced !== value) next[column] = replaced.slice(0, length);
        }
        if (Object.keys(next).length === 0) continue;
        await m.update(entity, { id: row.id as string }, next);
        changed += 1;
      }
    }
    return changed;
  }

  /** Relatives linked to this resident and to no one else in the home. */
  private async relativesOnlyHere(m: EntityManager, r: Resident): Promise<{ id: string; name: string }[]> {
    const linked = (await m.find(FamilyLink, { select: { familyMemberId: true }, where: { residentId: r.id } })).map((l) => l.familyMemberId);
    if (linked.length === 0) return [];
    const elsewhere = new Set((await m.find(FamilyLink, { select: { familyMemberId: true }, where: { familyMemberId: In(linked), residentId: Not(r.id) } })).map((l) => l.familyMemberId));
    const only = linked.filter((id) => !elsewhere.has(id));
    if (only.length === 0) return [];
    return (await m.find(FamilyMember, { where: { id: In(only) }, order: { lastName: 'ASC', firstName: 'ASC' } })).map((f) => ({ id: f.id, name: `${f.firstName} ${f.lastName}` }));
  }
}

/** Free text of the home that may name a resident in passing; the resident's own records are cleared before. */
const MENTION_COLUMNS: [EntityTarget<ObjectLiteral>, string[]][] = [
  [Activity, ['title', 'description', 'cancelReason']],
  [Resident, ['aboutMe', 'dislikes', 'communicationTips', 'mobilityNotes', 'consentBestInterestNote']],
  [Participation, ['staffNote', 'familyNote']],
  [Contribution, ['description']],
  [ActivityPlan, ['whatMattersToMe']],
  [PlanGoal, ['description']],
  [PlanReview, ['notes']],
  [Suggestion, ['title', 'body', 'response']],
  [Feedback, ['comment']],
  [WellbeingCheckIn, ['comment']],
  [HelpOffer, ['message']],
  [Message, ['body']],
];

function hasLeft(r: Resident): boolean {
  return r.status === 'discharged' || r.status === 'deceased';
}

function fullName(name: { firstName: string; lastName: string }): string {
  return `${name.firstName} ${name.lastName}`;
}

/** The ways the resident's name is written in the app: full name and "preferred last" (residentDisplayName). */
function nameVariants(r: Resident): string[] {
  const variants = [`${r.firstName} ${r.lastName}`];
  if (r.preferredName?.trim()) variants.push(`${r.preferredName.trim()} ${r.lastName}`);
  return variants;
}

/** Whether a text names the resident: any of their names of three or more letters, as a word, in any case. */
export function mentionsResident(text: string, r: Pick<Resident, 'firstName' | 'lastName' | 'preferredName'>): boolean {
  return [r.firstName, r.lastName, r.preferredName ?? '']
    .flatMap((name) => name.split(/\s+/))
    .filter((part) => part.length >= 3)
    .some((part) => new RegExp(`(^|[^\\p{L}])${part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\p{L}])`, 'iu').test(text));
}

