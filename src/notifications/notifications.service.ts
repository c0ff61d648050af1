import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, EntityManager, In, IsNull, Repository } from 'typeorm';
import { AuthService, MailContact } from '../auth/auth.service';
import type { Role } from '../auth/auth.enums';
import type { SessionUser } from '../common/access/session-user';
import { NotFoundError } from '../common/errors/domain-errors';
import { safeLocalPath } from '../common/http/safe-redirect';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { utcToLocal } from '../common/time/zoned';
import { asNumber, sqlRow } from '../database/sql';
import { UnitOfWork } from '../database/unit-of-work';
import { FamiliesService } from '../families/families.service';
import { FamilyLinksService } from '../residents/family-links.service';
import { HomesService } from '../homes/homes.service';
import { VolunteersService } from '../volunteers/volunteers.service';
import { MailService } from '../mail/mail.service';
import { Notification } from './entities/notification.entity';
import { notificationText } from './notification-text';
import { PreferencesService } from './preferences.service';

/** Who hears about new suggestions, feedback and offers in a home. */
export const INBOX_ROLES: Role[] = ['manager', 'coordinator'];

export interface NotifyInput {
  /** Particular users (an author); disabled accounts are skipped. */
  userIds?: string[];
  /** Everyone with one of these roles who is a member of `homeId`. */
  toRoles?: Role[];
  homeId?: string | null;
  kind: string;
  /** A catalogue key, translated into the reader's language when shown; a `date` param (YYYY-MM-DD) is shown as a date. */
  messageKey: string;
  params?: Record<string, string | number>;
  link?: string | null;
  /** Left out of the recipients: whoever caused it needs no message about it. */
  exceptUserIds?: (string | null | undefined)[];
  /** Who caused it, for the audit entry of the mails it queues (users who chose a mail for each notification). */
  by?: Pick<SessionUser, 'id' | 'role'> | null;
  /**
   * The new notification stands for a recipient's unread ones of the same kind and link (a conversation's
   * earlier messages): those are marked read as it is stored, so one thing to look at counts once.
   */
  supersedes?: boolean;
}

/** Notifications about one thing: a kind and the page they link to; a user's own, or every recipient's. */
export interface NotificationsAbout {
  kind: string;
  link: string;
  /** Leave out for every recipient's (a side of a conversation that staff share). */
  userId?: string;
}

export interface NotificationView {
  id: string;
  kind: string;
  messageKey: string;
  params: Record<string, string | number>;
  link: string | null;
  createdAt: Date;
  read: boolean;
}

/** What a help-offer notification needs of the offer and its activity. */
export interface OfferForNotice {
  homeId: string;
  familyMemberId: string | null;
  volunteerId: string | null;
}
export interface ActivityForNotice {
  id: string;
  homeId: string;
  title: string;
  startsAt: Date;
}

const LIST_SIZE = 50;
/** The page where a user chooses how to hear of notifications; every notification mail links to it. */
export const PREFERENCES_PATH = '/account/notifications';

/** A user's unread notifications, counted on every page (the benchmark's bare Today server runs the same statement). */
export const UNREAD_SQL = 'SELECT COUNT(*) AS n FROM notification WHERE "userId" = ? AND "readAt" IS NULL';

