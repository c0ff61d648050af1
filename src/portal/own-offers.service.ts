import { Injectable } from '@nestjs/common';
import { HelpKind, HelpOfferStatus } from '../activities/activities.enums';
import { HelpOffersService, offererColumn } from '../activities/help-offers.service';
import type { SessionUser } from '../common/access/session-user';
import { utcToLocal } from '../common/time/zoned';
import { HomesService } from '../homes/homes.service';

/** How far back "My offers" reads (activities of the last 12 months, as its pages say), and how many one page shows. */
export const OWN_OFFERS_MONTHS = 12;
export const OWN_OFFERS_PER_PAGE = 20;

/** One offer on "My offers", as the one who made it reads it back. */
export interface OwnOfferEntry {
  id: string;
  activityId: string;
  title: string;
  /** The activity's local date and time in its home's zone. */
  date: string;
  time: string;
  kind: HelpKind;
  status: HelpOfferStatus;
  message: string | null;
  /** The home's answer: who confirmed or declined it, and on which local date. */
  answer: { byName: string | null; date: string } | null;
  activityCancelled: boolean;
  /** Why the activity was cancelled, for readers who see it on the activity's page too (volunteers). */
  cancelReason: string | null;
}

export interface OwnOffersPage {
  /** The account is tied to a relative's or volunteer's record (else it has no offers of its own). */
  isOfferer: boolean;
  offers: OwnOfferEntry[];
  page: number;
  /** The pages of newer and older offers, when there are any. */
  newerPage: number | null;
  olderPage: number | null;
  paged: boolean;
}

/**
 * "My offers" on the family and the volunteer portal: what a relative or a volunteer offered for the
 * activities of the last 12 months and those to come, what they wrote and what the home answered, the
 * latest activity first, a page at a time. Only their own
 * (HelpOffersService.ownOffersSince reads the offerer from the session, never from the request).
 */
@Injectable()
export class OwnOffersService {
  constructor(
    private readonly helpOffers: HelpOffersService,
    private readonly homes: HomesService,
  ) {}

  async page(user: SessionUser, page: number, options: { cancelReasons: boolean }, now = new Date()): Promise<OwnOffersPage> {
    const since = new Date(now);
    since.setUTCMonth(since.getUTCMonth() - OWN_OFFERS_MONTHS);
    // One more than a page: whether there are older offers, without counting them all.
    const rows = await this.helpOffers.ownOffersSince(user, since, { offset: (page - 1) * OWN_OFFERS_PER_PAGE, limit: OWN_OFFERS_PER_PAGE + 1 });
    const shown = rows.slice(0, OWN_OFFERS_PER_PAGE);
    const zones = await this.homes.timezones(shown.map((o) => o.homeId));
    const offers = shown.map((o): OwnOfferEntry => {
      const zone = zones.get(o.homeId) ?? user.timezone;
      const when = utcToLocal(o.activity.startsAt, zone);
      // Only a confirmation or a refusal is an answer; a withdrawn offer keeps its old answer's columns.
      const answered = (o.status === 'confirmed' || o.status === 'declined') && o.respondedAt !== null;
      return {
        id: o.id, activityId: o.activityId, title: o.activity.title, date: when.date, time: when.time, kind: o.kind, status: o.status, message: o.message,
        answer: answered ? { byName: o.respondedByName, date: utcToLocal(o.respondedAt!, zone).date } : null,
        activityCancelled: o.activity.status === 'cancelled',
        cancelReason: options.cancelReasons && o.activity.status === 'cancelled' ? o.activity.cancelReason : null,
      };
    });
    const newerPage = page > 1 ? page - 1 : null;
    const olderPage = rows.length > OWN_OFFERS_PER_PAGE ? page + 1 : null;
    return { isOfferer: offererColumn(user) !== null, offers, page, newerPage, olderPage, paged: newerPage !== null || olderPage !== null };
  }
}
