import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { AuthService } from '../auth/auth.service';
import type { SessionUser } from '../common/access/session-user';
import { Message, NotFoundError, ValidationError } from '../common/errors/domain-errors';
import { ContributionsService } from '../contributions/contributions.service';
import { asDate } from '../database/sql';
import { UnitOfWork } from '../database/unit-of-work';
import { FamiliesService } from '../families/families.service';
import { NotificationsService } from '../notifications/notifications.service';
import { FamilyLinksService } from '../residents/family-links.service';
import type { NotAssignable } from '../volunteers/background-check';
import { VolunteersService } from '../volunteers/volunteers.service';
import { ActivitiesService } from './activities.service';
import { can } from '../common/access/access-policy';
import { HelpOfferDto, HelpOfferOnBehalfDto } from './dto/activity.dto';
import { Activity } from './entities/activity.entity';
import { HelpOffer } from './entities/help-offer.entity';
import { ActivityStatus, HelpKind, HelpOfferStatus } from './activities.enums';

export interface HelpOfferView {
  id: string;
  activityId: string;
  offererType: 'family' | 'volunteer';
  personId: string;
  personName: string;
  kind: HelpKind;
  status: HelpOfferStatus;
  message: string | null;
  /** A volunteer whose background check has expired cannot be confirmed. */
  blocked: boolean;
}

/** An offer as the one who made it sees it on their portal. */
export interface OwnOfferView {
  id: string;
  activityId: string;
  homeId: string;
  kind: HelpKind;
  status: HelpOfferStatus;
  message: string | null;
}

/** An offer read back by the one who made it ("My offers"): the activity it was for and the home's answer. */
export interface OwnOfferRecord extends OwnOfferView {
  createdAt: Date;
  activity: { title: string; startsAt: Date; status: ActivityStatus; cancelReason: string | null };
  /** When the home confirmed or declined it, and who did. */
  respondedAt: Date | null;
  respondedByName: string | null;
}

interface OwnOfferRow {
  id: string; activityId: string; homeId: string; kind: HelpKind; status: HelpOfferStatus; message: string | null; createdAt: Date | string;
  respondedAt: Date | string | null; respondedBy: string | null; title: string; startsAt: Date | string; activityStatus: ActivityStatus; cancelReason: string | null;
}

/** Offers from family members and volunteers to help deliver, or to join, an activity (SPEC 3). */
@Injectable()
export class HelpOffersService {
  constructor(
    private readonly activities: ActivitiesService,
    private readonly contributions: ContributionsService,
    private readonly volunteers: VolunteersService,
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    private readonly families: FamiliesService,
    private readonly familyLinks: FamilyLinksService,
    private readonly auth: AuthService,
  ) {}

  /** A volunteer or relative offers for themselves. */
  async offer(user: SessionUser, activityId: string, input: HelpOfferDto): Promise<HelpOfferView> {
    if (!user.personId || (user.role !== 'volunteer' && user.role !== 'family')) throw new NotFoundError();
    const offerer = user.role === 'volunteer' ? { volunteerId: user.personId } : { familyMemberId: user.personId };
    return this.create(user, activityId, offerer, input);
  }

  /** Staff record an offer made in person or by phone. */
  async offerOnBehalf(user: SessionUser, activityId: string, input: HelpOfferOnBehalfDto): Promise<HelpOfferView> {
    if (!can(user, 'planActivities')) throw new NotFoundError();
    if (!input.volunteerId === !input.familyMemberId) throw new ValidationError({ volunteerId: { key: 'activities.chooseOneHelper' } });
    return this.create(user, activityId, { volunteerId: input.volunteerId, familyMemberId: input.familyMemberId }, input, { confirmableOnly: true });
  }

