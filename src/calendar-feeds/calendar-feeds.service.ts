import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { ActivitiesService } from '../activities/activities.service';
import { AuditService } from '../audit/audit.service';
import { AuthService } from '../auth/auth.service';
import { hashToken, isTokenShaped, newToken } from '../auth/invitations.service';
import { can } from '../common/access/access-policy';
import type { SessionUser } from '../common/access/session-user';
import { NotFoundError, ValidationError } from '../common/errors/domain-errors';
import { translate } from '../common/i18n/i18n';
import { groupByHome, Option, OptionGroup } from '../common/views/option-groups';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { UnitOfWork } from '../database/unit-of-work';
import { HomesService } from '../homes/homes.service';
import { homeNamesOf } from '../homes/places';
import { PortalService } from '../portal/portal.service';
import type { FeedScope } from './calendar-feeds.enums';
import { CalendarFeed } from './entities/calendar-feed.entity';
import { FeedEvent, icsOf } from './ics';

const DAY_MS = 24 * 60 * 60 * 1000;
/** What a feed holds: the last 30 days (a cancellation or a late change still reaches the app) and the next 180. */
export const FEED_PAST_DAYS = 30;
export const FEED_FUTURE_DAYS = 180;
/** Feeds one account may keep open at once. */
export const MAX_OPEN_FEEDS = 20;
/** A read is written down at most this often, so a calendar app polling does not write on every read. */
const READ_NOTED_EVERY_MS = 60 * 60 * 1000;

/** A feed as its owner's account page lists it. */
export interface FeedView {
  id: string;
  label: string;
  createdAt: Date;
  lastReadAt: Date | null;
}

/** What one user may subscribe to: options of the form's select, grouped by home for staff of several homes. */
export interface FeedChoices {
  options: Option[];
  groups: OptionGroup[] | undefined;
}

/**
 * Calendars to subscribe to (issue 19 item 4): home staff subscribe to a home's or a unit's
 * activities, a relative to their resident's family-visible ones. The address holds a random token
 * (32 bytes, base64url) of which only the SHA-256 is kept. Every read loads the owner's account fresh
 * and asks the same services the pages ask, so a feed follows its owner's access as it changes: a
 * disabled account, a home left or a relative's link ended makes the address answer 404, as a
 * revoked or unknown one does.
 */
