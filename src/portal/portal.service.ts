import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { ActivitiesService, ActivitySummary } from '../activities/activities.service';
import { Activity } from '../activities/entities/activity.entity';
import { HelpOffer } from '../activities/entities/help-offer.entity';
import { HelpOfferStatus, ATTENDED, Engagement } from '../activities/activities.enums';
import { Participation } from '../activities/entities/participation.entity';
import { RosterEntry } from '../activities/entities/roster-entry.entity';
import { HelpOffersService } from '../activities/help-offers.service';
import type { SessionUser } from '../common/access/session-user';
import { ForbiddenError, NotFoundError, ValidationError } from '../common/errors/domain-errors';
import { localDaysRange, mondayOf, todayIn, utcToLocal } from '../common/time/zoned';
import { UnitOfWork } from '../database/unit-of-work';
import { Home } from '../homes/entities/home.entity';
import { NotificationsService } from '../notifications/notifications.service';
import { PlansService } from '../plans/plans.service';
import { ResidentListQuery } from '../residents/dto/resident.dto';
import { FamilyLinksService } from '../residents/family-links.service';
import { ResidentDetail, ResidentsService, ResidentSummary } from '../residents/residents.service';
import { CheckInsService } from '../voice/check-ins.service';
import { FeedbackService } from '../voice/feedback.service';
import { WellbeingCheckIn } from '../voice/entities/wellbeing-check-in.entity';
import { SuggestionsService, SuggestionView } from '../voice/suggestions.service';
import { CheckInFormDto, FeedbackFormDto, OfferFormDto, SuggestionFormDto } from './dto/portal.dto';

const DAY_MS = 24 * 60 * 60 * 1000;
/** How far ahead "coming activities" look, and how far back the history and "How did it go?" look. */
export const COMING_DAYS = 14;
export const HISTORY_DAYS = 60;
export const FEEDBACK_DAYS = 30;
/** Offers a relative still has running (one at a time per activity). */
const OPEN_OFFER: HelpOfferStatus[] = ['offered', 'confirmed'];

export interface ComingActivity {
  id: string;
  title: string;
  typeName: string;
  date: string;
  time: string;
  endTime: string;
  location: string | null;
  unitName: string | null;
  description: string | null;
  /** The relative is already on its list. */
  invited: boolean;
  myOffer: { id: string; kind: string; status: HelpOfferStatus; message: string | null; withdrawable: boolean } | null;
  canOffer: boolean;
}

export interface HistoryEntry {
  activityId: string;
  title: string;
  startsAt: Date;
  date: string;
  time: string;
  engagement: Engagement;
  attended: boolean;
  /** Only with full consent; staff notes are never read here. */
  familyNote: string | null;
}

export interface RelativeCard {
  id: string;
  displayName: string;
  fullName: string;
  initials: string;
  hasPhoto: boolean;
  attendedThisWeek: number;
  next: { title: string; date: string; time: string } | null;
}

/**
 * The family portal (SPEC 1, 4): what a relative sees of the residents linked to them and what they
 * may contribute. Every read starts from ResidentsService.get, so an unlinked resident, an ended link
 * or consent set to "none" is simply not found, on the next request. Activities are the home's
 * family-visible ones only, history included.
 */