  async respond(user: SessionUser, offerId: string, status: 'confirmed' | 'declined'): Promise<void> {
    if (!can(user, 'planActivities')) throw new NotFoundError();
    await this.unitOfWork.transaction(async (m) => {
      const { offer, activity } = await this.find(m, user, offerId);
      if (offer.status === status) return;
      if (offer.status === 'withdrawn') throw new ValidationError({}, { key: 'activities.offerWithdrawn' });
      if (status === 'confirmed' && offer.volunteerId && !(await this.volunteers.assignable(offer.volunteerId, activity.homeId))) {
        throw new ValidationError({}, { key: 'activities.volunteerNotAssignable' });
      }
      await m.update(HelpOffer, { id: offer.id }, { status, respondedBy: user.id, respondedAt: new Date() });
      await this.audit.record(m, {
        action: 'update', userId: user.id, role: user.role, entityType: 'help_offer', entityId: offer.id, homeId: offer.homeId,
        changes: { status: { old: offer.status, new: status } },
      });
      offer.status = status;
      await this.notifications.helpOfferAnswered(m, offer, activity, status, user.id);
      if (status === 'confirmed') await this.activities.contributeHelper(m, activity, offer, user.id);
      else await this.contributions.removeBySource(m, 'help_offer', offer.id);
    });
  }

  /** The offerer (or staff) withdraws an offer; the contribution it made, if any, goes with it. */
  async withdraw(user: SessionUser, offerId: string): Promise<void> {
    await this.unitOfWork.transaction(async (m) => {
      const { offer, activity } = await this.find(m, user, offerId);
      const own = offer.volunteerId === user.personId || offer.familyMemberId === user.personId;
      const planner = can(user, 'planActivities');
      if (!own && !planner) throw new NotFoundError();
      if (offer.status === 'withdrawn') return;
      // Once the activity is held, the helper's hours stand: only those who plan correct them.
      if (!planner && !mayStillWithdraw(activity)) throw new ValidationError({}, { key: 'activities.tooLateToWithdraw' });
      await m.update(HelpOffer, { id: offer.id }, { status: 'withdrawn' });
      await this.contributions.removeBySource(m, 'help_offer', offer.id);
      await this.audit.record(m, {
        action: 'update', userId: user.id, role: user.role, entityType: 'help_offer', entityId: offer.id, homeId: offer.homeId,
        changes: { status: { old: offer.status, new: 'withdrawn' } },
      });
      // A confirmed helper stepping back leaves the activity short; an offer taken back before its answer
      // leaves nothing to answer: either way those who plan hear of it (the offer's news alone would stay new).
      if (own && (offer.status === 'confirmed' || offer.status === 'offered')) {
        await this.notifications.helpOfferWithdrawn(m, offer, activity, user.id, offer.status === 'confirmed');
      }
    });
  }

  async forActivity(user: SessionUser, activityId: string): Promise<HelpOfferView[]> {
    const activity = await this.activities.get(user, activityId);
    const m = this.unitOfWork.manager;
    let offers = await m.find(HelpOffer, { where: { activityId: activity.id }, order: { createdAt: 'ASC' } });
    // Volunteers and relatives see their own offers only.
    if (user.role === 'volunteer' || user.role === 'family') offers = offers.filter((o) => o.volunteerId === user.personId || o.familyMemberId === user.personId);
    return this.views(offers, activity.homeId);
  }

  // Reads for the portals: an offerer's own offers, as plain views --------------------------

  /** A volunteer's or relative's own offers on these activities, oldest first. */
  async offersOf(offerer: { volunteerId: string } | { familyMemberId: string }, activityIds: string[]): Promise<OwnOfferView[]> {
    if (activityIds.length === 0) return [];
    const offers = await this.unitOfWork.manager.find(HelpOffer, { where: { ...offerer, activityId: In(activityIds) }, order: { createdAt: 'ASC' } });
    return offers.map(toOwnOfferView);
  }