@Injectable()
export class CalendarFeedsService {
  constructor(
    @InjectRepository(CalendarFeed) private readonly feeds: Repository<CalendarFeed>,
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditService,
    private readonly auth: AuthService,
    private readonly activities: ActivitiesService,
    private readonly portal: PortalService,
    private readonly homes: HomesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The select's values: `home:<id>`, `unit:<id>` (staff) and `resident:<id>` (a relative). */
  async choices(user: SessionUser): Promise<FeedChoices> {
    if (user.role === 'family') {
      const residents = await this.portal.followedResidents(user);
      return { options: residents.map((r) => ({ id: `resident:${r.id}`, name: r.fullName })), groups: undefined };
    }
    if (!can(user, 'homeStaff')) return { options: [], groups: undefined };
    const places = await this.homes.places(user.homeIds);
    const wholeHome = translate(user.locale, 'calendarFeeds.wholeHome');
    const options: (Option & { homeId: string })[] = [];
    for (const homeId of homeNamesOf(places).keys()) {
      options.push({ id: `home:${homeId}`, name: user.homeIds.length > 1 ? `${wholeHome} (${places.homes.get(homeId)!.name})` : wholeHome, homeId });
      for (const unit of places.units.values()) if (unit.homeId === homeId && unit.active) options.push({ id: `unit:${unit.id}`, name: unit.name, homeId });
    }
    return { options: options.map(({ id, name }) => ({ id, name })), groups: groupByHome(options, homeNamesOf(places)) };
  }

  /** This user's open feeds, newest first, each named by what it follows. */
  async list(user: SessionUser): Promise<FeedView[]> {
    const rows = await this.feeds.find({ where: { userId: user.id, revokedAt: IsNull() }, order: { createdAt: 'DESC', id: 'ASC' } });
    const labels = await this.labels(user, rows);
    return rows.map((row) => ({ id: row.id, label: labels.get(row.id) ?? '', createdAt: row.createdAt, lastReadAt: row.lastReadAt }));
  }

  /**
   * A new feed for one of the user's choices; its address, shown to them once (only the token's hash
   * is kept). A value that is not one of their choices is a field error, whatever it names.
   */
  async create(user: SessionUser, value: string): Promise<{ id: string; url: string }> {
    const choice = (await this.choices(user)).options.find((option) => option.id === value);
    if (!choice) throw new ValidationError({ calendar: { key: 'validation.isUuid' } });
    const [scope, id] = value.split(':') as [FeedScope, string];
    const target = await this.target(user, scope, id);
    const token = newToken();
    const feed = await this.unitOfWork.transaction(async (m) => {
      const open = await m.countBy(CalendarFeed, { userId: user.id, revokedAt: IsNull() });
      if (open >= MAX_OPEN_FEEDS) throw new ValidationError({ calendar: { key: 'calendarFeeds.tooMany', params: { max: MAX_OPEN_FEEDS } } });
      const saved = await m.save(m.create(CalendarFeed, {
        userId: user.id, tokenHash: hashToken(token), scope, homeId: target.homeId, unitId: target.unitId, residentId: target.residentId, revokedAt: null, lastReadAt: null,
      }));
      await this.audit.record(m, {
        action: 'create', userId: user.id, role: user.role, entityType: 'calendar_feed', entityId: saved.id, homeId: target.homeId,
        changes: { scope: { old: null, new: scope }, ...(target.unitId ? { unitId: { old: null, new: target.unitId } } : {}), ...(target.residentId ? { residentId: { old: null, new: target.residentId } } : {}) },
      });
      return saved;
    });
    return { id: feed.id, url: this.urlOf(token) };
  }

  /** Ends one of the user's own feeds: its address answers 404 from now on. Anyone else's is 404. */
  async revoke(user: SessionUser, id: string): Promise<void> {
    await this.unitOfWork.transaction(async (m) => {
      const feed = await m.findOneBy(CalendarFeed, { id, userId: user.id, revokedAt: IsNull() });
      if (!feed) throw new NotFoundError();
      feed.revokedAt = new Date();
      await m.save(feed);
      await this.audit.record(m, {
        action: 'revoke', userId: user.id, role: user.role, entityType: 'calendar_feed', entityId: feed.id, homeId: feed.homeId,
        changes: { revokedAt: { old: null, new: feed.revokedAt.toISOString() } },
      });
    });
  }

  /** The iCalendar document at a feed's address; 404 for a token that is unknown, revoked or no longer its owner's to read. */
  async read(token: string, now = new Date()): Promise<string> {
    if (!isTokenShaped(token)) throw new NotFoundError();
    const feed = await this.feeds.findOneBy({ tokenHash: hashToken(token), revokedAt: IsNull() });
    const user = feed ? await this.auth.findSessionUser(feed.userId) : null;
    if (!feed || !user || !user.homeIds.includes(feed.homeId)) throw new NotFoundError();
    const from = new Date(now.getTime() - FEED_PAST_DAYS * DAY_MS);
    const to = new Date(now.getTime() + FEED_FUTURE_DAYS * DAY_MS);
    const places = await this.homes.places([feed.homeId]);
    const home = places.homes.get(feed.homeId)!;
    let name: string;
    let events: FeedEvent[];
    if (feed.scope === 'resident') {
      const { resident, activities } = await this.portal.familyCalendar(user, feed.residentId!, from, to);
      name = translate(user.locale, 'calendarFeeds.residentCalendarName', { resident: resident.fullName, home: home.name });
      events = activities.map((a) => ({
        id: a.id, title: a.title, start: a.startsAt, end: new Date(a.startsAt.getTime() + a.durationMinutes * 60_000),
        location: [a.location, a.unitName].filter(Boolean).join(', ') || null,
        description: [a.invited ? translate(user.locale, 'calendarFeeds.invited', { resident: resident.displayName }) : null, a.typeName || null, a.description].filter(Boolean).join('\n') || null,
        url: `${this.config.publicUrl}/portal/residents/${resident.id}`, cancelled: a.status === 'cancelled',
      }));
    } else {
      if (!can(user, 'homeStaff')) throw new NotFoundError();
      const unit = feed.unitId ? places.units.get(feed.unitId) : null;
      if (feed.scope === 'unit' && !unit) throw new NotFoundError();
      const listed = await this.activities.listBetween(user, from, to, { homeId: feed.homeId, unitId: feed.unitId ?? undefined, includeCancelled: true }, places);
      const texts = await this.activities.textsOf(listed.map((a) => a.id));
      name = unit
        ? translate(user.locale, 'calendarFeeds.unitCalendarName', { unit: unit.name, home: home.name })
        : translate(user.locale, 'calendarFeeds.homeCalendarName', { home: home.name });
      const wholeHome = translate(user.locale, 'calendarFeeds.wholeHome');
      events = listed.map((a) => ({
        id: a.id, title: a.title, start: a.startsAt, end: new Date(a.startsAt.getTime() + a.durationMinutes * 60_000), location: a.location,
        description: [
          [a.typeName, a.unitName ?? wholeHome].filter(Boolean).join(' · '),
          translate(user.locale, 'calendarFeeds.invitedCount', { n: a.rosterCount }),
          texts.get(a.id)?.description ?? null,
        ].filter(Boolean).join('\n'),
        url: `${this.config.publicUrl}/activities/${a.id}`, cancelled: a.status === 'cancelled',
      }));
    }
    await this.noteRead(feed, now);
    return icsOf({ name, zone: home.timezone, host: new URL(this.config.publicUrl).hostname }, events, now);
  }

  /** The feed's address as a calendar app is given it. */
  private urlOf(token: string): string {
    return `${this.config.publicUrl}/calendar-feeds/${token}.ics`;
  }

  /** The home, unit or resident a choice names, checked again as the feed's owner may reach it. */
  private async target(user: SessionUser, scope: FeedScope, id: string): Promise<{ homeId: string; unitId: string | null; residentId: string | null }> {
    if (scope === 'resident') {
      const resident = (await this.portal.followedResidents(user)).find((r) => r.id === id);
      if (!resident) throw new ValidationError({ calendar: { key: 'validation.isUuid' } });
      return { homeId: resident.homeId, unitId: null, residentId: resident.id };
    }
    if (scope === 'unit') {
      const unit = (await this.homes.places(user.homeIds)).units.get(id);
      if (!unit) throw new ValidationError({ calendar: { key: 'validation.isUuid' } });
      return { homeId: unit.homeId, unitId: unit.id, residentId: null };
    }
    if (!user.homeIds.includes(id)) throw new ValidationError({ calendar: { key: 'validation.isUuid' } });
    return { homeId: id, unitId: null, residentId: null };
  }

  /** Each feed's name as its owner reads it: the home, the unit and its home, or the resident. */
  private async labels(user: SessionUser, rows: CalendarFeed[]): Promise<Map<string, string>> {
    if (rows.length === 0) return new Map();
    const places = await this.homes.places([...new Set(rows.map((row) => row.homeId))]);
    const residents = rows.some((row) => row.scope === 'resident') ? new Map((await this.portal.followedResidents(user)).map((r) => [r.id, r.fullName])) : new Map<string, string>();
    return new Map(rows.map((row) => {
      const home = places.homes.get(row.homeId)?.name ?? '';
      if (row.scope === 'unit') return [row.id, translate(user.locale, 'calendarFeeds.unitCalendarName', { unit: places.units.get(row.unitId!)?.name ?? '', home })];
      if (row.scope === 'resident') return [row.id, translate(user.locale, 'calendarFeeds.residentCalendarName', { resident: residents.get(row.residentId!) ?? '', home })];
      return [row.id, translate(user.locale, 'calendarFeeds.homeCalendarName', { home })];
    }));
  }

  /** Writes down when the feed was read, once an hour at most (the account page shows it). */
  private async noteRead(feed: CalendarFeed, now: Date): Promise<void> {
    if (feed.lastReadAt && now.getTime() - feed.lastReadAt.getTime() < READ_NOTED_EVERY_MS) return;
    await this.unitOfWork.transaction(async (m) => {
      await m.update(CalendarFeed, { id: feed.id }, { lastReadAt: now });
    });
  }
}
