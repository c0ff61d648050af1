import { Injectable } from '@nestjs/common';
import { ActivitiesService, ActivitySummary } from '../activities/activities.service';
import { HelpOfferStatus, ATTENDED, Engagement } from '../activities/activities.enums';
import { HelpOffersService } from '../activities/help-offers.service';
import { ParticipationService } from '../activities/participation.service';
import { throughLens } from '../common/access/access-policy';
import type { SessionUser } from '../common/access/session-user';
import { ForbiddenError, NotFoundError, ValidationError } from '../common/errors/domain-errors';
import { addDays, localDaysRange, mondayOf, todayIn, utcToLocal } from '../common/time/zoned';
import { HomesService } from '../homes/homes.service';
import { NotificationsService } from '../notifications/notifications.service';
import { PlansService } from '../plans/plans.service';
import { ResidentListQuery } from '../residents/dto/resident.dto';
import { FamilyLinksService } from '../residents/family-links.service';
import { ResidentDetail, ResidentsService, ResidentSummary } from '../residents/residents.service';
import { CheckInsService } from '../voice/check-ins.service';
import { FeedbackService } from '../voice/feedback.service';
import { SuggestionsService, SuggestionView } from '../voice/suggestions.service';
import { CheckInFormDto, OfferFormDto, RelativeFeedbackFormDto, SuggestionFormDto } from './dto/portal.dto';