  /**
   * The signed-in relative's or volunteer's own offers on activities starting since a date, the latest
   * activity first (an offer's own date says little: the demo's, and those staff record later, are all
   * made at once), `limit` of them from `offset`: "My offers" on their portal. Only on activities they
   * may still see (`visible`: their homes; a relative, those shown to families). One statement, and one
   * more for who answered.
   */
  async ownOffersSince(user: SessionUser, since: Date, page: { offset: number; limit: number }): Promise<OwnOfferRecord[]> {
    const column = offererColumn(user);
    if (!column) return [];
    const rows = await this.activities
      .visible(user)
      .innerJoin(HelpOffer, 'o', 'o.activityId = a.id')
      .select('o.id', 'id')
      .addSelect('o.activityId', 'activityId')
      .addSelect('o.homeId', 'homeId')
      .addSelect('o.kind', 'kind')
      .addSelect('o.status', 'status')
      .addSelect('o.message', 'message')
      .addSelect('o.createdAt', 'createdAt')
      .addSelect('o.respondedAt', 'respondedAt')
      .addSelect('o.respondedBy', 'respondedBy')
      .addSelect('a.title', 'title')
      .addSelect('a.startsAt', 'startsAt')
      .addSelect('a.status', 'activityStatus')
      .addSelect('a.cancelReason', 'cancelReason')
      .andWhere(`o.${column} = :offererId AND a.startsAt >= :since`, { offererId: user.personId, since })
      .orderBy('a.startsAt', 'DESC')
      .addOrderBy('o.createdAt', 'DESC')
      .addOrderBy('o.id', 'DESC')
      .offset(page.offset)
      .limit(page.limit)
      .getRawMany<OwnOfferRow>();
    const responders = await this.auth.displayNames(rows.map((r) => r.respondedBy));
    return rows.map((r) => ({
      id: r.id, activityId: r.activityId, homeId: r.homeId, kind: r.kind, status: r.status, message: r.message, createdAt: asDate(r.createdAt),
      activity: { title: r.title, startsAt: asDate(r.startsAt), status: r.activityStatus, cancelReason: r.cancelReason },
      respondedAt: r.respondedAt === null ? null : asDate(r.respondedAt), respondedByName: r.respondedBy ? (responders.get(r.respondedBy) ?? null) : null,
    }));
  }

  /** One of a volunteer's own offers; null when the offer is not theirs. */
  async volunteerOffer(volunteerId: string, offerId: string): Promise<OwnOfferView | null> {
    const offer = await this.unitOfWork.manager.findOneBy(HelpOffer, { id: offerId, volunteerId });
    return offer ? toOwnOfferView(offer) : null;
  }

  /** How many offers a relative has running (offered or confirmed) in these homes. */
  async openOfferCount(familyMemberId: string, homeIds: string[]): Promise<number> {
    return this.unitOfWork.manager.countBy(HelpOffer, { familyMemberId, status: In(['offered', 'confirmed']), homeId: In(homeIds) });
  }

  /**
   * `confirmableOnly`: staff recording an offer are told at once, beside the field, why a volunteer
   * could not be confirmed (the form offers them disabled, with the reason); a volunteer's own offer
   * is taken and shown as blocked, so the coordinator sees it and can ask them to renew their check.
   */
  private async create(
    user: SessionUser, activityId: string, offerer: { volunteerId?: string; familyMemberId?: string }, input: HelpOfferDto, options: { confirmableOnly?: boolean } = {},
  ): Promise<HelpOfferView> {
    return this.unitOfWork.transaction(async (m) => {
      const activity = await this.activities.get(user, activityId, m);
      if (activity.status === 'cancelled') throw new ValidationError({}, { key: 'activities.cancelledNoChanges' });
      if (user.role === 'family' && !(await this.familyLinks.mayContributeIn(user.personId!, activity.homeId))) {
        throw new ValidationError({}, { key: 'activities.viewOnlyFamily' });
      }
      if (offerer.volunteerId) {
        const [volunteer] = await this.volunteers.briefsByIds([offerer.volunteerId]);
        if (volunteer?.homeId !== activity.homeId || volunteer.status === 'left') throw new ValidationError({ volunteerId: { key: 'validation.isIn' } });
        const why = options.confirmableOnly ? (await this.volunteers.standingIn([volunteer.id], activity.homeId)).get(volunteer.id) : null;
        if (why) throw new ValidationError({ volunteerId: notConfirmableError(why) });
      } else if ((await this.families.briefsByIds([offerer.familyMemberId]))[0]?.homeId !== activity.homeId) {
        throw new ValidationError({ familyMemberId: { key: 'validation.isIn' } });
      }
      const open = await m.findOneBy(HelpOffer, {
        activityId, ...(offerer.volunteerId ? { volunteerId: offerer.volunteerId } : { familyMemberId: offerer.familyMemberId }), status: In(['offered', 'confirmed']),
      });
      if (open) throw new ValidationError({}, { key: 'activities.alreadyOffered' });
      const offer = m.create(HelpOffer, {
        homeId: activity.homeId, activityId, offererType: offerer.volunteerId ? 'volunteer' : 'family', volunteerId: offerer.volunteerId ?? null,
        familyMemberId: offerer.familyMemberId ?? null, kind: (input.kind as HelpKind) ?? 'deliver', status: 'offered', message: input.message ?? null,
        respondedBy: null, respondedAt: null, createdBy: user.id,
      });
      await m.insert(HelpOffer, offer);
      await this.audit.record(m, {
        action: 'create', userId: user.id, role: user.role, entityType: 'help_offer', entityId: offer.id, homeId: activity.homeId,
        changes: { kind: { old: null, new: offer.kind }, activityId: { old: null, new: activityId } },
      });
      await this.notifications.helpOfferReceived(m, offer, activity, user.id);
      return (await this.views([offer], activity.homeId))[0];
    });
  }