/** In-app messages to users, with an unread count for the page header. */
@Injectable()
export class NotificationsService {
  constructor(
    @InjectRepository(Notification) private readonly notifications: Repository<Notification>,
    private readonly unitOfWork: UnitOfWork,
    private readonly auth: AuthService,
    private readonly homes: HomesService,
    private readonly families: FamiliesService,
    private readonly familyLinks: FamilyLinksService,
    private readonly volunteers: VolunteersService,
    private readonly preferences: PreferencesService,
    private readonly mail: MailService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Stores one message per recipient, inside the caller's transaction. Returns how many were stored. */
  async notify(m: EntityManager, input: NotifyInput): Promise<number> {
    if (input.toRoles?.length && !input.homeId) throw new Error('notify: toRoles needs a homeId');
    const ids = new Set(input.userIds ?? []);
    if (input.toRoles?.length && input.homeId) {
      for (const id of await this.auth.memberIdsWithRoles(m, input.homeId, input.toRoles)) ids.add(id);
    }
    for (const except of input.exceptUserIds ?? []) if (except) ids.delete(except);
    if (ids.size === 0) return 0;
    const active = await this.auth.enabledContacts(m, [...ids]);
    if (active.length === 0) return 0;
    if (input.supersedes && input.link) {
      await m.update(Notification, { userId: In(active.map((u) => u.id)), kind: input.kind.slice(0, 30), link: input.link.slice(0, 300), readAt: IsNull() }, { readAt: new Date() });
    }
    await m.insert(Notification, active.map((user) => m.create(Notification, {
      userId: user.id, homeId: input.homeId ?? null, kind: input.kind.slice(0, 30), messageKey: input.messageKey,
      params: input.params ?? {}, link: input.link?.slice(0, 300) ?? null, readAt: null,
    })));
    await this.mailEach(m, input, active);
    return active.length;
  }

  /**
   * A mail for each recipient who asked for one per notification, queued in the same transaction (so
   * none goes out for a change that was rolled back), in the recipient's language, with the same
   * catalogue text as the page and an absolute link to what it is about.
   */
  private async mailEach(m: EntityManager, input: NotifyInput, recipients: MailContact[]): Promise<void> {
    const modes = await this.preferences.modesOf(m, recipients);
    const link = this.absolute(safeLocalPath(input.link ?? undefined, '/notifications'));
    for (const user of recipients) {
      if (modes.get(user.id) !== 'each') continue;
      await this.mail.enqueue(m, {
        to: user.email, template: 'notification', locale: user.locale, homeId: input.homeId ?? null, by: input.by ?? null,
        params: { text: notificationText({ messageKey: input.messageKey, params: input.params ?? {} }, user.locale), link, settings: this.absolute(PREFERENCES_PATH) },
      });
    }
  }

  /** A link of this site as people open it from a mail. */
  absolute(path: string): string {
    return `${this.config.publicUrl}${path}`;
  }

  /** Asked on every signed-in page (the bell in the menu). */
  async unreadCount(userId: string): Promise<number> {
    const row = await sqlRow<{ n: number | string }>(this.notifications.manager, UNREAD_SQL, [userId]);
    return asNumber(row?.n);
  }

  /** The newest messages of a user, unread and read. */
  async list(user: SessionUser): Promise<NotificationView[]> {
    const rows = await this.notifications
      .createQueryBuilder('n')
      .where('n.userId = :userId', { userId: user.id })
      // Messages about a home the user no longer belongs to are not shown.
      .andWhere(new Brackets((w) => {
        w.where('n.homeId IS NULL');
        if (user.homeIds.length > 0) w.orWhere('n.homeId IN (:...homeIds)', { homeIds: user.homeIds });
      }))
      .orderBy('n.createdAt', 'DESC')
      .take(LIST_SIZE)
      .getMany();
    return rows.map((n) => ({ id: n.id, kind: n.kind, messageKey: n.messageKey, params: n.params ?? {}, link: n.link, createdAt: n.createdAt, read: n.readAt !== null }));
  }

  async markAllRead(user: SessionUser): Promise<number> {
    return this.unitOfWork.transaction(async (m) => {
      const result = await m.update(Notification, { userId: user.id, readAt: IsNull() }, { readAt: new Date() });
      return result.affected ?? 0;
    });
  }

  /**
   * Marks read, inside the caller's transaction, the unread notifications about one thing once it has
   * been dealt with elsewhere (a conversation read or answered), so the header and the digest stop
   * telling of it. Returns how many.
   */
  async markReadAbout(m: EntityManager, about: NotificationsAbout): Promise<number> {
    const result = await m.update(Notification, {
      kind: about.kind, link: about.link, readAt: IsNull(), ...(about.userId ? { userId: about.userId } : {}),
    }, { readAt: new Date() });
    return result.affected ?? 0;
  }

  /** Marks one message read and gives the page it points to; another user's message is not found. */
  async open(user: SessionUser, id: string): Promise<string | null> {
    return this.unitOfWork.transaction(async (m) => {
      const notification = await m.findOneBy(Notification, { id, userId: user.id });
      if (!notification) throw new NotFoundError();
      if (!notification.readAt) await m.update(Notification, { id }, { readAt: new Date() });
      return notification.link;
    });
  }

  // Help offers ------------------------------------------------------------------------------
  // Called by HelpOffersService inside its transactions.

  /** Coordinators and managers of the home hear of a new offer to help. */
  async helpOfferReceived(m: EntityManager, offer: OfferForNotice, activity: ActivityForNotice, byUserId: string | null): Promise<number> {
    return this.offerNoticeToPlanners(m, offer, activity, byUserId, 'notifications.messages.helpOfferReceived');
  }

  /**
   * Those who answer offers hear that an offer was taken back: a confirmed helper stepped back (the
   * activity has lost its help), or an offer not yet answered needs no answer.
   */
  async helpOfferWithdrawn(m: EntityManager, offer: OfferForNotice, activity: ActivityForNotice, byUserId: string | null, wasConfirmed: boolean): Promise<number> {
    return this.offerNoticeToPlanners(m, offer, activity, byUserId, wasConfirmed ? 'notifications.messages.helpOfferWithdrawn' : 'notifications.messages.helpOfferWithdrawnUnanswered');
  }

  /** An offer's news for those who answer offers in the activity's home: who, which activity, when, linked to its helpers. */
  private async offerNoticeToPlanners(m: EntityManager, offer: OfferForNotice, activity: ActivityForNotice, byUserId: string | null, messageKey: string): Promise<number> {
    const [person] = offer.volunteerId
      ? await this.volunteers.briefsByIds([offer.volunteerId], m)
      : await this.families.briefsByIds([offer.familyMemberId], m);
    return this.notify(m, {
      toRoles: INBOX_ROLES, homeId: activity.homeId, kind: 'help_offer', messageKey,
      params: { name: person ? `${person.firstName} ${person.lastName}` : '—', title: activity.title, date: await this.localDate(m, activity) },
      link: `/activities/${activity.id}#helpers`, exceptUserIds: [byUserId],
    });
  }

  /** The volunteer or relative who offered hears whether they were confirmed. */
  async helpOfferAnswered(
    m: EntityManager, offer: OfferForNotice, activity: ActivityForNotice, status: 'confirmed' | 'declined', byUserId: string | null,
  ): Promise<number> {
    const userIds = offer.volunteerId
      ? await this.auth.enabledIdsOfPerson(m, 'volunteer', offer.volunteerId)
      : await this.auth.enabledIdsOfPerson(m, 'family', offer.familyMemberId);
    return this.notify(m, {
      userIds, homeId: activity.homeId, kind: 'help_offer',
      messageKey: status === 'confirmed' ? 'notifications.messages.helpOfferConfirmed' : 'notifications.messages.helpOfferDeclined',
      params: { title: activity.title, date: await this.localDate(m, activity) },
      // Volunteers open the activity page; relatives their relative's coming activities (the portal when they have several).
      link: offer.volunteerId ? `/activities/${activity.id}` : await this.relativesComing(offer.familyMemberId),
      exceptUserIds: [byUserId],
    });
  }

  private async relativesComing(familyMemberId: string | null): Promise<string> {
    const residents = familyMemberId ? await this.familyLinks.activeLinkedResidentIds(familyMemberId) : [];
    return residents.length === 1 ? `/portal/residents/${residents[0]}#coming` : '/portal';
  }

  private async localDate(m: EntityManager, activity: ActivityForNotice): Promise<string> {
    const zone = (await this.homes.timezones([activity.homeId], m)).get(activity.homeId);
    return utcToLocal(activity.startsAt, zone ?? 'Europe/Rome').date;
  }
}