const DAY_MS = 24 * 60 * 60 * 1000;
/** How far ahead "coming activities" look, and how far back the history and "How did it go?" look. */
export const COMING_DAYS = 14;
/** The coming activities' first part, open on the page; the second week is folded under "Later". */
export const COMING_SOON_DAYS = 7;
export const HISTORY_DAYS = 60;
/** The history's first part, open on the page; the rest of the 60 days is folded under "Earlier". */
export const RECENT_HISTORY_DAYS = 14;
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
  /** Only through a lens that shows it (full consent); staff notes are never read here. */
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
    private readonly participation: ParticipationService,
    private readonly helpOffers: HelpOffersService,
    private readonly homes: HomesService,
    private readonly plans: PlansService,
    private readonly suggestions: SuggestionsService,
    private readonly feedback: FeedbackService,
    private readonly checkIns: CheckInsService,
    private readonly notifications: NotificationsService,
  ) {}

  // Pages ------------------------------------------------------------------------------------

  async familyHome(user: SessionUser) {
    const homeName = user.homeIds.length > 0 ? await this.homes.nameOf(user.homeIds[0]) : null;
    // An account not (or no longer) tied to a family member record has nobody to show.
    if (user.personKind !== 'family' || !user.personId) {
      return { homeName, cards: [], contributed: { offers: 0, suggestions: 0, feedback: 0, checkIns: 0 }, suggestions: [], unreadNotifications: await this.notifications.unreadCount(user.id) };
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
      homeName,
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
    const recentSince = new Date(Date.now() - RECENT_HISTORY_DAYS * DAY_MS);
    const laterFrom = addDays(todayIn(user.timezone), COMING_SOON_DAYS);
    const quarter = await this.checkIns.quarterFor(residentId);
    const checkIn = await this.checkIns.familyCheckInOf(user.personId!, residentId, quarter);
    const mine = (await this.suggestions.listMine(user)).filter((s) => s.residentId === residentId || s.residentId === null);
    const attendedIds = new Set(history.map((h) => h.activityId));
    const myFeedback = (await this.feedback.listMine(user)).filter((f) => f.activityId !== null && attendedIds.has(f.activityId));
    return {
      resident: {
        id: resident.id, displayName: resident.displayName, fullName: resident.fullName, initials: resident.initials, hasPhoto: resident.hasPhoto,
        aboutMe: resident.aboutMe ?? null, interests: resident.interests, dislikes: resident.dislikes ?? null,
        communicationTips: resident.communicationTips ?? null,
        // As the family's PDF shows it ("what the portal shares"): the family lens has it only with full consent.
        mobilityNotes: resident.mobilityNotes ?? null,
      },
      full,
      canContribute,
      coming,
      comingSoon: coming.filter((a) => a.date < laterFrom),
      comingLater: coming.filter((a) => a.date >= laterFrom),
      history,
      // A phone would otherwise scroll through two months of activities to reach what follows.
      recentHistory: history.filter((h) => h.startsAt >= recentSince),
      earlierHistory: history.filter((h) => h.startsAt < recentSince),
      feedbackChoices: history.filter((h) => h.attended && h.startsAt >= feedbackSince).map((h) => ({ id: h.activityId, title: h.title, date: h.date, time: h.time })),
      plan: await this.plans.familyPlan(user, residentId),
      quarter,
      myCheckIn: checkIn,
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

  async giveFeedback(user: SessionUser, residentId: string, input: RelativeFeedbackFormDto) {
    const resident = await this.contributor(user, residentId);
    const attended = (await this.history(user, resident, FEEDBACK_DAYS)).filter((h) => h.attended);
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
    const shown = (await this.concerning(user, resident, now, new Date(now.getTime() + COMING_DAYS * DAY_MS))).filter((a) => a.status === 'planned');
    if (shown.length === 0) return [];
    const offers = await this.helpOffers.offersOf({ familyMemberId: user.personId! }, shown.map((a) => a.id));
    const texts = await this.activities.textsOf(shown.map((a) => a.id));
    return shown.map((a) => {
      // The latest offer on the activity speaks for the relative: an open one, else the last answer.
      const own = offers.filter((o) => o.activityId === a.id);
      const offer = own.find((o) => OPEN_OFFER.includes(o.status)) ?? own.filter((o) => o.status === 'declined').pop() ?? null;
      return {
        id: a.id, title: a.title, typeName: a.typeName, date: a.date, time: a.time, endTime: a.endTime, location: a.location, unitName: a.unitName,
        description: texts.get(a.id)?.description ?? null, invited: a.invited,
        myOffer: offer ? { id: offer.id, kind: offer.kind, status: offer.status, message: offer.message, withdrawable: OPEN_OFFER.includes(offer.status) } : null,
        canOffer: !offer || !OPEN_OFFER.includes(offer.status),
      };
    });
  }

  /**
   * The family-visible activities starting in [from, to) that concern a resident (whole home, their
   * unit, or they are invited), cancelled ones included, each saying whether the resident is invited:
   * what the relative's page lists as coming, and what their calendar feed holds.
   */
  private async concerning(user: SessionUser, resident: Pick<ResidentSummary, 'id' | 'homeId' | 'unitId'>, from: Date, to: Date): Promise<(ActivitySummary & { invited: boolean })[]> {
    const all = await this.activities.listBetween(user, from, to, { homeId: resident.homeId, includeCancelled: true });
    const rostered = await this.rosteredActivities([resident.id], all.map((a) => a.id));
    return all.filter((a) => concerns(a, resident, rostered)).map((a) => ({ ...a, invited: rostered.has(`${resident.id}:${a.id}`) }));
  }

  /** The residents this relative follows, as the calendar feeds offer them. */
  async followedResidents(user: SessionUser): Promise<{ id: string; homeId: string; displayName: string; fullName: string }[]> {
    if (user.role !== 'family' || user.personKind !== 'family' || !user.personId) return [];
    const { residents } = await this.residents.list(user, Object.assign(new ResidentListQuery(), { status: 'current' }));
    return residents.map((r) => ({ id: r.id, homeId: r.homeId, displayName: r.displayName, fullName: r.fullName }));
  }

  /**
   * A relative's calendar of one resident (the family calendar feed): `concerning` with the resident's
   * name, and their descriptions; 404 when the relative may no longer see the resident.
   */
  async familyCalendar(user: SessionUser, residentId: string, from: Date, to: Date) {
    if (user.role !== 'family') throw new NotFoundError();
    const { resident } = await this.relative(user, residentId);
    const activities = await this.concerning(user, resident, from, to);
    const texts = await this.activities.textsOf(activities.map((a) => a.id));
    return {
      resident: { id: resident.id, homeId: resident.homeId, displayName: resident.displayName, fullName: resident.fullName },
      activities: activities.map((a) => ({ ...a, description: texts.get(a.id)?.description ?? null })),
    };
  }

  /** The resident's participation in family-visible activities over the last `days` days, newest first. */
  private async history(user: SessionUser, resident: ResidentDetail, days: number): Promise<HistoryEntry[]> {
    const now = new Date();
    const rows = await this.participation.familyVisibleHistory(resident.id, resident.homeId, new Date(now.getTime() - days * DAY_MS), now);
    const zone = await this.homes.timezoneOf(resident.homeId);
    return rows.map((row) => {
      const local = utcToLocal(row.startsAt, zone);
      // The relative's lens decides whether the family note is shown (a summary consent shows none).
      const seen = throughLens('participation', resident.lens, { engagement: row.engagement, familyNote: row.familyNote });
      return {
        activityId: row.activityId, title: row.title, startsAt: row.startsAt, date: local.date, time: local.time, engagement: row.engagement,
        attended: ATTENDED.includes(row.engagement), familyNote: seen.familyNote ?? null,
      };
    });
  }

  /** Attended family-visible activities since Monday of this week, per resident. */
  private async attendedThisWeek(user: SessionUser, residents: ResidentSummary[]): Promise<Map<string, number>> {
    if (residents.length === 0) return new Map();
    const monday = mondayOf(todayIn(user.timezone));
    const { start, end } = localDaysRange(monday, 7, user.timezone);
    return this.participation.familyVisibleAttendanceCounts(residents.map((r) => r.id), start, end);
  }

  /** "residentId:activityId" for each resident invited to each activity. */
  private async rosteredActivities(residentIds: string[], activityIds: string[]): Promise<Set<string>> {
    const pairs = await this.activities.rosterPairs(residentIds, activityIds);
    return new Set(pairs.map((pair) => `${pair.residentId}:${pair.activityId}`));
  }

  /** What this relative has put in: offers, ideas, ratings and check-ins, and the hours recorded for them. */
  private async contributed(user: SessionUser, residentIds: string[], suggestionCount: number) {
    const offers = await this.helpOffers.openOfferCount(user.personId!, user.homeIds);
    const feedback = await this.feedback.countMine(user);
    const checkIns = await this.checkIns.familyCheckInCount(user.personId!, residentIds);
    return { offers, suggestions: suggestionCount, feedback, checkIns };
  }
}

/** An activity concerns a resident when it is for the whole home, for their unit, or they are invited. */
function concerns(a: ActivitySummary, r: Pick<ResidentSummary, 'id' | 'homeId' | 'unitId'>, rostered: Set<string>): boolean {
  return a.homeId === r.homeId && (a.unitId === null || a.unitId === r.unitId || rostered.has(`${r.id}:${a.id}`));
}