  private async find(m: EntityManager, user: SessionUser, offerId: string): Promise<{ offer: HelpOffer; activity: Activity }> {
    const offer = await m.findOneBy(HelpOffer, { id: offerId });
    if (!offer) throw new NotFoundError();
    const activity = await this.activities.get(user, offer.activityId, m);
    return { offer, activity };
  }

  private async views(offers: HelpOffer[], homeId: string): Promise<HelpOfferView[]> {
    const volunteerIds = offers.map((o) => o.volunteerId).filter((id): id is string => id !== null);
    const familyIds = offers.map((o) => o.familyMemberId).filter((id): id is string => id !== null);
    const [volunteers, relatives] = await Promise.all([this.volunteers.briefsByIds(volunteerIds), this.families.briefsByIds(familyIds)]);
    const names = new Map([...volunteers, ...relatives].map((p) => [p.id, `${p.firstName} ${p.lastName}`]));
    // An open or declined offer from a volunteer who may not be given work cannot be confirmed.
    const answerable = (o: HelpOffer) => o.volunteerId !== null && (o.status === 'offered' || o.status === 'declined');
    const assignable = await this.volunteers.assignableAmong(offers.filter(answerable).map((o) => o.volunteerId!), homeId);
    return offers.map((o) => {
      const personId = (o.volunteerId ?? o.familyMemberId)!;
      const blocked = answerable(o) && !assignable.has(o.volunteerId!);
      return { id: o.id, activityId: o.activityId, offererType: o.offererType, personId, personName: names.get(personId) ?? '—', kind: o.kind, status: o.status, message: o.message, blocked };
    });
  }
}

/** Why an offer recorded for this volunteer could not be confirmed, in words, beside the volunteer field. */
export function notConfirmableError(why: NotAssignable): Message {
  return why.reason === 'checkExpired'
    ? { key: 'activities.offerCheckExpired', params: { date: why.expiredOn } }
    // Not active here means paused: a volunteer who has left is refused before, as no choice of the home.
    : { key: 'activities.offerVolunteerPaused' };
}

/** The column of a help offer naming this account's own person record, if the account may offer for itself (a relative, a volunteer). */
export function offererColumn(user: Pick<SessionUser, 'role' | 'personKind' | 'personId'>): 'familyMemberId' | 'volunteerId' | null {
  if (!user.personId) return null;
  if (user.role === 'family' && user.personKind === 'family') return 'familyMemberId';
  if (user.role === 'volunteer' && user.personKind === 'volunteer') return 'volunteerId';
  return null;
}

function toOwnOfferView(o: HelpOffer): OwnOfferView {
  return { id: o.id, activityId: o.activityId, homeId: o.homeId, kind: o.kind, status: o.status, message: o.message };
}

/**
 * Whether a helper may still withdraw their own offer: while the activity is planned. Once it is held
 * their hours count (a co_delivery contribution), and only those who plan correct who helped.
 */
export function mayStillWithdraw(activity: Pick<Activity, 'status'>): boolean {
  return activity.status === 'planned';
}
