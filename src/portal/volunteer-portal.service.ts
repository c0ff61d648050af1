import { Injectable } from '@nestjs/common';
import { ActivitiesService, ActivitySummary } from '../activities/activities.service';
import { HelpOfferStatus } from '../activities/activities.enums';
import { HelpOffersService } from '../activities/help-offers.service';
import type { SessionUser } from '../common/access/session-user';
import { NotFoundError } from '../common/errors/domain-errors';
import { addDays, localDayRange, localDaysRange, todayIn } from '../common/time/zoned';
import { Phase } from '../contributions/contributions.enums';
import { ContributionsService } from '../contributions/contributions.service';
import { FeedbackService } from '../voice/feedback.service';
import { quarterOf, quarterRange } from '../common/time/quarter';
import { FeedbackFormDto, OfferFormDto } from './dto/portal.dto';
import { VolunteersService } from '../volunteers/volunteers.service';

/** How far ahead a volunteer's own activities and the ones they could help with are listed. */
export const MY_ACTIVITIES_DAYS = 60;
export const HELP_WANTED_DAYS = 14;
/** Activities a volunteer helped with in this many past days can be rated. */
export const RATE_DAYS = 60;

export interface HoursEntry {
  date: string;
  activityId: string | null;
  title: string | null;
  phase: Phase;
  minutes: number;
  description: string | null;
}

/**
 * The volunteer portal (SPEC 4): my coming activities, activities I could help with, my hours this
 * quarter and "How did it go?". A volunteer sees their own offers and contributions only.
 */
@Injectable()
export class VolunteerPortalService {
  constructor(
    private readonly activities: ActivitiesService,
    private readonly helpOffers: HelpOffersService,
    private readonly feedback: FeedbackService,
    private readonly contributions: ContributionsService,
    private readonly volunteers: VolunteersService,
  ) {}

  async home(user: SessionUser) {
    const volunteerId = this.volunteerId(user);
    const zone = user.timezone;
    const today = todayIn(zone);
    const now = new Date();
    const { start } = localDayRange(today, zone);
    const upcoming = await this.activities.listBetween(user, start, localDaysRange(today, MY_ACTIVITIES_DAYS, zone).end);
    const offers = volunteerId ? await this.helpOffers.offersOf({ volunteerId }, upcoming.map((a) => a.id)) : [];
    const offerOn = (a: ActivitySummary, statuses: HelpOfferStatus[]) => offers.find((o) => o.activityId === a.id && statuses.includes(o.status));
    const helpWantedUntil = now.getTime() + HELP_WANTED_DAYS * 24 * 60 * 60 * 1000;

    const mine = upcoming
      .filter((a) => a.status === 'planned' && offerOn(a, ['confirmed']))
      .map((a) => ({ ...row(a), kind: offerOn(a, ['confirmed'])!.kind, isToday: a.date === today, offerId: offerOn(a, ['confirmed'])!.id }));
    const waiting = upcoming
      .filter((a) => a.status === 'planned' && offerOn(a, ['offered']))
      .map((a) => ({ ...row(a), kind: offerOn(a, ['offered'])!.kind, offerId: offerOn(a, ['offered'])!.id, message: offerOn(a, ['offered'])!.message }));
    const couldHelp = upcoming
      .filter((a) => a.status === 'planned' && a.startsAt.getTime() >= now.getTime() && a.startsAt.getTime() < helpWantedUntil && !offerOn(a, ['offered', 'confirmed']))
      .map((a) => ({ ...row(a), declined: !!offerOn(a, ['declined']) }));

    const quarter = quarterOf(today);
    const { first, last } = quarterRange(quarter);
    const hours = volunteerId ? await this.hours(user, volunteerId, first, last) : [];
    const minutes = hours.reduce((sum, h) => sum + h.minutes, 0);
    // Their own check and whether they are on a break, as staff read them: what decides whether they are confirmed.
    const standing = volunteerId ? await this.volunteers.ownStanding(volunteerId) : null;
    return {
      isVolunteer: volunteerId !== null,
      today,
      mine,
      waiting,
      couldHelp,
      quarter,
      quarterFirst: first,
      quarterLast: last,
      hours,
      totalMinutes: minutes,
      standing: standing && {
        check: { key: `portal.check.${standing.check.status}`, params: { date: standing.check.expiresOn }, warn: standing.check.status === 'expired' || standing.check.status === 'expiring' },
        paused: standing.paused,
        // Something to do about it comes at the top of the page; a check in order at its end.
        first: standing.paused || standing.check.status === 'expired' || standing.check.status === 'expiring',
      },
      rateChoices: volunteerId ? await this.helpedWith(user, volunteerId) : [],
      myFeedback: volunteerId ? await this.feedback.listMine(user) : [],
    };
  }