@Injectable()
export class PortalService {
  constructor(
    private readonly residents: ResidentsService,
    private readonly familyLinks: FamilyLinksService,
    private readonly activities: ActivitiesService,
    private readonly helpOffers: HelpOffersService,
    private readonly plans: PlansService,
    private readonly suggestions: SuggestionsService,
    private readonly feedback: FeedbackService,
    private readonly checkIns: CheckInsService,
    private readonly notifications: NotificationsService,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  // Pages ------------------------------------------------------------------------------------

  async familyHome(user: SessionUser) {
    const home = user.homeIds.length > 0 ? await this.unitOfWork.manager.findOneBy(Home, { id: user.homeIds[0] }) : null;
    // An account not (or no longer) tied to a family member record has nobody to show.
    if (user.personKind !== 'family' || !user.personId) {
      return { homeName: home?.name ?? null, cards: [], contributed: { offers: 0, suggestions: 0, feedback: 0, checkIns: 0 }, suggestions: [], unreadNotifications: await this.notifications.unreadCount(user.id) };
    }
    const { residents } = await this.residents.list(user, Object.assign(new ResidentListQuery(), { status: 'current' }));
    const now = new Date();
    const coming = await this.activities.listBetween(user, now, new Date(now.getTime() + COMING_DAYS * DAY_MS));
    const rostered = await this.rosteredActivities(residents.map((r) => r.id), coming.map((a) => a.id));
    const weekCounts = await this.attendedThisWeek(user, residents);
    const cards: RelativeCard[] = residents.map((r) => {
      const next = coming.find((a) => a.status === 'planned' && concerns(a, r, rostered));
      return {
        id: r.id, displayName: r.displayName, fullName: r.fullName, initials: r.initials, hasPhoto: r.hasPhoto,
        attendedThisWeek: weekCounts.get(r.id) ?? 0, next: next ? { title: next.title, date: next.date, time: next.time } : null,
      };
    });
    const mySuggestions = await this.suggestions.listMine(user);
    return {
      homeName: home?.name ?? null,
      cards,
      contributed: await this.contributed(user, residents.map((r) => r.id), mySuggestions.length),
      suggestions: mySuggestions,
      unreadNotifications: await this.notifications.unreadCount(user.id),
    };
  }

  /** Everything on a relative's page; 404 when this user may not see the resident. */
  async relativePage(user: SessionUser, residentId: string) {
    const { resident, canContribute } = await this.relative(user, residentId);
    const full = resident.lens === 'family_full';
    const coming = await this.comingFor(user, resident);
    const history = await this.history(user, resident, HISTORY_DAYS);
    const feedbackSince = new Date(Date.now() - FEEDBACK_DAYS * DAY_MS);
    const quarter = await this.checkIns.quarterFor(residentId);
    // CheckInView does not say whose it is; this relative's own check-in of the quarter is read here.
    const checkIn = await this.unitOfWork.manager.findOneBy(WellbeingCheckIn, { residentId, quarter, perspective: 'family', familyMemberId: user.personId! });
    const mine = (await this.suggestions.listMine(user)).filter((s) => s.residentId === residentId || s.residentId === null);
    const attendedIds = new Set(history.map((h) => h.activityId));
    const myFeedback = (await this.feedback.listMine(user)).filter((f) => f.activityId !== null && attendedIds.has(f.activityId));
    return {
      resident: {
        id: resident.id, displayName: resident.displayName, fullName: resident.fullName, initials: resident.initials, hasPhoto: resident.hasPhoto,
        aboutMe: resident.aboutMe ?? null, interests: resident.interests, dislikes: resident.dislikes ?? null,
        communicationTips: resident.communicationTips ?? null,
      },
      full,
      canContribute,
      coming,
      history,
      feedbackChoices: history.filter((h) => h.attended && h.startsAt >= feedbackSince).map((h) => ({ id: h.activityId, title: h.title, date: h.date, time: h.time })),
      plan: await this.plans.familyPlan(user, residentId),
      quarter,
      myCheckIn: checkIn ? { doingThings: checkIn.doingThings, people: checkIn.people, choice: checkIn.choice, comment: checkIn.comment } : null,
      suggestions: mine,
      myFeedback,
    };
  }

  // Contributions ----------------------------------------------------------------------------

  async suggest(user: SessionUser, residentId: string, input: SuggestionFormDto): Promise<SuggestionView> {
    await this.contributor(user, residentId);
    // The idea is about this relative or the whole home; any other resident is not found.
    if (input.residentId && input.residentId !== residentId) throw new NotFoundError();
    if (!input.residentId && input.kind !== 'activity_idea') throw new ValidationError({ residentId: { key: 'portal.aboutRelativeNeeded' } });
    return this.suggestions.submit(user, {
      residentId: input.residentId ?? null, kind: input.kind as 'activity_idea', title: input.title, body: input.body,
    });
  }

  async offerHelp(user: SessionUser, residentId: string, input: OfferFormDto) {
    const resident = await this.contributor(user, residentId);
    const coming = await this.comingFor(user, resident);
    const activity = coming.find((a) => a.id === input.activityId);
    if (!activity) throw new NotFoundError();
    return this.helpOffers.offer(user, activity.id, { kind: input.kind, message: input.message });
  }

  async withdrawOffer(user: SessionUser, residentId: string, offerId: string): Promise<void> {
    const resident = await this.contributor(user, residentId);
    const coming = await this.comingFor(user, resident);
    if (!coming.some((a) => a.myOffer?.id === offerId && a.myOffer.withdrawable)) throw new NotFoundError();
    await this.helpOffers.withdraw(user, offerId);
  }

  async giveFeedback(user: SessionUser, residentId: string, input: FeedbackFormDto) {
    const resident = await this.contributor(user, residentId);
    const attended = (await this.history(user, resident, FEEDBACK_DAYS)).filter((h) => h.attended);
    if (!input.activityId) throw new ValidationError({ activityId: { key: 'portal.chooseActivity' } });
    if (!attended.some((h) => h.activityId === input.activityId)) throw new NotFoundError();
    return this.feedback.submit(user, { activityId: input.activityId, rating: input.rating, comment: input.comment });
  }

  async checkIn(user: SessionUser, residentId: string, input: CheckInFormDto) {
    await this.contributor(user, residentId);
    return this.checkIns.submit(user, { residentId, doingThings: input.doingThings, people: input.people, choice: input.choice, comment: input.comment });
  }

  // Access -----------------------------------------------------------------------------------

  /** The resident as this relative may see them, and whether their link lets them contribute. */
  private async relative(user: SessionUser, residentId: string): Promise<{ resident: ResidentDetail; canContribute: boolean }> {
    if (user.role !== 'family' || user.personKind !== 'family' || !user.personId) throw new NotFoundError();
    const resident = await this.residents.get(user, residentId);
    const link = await this.familyLinks.linkFor(user.personId, residentId);
    if (!link?.active) throw new NotFoundError();
    return { resident, canContribute: link.access === 'contribute' };
  }

  /** A relative whose link has "view" access sees the page but cannot post to it. */
  private async contributor(user: SessionUser, residentId: string): Promise<ResidentDetail> {
    const { resident, canContribute } = await this.relative(user, residentId);
    if (!canContribute) throw new ForbiddenError({ key: 'portal.viewOnlyRefused' });
    return resident;
  }

  // Queries ----------------------------------------------------------------------------------

  /**
   * The coming family-visible activities that concern a resident (whole home, their unit, or they are
   * invited) in the next two weeks, with this relative's own offer on each.
   */
  private async comingFor(user: SessionUser, resident: ResidentSummary): Promise<ComingActivity[]> {
    const now = new Date();
    const all = (await this.activities.listBetween(user, now, new Date(now.getTime() + COMING_DAYS * DAY_MS)))
      .filter((a) => a.homeId === resident.homeId && a.status === 'planned');
    const rostered = await this.rosteredActivities([resident.id], all.map((a) => a.id));
    const shown = all.filter((a) => concerns(a, resident, rostered));
    if (shown.length === 0) return [];
    const m = this.unitOfWork.manager;
    const offers = await m.find(HelpOffer, {
      where: { familyMemberId: user.personId!, activityId: In(shown.map((a) => a.id)) }, order: { createdAt: 'ASC' },
    });
    const descriptions = new Map((await m.find(Activity, { select: { id: true, description: true }, where: { id: In(shown.map((a) => a.id)) } })).map((a) => [a.id, a.description]));
    return shown.map((a) => {
      // The latest offer on the activity speaks for the relative: an open one, else the last answer.
      const own = offers.filter((o) => o.activityId === a.id);
      const offer = own.find((o) => OPEN_OFFER.includes(o.status)) ?? own.filter((o) => o.status === 'declined').pop() ?? null;
      return {
        id: a.id, title: a.title, typeName: a.typeName, date: a.date, time: a.time, endTime: a.endTime, location: a.location, unitName: a.unitName,
        description: descriptions.get(a.id) ?? null, invited: rostered.has(`${resident.id}:${a.id}`),
        myOffer: offer ? { id: offer.id, kind: offer.kind, status: offer.status, message: offer.message, withdrawable: OPEN_OFFER.includes(offer.status) } : null,
        canOffer: !offer || !OPEN_OFFER.includes(offer.status),
      };
    });
  }

  /** The resident's participation in family-visible activities over the last `days` days, newest first. */
  private async history(user: SessionUser, resident: ResidentDetail, days: number): Promise<HistoryEntry[]> {
    const now = new Date();
    const rows = await this.unitOfWork.manager
      .createQueryBuilder(Participation, 'p')
      .innerJoinAndMapOne('p.activity', Activity, 'a', 'a.id = p.activityId')
      // The staff note is not even loaded.
      .select(['p.id', 'p.activityId', 'p.engagement', 'p.familyNote', 'a.id', 'a.title', 'a.startsAt'])
      .where('p.residentId = :residentId AND a.homeId = :homeId', { residentId: resident.id, homeId: resident.homeId })
      .andWhere('a.visibleToFamilies = :shown AND a.status <> :cancelled', { shown: true, cancelled: 'cancelled' })
      .andWhere('a.startsAt >= :since AND a.startsAt <= :now', { since: new Date(now.getTime() - days * DAY_MS), now })
      .orderBy('a.startsAt', 'DESC')
      .getMany();
    const zone = await this.zoneOf(resident.homeId);
    const full = resident.lens === 'family_full';
    return rows.map((row) => {
      const activity = (row as Participation & { activity: Activity }).activity;
      const local = utcToLocal(activity.startsAt, zone);
      return {
        activityId: row.activityId, title: activity.title, startsAt: activity.startsAt, date: local.date, time: local.time, engagement: row.engagement,
        attended: ATTENDED.includes(row.engagement), familyNote: full ? row.familyNote : null,
      };
    });
  }

  /** Attended family-visible activities since Monday of this week, per resident. */
  private async attendedThisWeek(user: SessionUser, residents: ResidentSummary[]): Promise<Map<string, number>> {
    if (residents.length === 0) return new Map();
    const monday = mondayOf(todayIn(user.timezone));
    const { start, end } = localDaysRange(monday, 7, user.timezone);
    const rows = await this.unitOfWork.manager
      .createQueryBuilder(Participation, 'p')
      .innerJoin(Activity, 'a', 'a.id = p.activityId')
      .select('p.residentId', 'residentId')
      .addSelect('COUNT(*)', 'n')
      .where('p.residentId IN (:...ids)', { ids: residents.map((r) => r.id) })
      .andWhere('p.engagement IN (:...attended)', { attended: [...ATTENDED] })
      .andWhere('a.visibleToFamilies = :shown AND a.status <> :cancelled', { shown: true, cancelled: 'cancelled' })
      .andWhere('a.startsAt >= :start AND a.startsAt < :end', { start, end })
      .groupBy('p.residentId')
      .getRawMany<{ residentId: string; n: string | number }>();
    return new Map(rows.map((row) => [row.residentId, Number(row.n)]));
  }

  /** "residentId:activityId" for each resident invited to each activity. */
  private async rosteredActivities(residentIds: string[], activityIds: string[]): Promise<Set<string>> {
    if (residentIds.length === 0 || activityIds.length === 0) return new Set();
    const rows = await this.unitOfWork.manager.find(RosterEntry, {
      select: { residentId: true, activityId: true }, where: { residentId: In(residentIds), activityId: In(activityIds) },
    });
    return new Set(rows.map((row) => `${row.residentId}:${row.activityId}`));
  }

  /** What this relative has put in: offers, ideas, ratings and check-ins, and the hours recorded for them. */
  private async contributed(user: SessionUser, residentIds: string[], suggestionCount: number) {
    const m = this.unitOfWork.manager;
    const offers = await m.countBy(HelpOffer, { familyMemberId: user.personId!, status: In(OPEN_OFFER), homeId: In(user.homeIds) });
    const feedback = (await this.feedback.listMine(user)).length;
    const checkIns = residentIds.length === 0 ? 0 : await m.countBy(WellbeingCheckIn, { familyMemberId: user.personId!, perspective: 'family', residentId: In(residentIds) });
    return { offers, suggestions: suggestionCount, feedback, checkIns };
  }

  private async zoneOf(homeId: string): Promise<string> {
    return (await this.unitOfWork.manager.findOneByOrFail(Home, { id: homeId })).timezone;
  }
}

/** An activity concerns a resident when it is for the whole home, for their unit, or they are invited. */
function concerns(a: ActivitySummary, r: Pick<ResidentSummary, 'id' | 'homeId' | 'unitId'>, rostered: Set<string>): boolean {
  return a.homeId === r.homeId && (a.unitId === null || a.unitId === r.unitId || rostered.has(`${r.id}:${a.id}`));
}