  async offer(user: SessionUser, input: OfferFormDto) {
    this.requireVolunteer(user);
    // Only an activity this volunteer could see on their page: a planned one of their homes.
    const activity = await this.activities.get(user, input.activityId);
    if (activity.status !== 'planned') throw new NotFoundError();
    return this.helpOffers.offer(user, activity.id, { kind: input.kind, message: input.message });
  }

  async withdraw(user: SessionUser, offerId: string): Promise<void> {
    const volunteerId = this.requireVolunteer(user);
    const offer = await this.helpOffers.volunteerOffer(volunteerId, offerId);
    if (!offer || !user.homeIds.includes(offer.homeId)) throw new NotFoundError();
    await this.helpOffers.withdraw(user, offerId);
  }

  async rate(user: SessionUser, input: FeedbackFormDto) {
    const volunteerId = this.requireVolunteer(user);
    if (input.activityId && !(await this.helpedWith(user, volunteerId)).some((a) => a.id === input.activityId)) throw new NotFoundError();
    return this.feedback.submit(user, { activityId: input.activityId ?? null, rating: input.rating, comment: input.comment });
  }

  /** My contributions dated in [from, to] (local dates), newest first. */
  private async hours(user: SessionUser, volunteerId: string, from: string, to: string): Promise<HoursEntry[]> {
    if (user.homeIds.length === 0) return [];
    const rows = await this.contributions.volunteerContributions(volunteerId, user.homeIds, from, to);
    // Titles in one more query: contributions and activities are two modules' tables.
    const texts = await this.activities.textsOf(rows.flatMap((c) => (c.activityId ? [c.activityId] : [])));
    return rows.map((c) => ({
      date: c.date, activityId: c.activityId, title: c.activityId ? (texts.get(c.activityId)?.title ?? null) : null, phase: c.phase, minutes: c.minutes, description: c.description,
    }));
  }

  /** Activities I was confirmed to help with, held or started in the last RATE_DAYS days, newest first. */
  private async helpedWith(user: SessionUser, volunteerId: string): Promise<{ id: string; title: string; date: string; time: string }[]> {
    const today = todayIn(user.timezone);
    const from = localDayRange(addDays(today, -RATE_DAYS), user.timezone).start;
    const activities = (await this.activities.listBetween(user, from, new Date())).reverse();
    if (activities.length === 0) return [];
    const confirmed = new Set(
      (await this.helpOffers.offersOf({ volunteerId }, activities.map((a) => a.id))).filter((o) => o.status === 'confirmed').map((o) => o.activityId),
    );
    return activities.filter((a) => confirmed.has(a.id)).map((a) => ({ id: a.id, title: a.title, date: a.date, time: a.time }));
  }

  private volunteerId(user: SessionUser): string | null {
    return user.role === 'volunteer' && user.personKind === 'volunteer' && user.personId ? user.personId : null;
  }

  private requireVolunteer(user: SessionUser): string {
    const id = this.volunteerId(user);
    if (!id) throw new NotFoundError();
    return id;
  }
}

function row(a: ActivitySummary) {
  return { id: a.id, title: a.title, typeName: a.typeName, date: a.date, time: a.time, endTime: a.endTime, location: a.location, unitName: a.unitName };
}
