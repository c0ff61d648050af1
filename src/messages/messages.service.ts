import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, MoreThan, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { AuthService } from '../auth/auth.service';
import type { SessionUser } from '../common/access/session-user';
import { ForbiddenError, NotFoundError, ValidationError } from '../common/errors/domain-errors';
import { UnitOfWork } from '../database/unit-of-work';
import { FamiliesService } from '../families/families.service';
import { NotificationsService } from '../notifications/notifications.service';
import { FamilyLinksService, residentDisplayName } from '../residents/family-links.service';
import { ResidentBrief, ResidentsService } from '../residents/residents.service';
import { Message } from './entities/message.entity';
import { MessageRead } from './entities/message-read.entity';
import { MessageThread } from './entities/message-thread.entity';
import { HOME_SIDE_ROLES, MESSAGE_MAX_LENGTH, MessageSide } from './messages.enums';

/** The newest messages a thread shows (older ones stay in the database and in the subject-access export). */
export const THREAD_PAGE = 200;
/** The kind of the notifications a message makes. */
const NOTIFICATION_KIND = 'message';
const CURRENT = ['active', 'on_leave'];

/** One message as both sides read it: no account ids, only who wrote for which side. */
export interface MessageView {
  id: string;
  side: MessageSide;
  authorName: string;
  authorRole: string;
  body: string;
  sentAt: Date;
  /** Written by the reader. */
  mine: boolean;
  /** From the other side, and not read by the reader's side yet. */
  new: boolean;
}

export interface ThreadView {
  resident: { id: string; displayName: string; fullName: string };
  side: MessageSide;
  messages: MessageView[];
  /** The reader may write: staff of the home, or a relative whose link has "contribute" access, while the resident lives in the home. */
  canWrite: boolean;
  /** Why not, as a catalogue key, when they may not. */
  cannotWriteKey: string | null;
  /** Messages from the other side the reader's side has not read. */
  unread: number;
}

/** The resident a thread is about, as every reader's lens allows (a resident-like object carries nothing else). */
export interface ThreadResident {
  id: string;
  displayName: string;
}

export interface ThreadSummary {
  threadId: string;
  resident: ThreadResident;
  lastSide: MessageSide;
  lastMessageAt: Date;
  /** The family wrote last and the home has not answered. */
  unanswered: boolean;
  /** The home has not read the family's last message. */
  unread: boolean;
}

export interface FamilyThreadSummary {
  resident: ThreadResident;
  lastMessageAt: Date | null;
  unread: number;
}

/**
 * Messages between a home's staff (HOME_SIDE_ROLES) and a resident's linked relatives: one thread per
 * resident. A relative reaches only the threads of residents they may see in the portal (an active
 * link, family-portal consent not "none": ResidentsService.get's rule), writes only through a
 * "contribute" link; staff reach the threads of their homes. Anything else is not found.
 * Read state: the home side has read when any of its staff opens the thread (`homeReadAt`); each
 * relative's account keeps its own (`message_read`).
 */
@Injectable()
export class MessagesService {
  constructor(
    @InjectRepository(MessageThread) private readonly threads: Repository<MessageThread>,
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditService,
    private readonly auth: AuthService,
    private readonly residents: ResidentsService,
    private readonly familyLinks: FamilyLinksService,
    private readonly families: FamiliesService,
    private readonly notifications: NotificationsService,
  ) {}

  // Reading ----------------------------------------------------------------------------------

  /**
   * The thread of a resident for this reader, with the messages from the other side they have not
   * read marked new; 404 when they may not see it. Reading changes nothing (a GET stores nothing):
   * `markRead` does, from the page's button or the API.
   */
  async open(user: SessionUser, residentId: string): Promise<ThreadView> {
    const access = await this.access(user, residentId);
    const m = this.unitOfWork.manager;
    const thread = await m.findOneBy(MessageThread, { residentId: access.resident.id });
    const rows = thread
      ? (await m.find(Message, { where: { threadId: thread.id }, order: { sentAt: 'DESC' }, take: THREAD_PAGE })).reverse()
      : [];
    const names = await this.auth.displayNames(rows.map((r) => r.authorUserId));
    const readAt = thread ? await this.readAtFor(m, user, thread, access.side) : null;
    const other: MessageSide = access.side === 'home' ? 'family' : 'home';
    const isNew = (r: Message) => r.side === other && (!readAt || r.sentAt > readAt);
    const b = access.resident;
    return {
      resident: { id: b.id, displayName: residentDisplayName(b), fullName: `${b.firstName} ${b.lastName}` },
      side: access.side,
      messages: rows.map((r) => ({
        id: r.id, side: r.side, authorName: (r.authorUserId && names.get(r.authorUserId)) || '—', authorRole: r.authorRole, body: r.body, sentAt: r.sentAt,
        mine: r.authorUserId === user.id, new: isNew(r),
      })),
      canWrite: access.cannotWriteKey === null,
      cannotWriteKey: access.cannotWriteKey,
      unread: rows.filter(isNew).length,
    };
  }

  /**
   * Marks the thread read for the reader's side up to now: for the whole home when one of its staff
   * reads, for this relative's account alone when a relative does; the notifications about the
   * thread's messages go with it (`readNotifications`). Returns whether anything changed.
   */
  async markRead(user: SessionUser, residentId: string): Promise<{ marked: boolean }> {
    const access = await this.access(user, residentId);
    return this.unitOfWork.transaction(async (m) => {
      const thread = await m.findOneBy(MessageThread, { residentId: access.resident.id });
      if (!thread) return { marked: false };
      const now = new Date();
      if (access.side === 'home') await m.update(MessageThread, { id: thread.id }, { homeReadAt: now });
      else await this.upsertRead(m, thread, user.id, now);
      await this.readNotifications(m, user, access.side, access.resident.id);
      return { marked: true };
    });
  }

  /** The home's threads, newest first, with their markers; for the home side's staff. */
  async homeThreads(user: SessionUser): Promise<ThreadSummary[]> {
    if (!HOME_SIDE_ROLES.includes(user.role) || user.homeIds.length === 0) return [];
    const rows = await this.threads.find({ where: { homeId: In(user.homeIds) }, order: { lastMessageAt: 'DESC' } });
    return this.summaries(rows);
  }

  /** Threads the family wrote last in and the home has not answered, oldest first: the dashboard's list. */
  async unansweredThreads(user: SessionUser): Promise<ThreadSummary[]> {
    if (!HOME_SIDE_ROLES.includes(user.role) || user.homeIds.length === 0) return [];
    const rows = await this.threads.find({ where: { homeId: In(user.homeIds), lastSide: 'family' }, order: { lastMessageAt: 'ASC' } });
    return this.summaries(rows);
  }

  /** The relatives a family account may message, with the messages from the home they have not read. */
  async familyThreads(user: SessionUser): Promise<FamilyThreadSummary[]> {
    const residents = await this.visibleToFamily(user);
    if (residents.length === 0) return [];
    const m = this.threads.manager;
    const threads = await m.find(MessageThread, { where: { residentId: In(residents.map((r) => r.id)) } });
    const reads = threads.length ? await m.find(MessageRead, { where: { threadId: In(threads.map((t) => t.id)), userId: user.id } }) : [];
    const byResident = new Map(threads.map((t) => [t.residentId, t]));
    const readAt = new Map(reads.map((r) => [r.threadId, r.readAt]));
    const out: FamilyThreadSummary[] = [];
    for (const r of residents) {
      const thread = byResident.get(r.id);
      out.push({
        resident: { id: r.id, displayName: residentDisplayName(r) }, lastMessageAt: thread?.lastMessageAt ?? null,
        unread: thread ? await this.unreadFromHome(m, thread, readAt.get(thread.id) ?? null) : 0,
      });
    }
    return out;
  }

  /**
   * The figure beside "Messages" in the menu: for a relative, messages from the home they have not
   * read; for the home's staff, threads whose last family message the home has not read.
   */
  async unreadCount(user: SessionUser): Promise<number> {
    if (user.role === 'family') return (await this.familyThreads(user)).reduce((sum, t) => sum + t.unread, 0);
    if (!HOME_SIDE_ROLES.includes(user.role) || user.homeIds.length === 0) return 0;
    const rows = await this.threads.find({ select: { id: true, lastFamilyAt: true, homeReadAt: true }, where: { homeId: In(user.homeIds) } });
    return rows.filter(homeUnread).length;
  }

  // Writing ----------------------------------------------------------------------------------

  /** A message from the reader's side; the thread is created with its first message. */
  async write(user: SessionUser, residentId: string, input: { body?: unknown }): Promise<MessageView> {
    const body = messageBody(input.body);
    const access = await this.access(user, residentId);
    if (access.cannotWriteKey) {
      if (access.cannotWriteKey === 'messages.viewOnly') throw new ForbiddenError({ key: access.cannotWriteKey });
      throw new ValidationError({ body: { key: access.cannotWriteKey } }, { key: access.cannotWriteKey });
    }
    const resident = access.resident;
    const side = access.side;
    // Relatives to tell of a home message, found before the unit of work (it awaits nothing but the database).
    const relatives = side === 'home' ? await this.relativeAccounts(resident) : [];
    return this.unitOfWork.transaction(async (m) => {
      // One writer per resident at a time, so the first two messages cannot both create the thread.
      await this.residents.lockForUpdate(m, resident.id);
      const now = new Date();
      let thread = await m.findOneBy(MessageThread, { residentId: resident.id });
      if (!thread) {
        thread = m.create(MessageThread, {
          homeId: resident.homeId, residentId: resident.id, lastSide: side, lastMessageAt: now, lastFamilyAt: null, lastHomeAt: null, homeReadAt: null,
        });
        await m.insert(MessageThread, thread);
        await this.audit.record(m, {
          action: 'create', userId: user.id, role: user.role, entityType: 'message_thread', entityId: thread.id, homeId: resident.homeId,
          changes: { residentId: { old: null, new: resident.id } },
        });
      }
      const message = m.create(Message, {
        homeId: resident.homeId, threadId: thread.id, authorUserId: user.id, authorRole: user.role, side, body, sentAt: now,
      });
      await m.insert(Message, message);
      // Writing reads for one's own side: the author has seen the thread up to their message.
      await m.update(MessageThread, { id: thread.id }, {
        lastSide: side, lastMessageAt: now, ...(side === 'home' ? { lastHomeAt: now, homeReadAt: now } : { lastFamilyAt: now }),
      });
      if (side === 'family') await this.upsertRead(m, thread, user.id, now);
      await this.readNotifications(m, user, side, resident.id);
      // The fact and its size, never the text: the audit chain cannot be erased, a thread can.
      await this.audit.record(m, {
        action: 'create', userId: user.id, role: user.role, entityType: 'message', entityId: message.id, homeId: resident.homeId,
        changes: { threadId: { old: null, new: thread.id }, side: { old: null, new: side }, length: { old: null, new: body.length } },
      });
      const params = { name: user.displayName, resident: residentDisplayName(resident) };
      if (side === 'family') {
        await this.notifications.notify(m, {
          toRoles: HOME_SIDE_ROLES, homeId: resident.homeId, kind: NOTIFICATION_KIND, messageKey: 'notifications.messages.messageFromFamily', params,
          link: threadLink('home', resident.id), exceptUserIds: [user.id], supersedes: true,
        });
      } else {
        await this.notifications.notify(m, {
          userIds: relatives, homeId: resident.homeId, kind: NOTIFICATION_KIND, messageKey: 'notifications.messages.messageFromHome', params,
          link: threadLink('family', resident.id), exceptUserIds: [user.id], supersedes: true,
        });
      }
      return { id: message.id, side, authorName: user.displayName, authorRole: user.role, body, sentAt: now, mine: true, new: false };
    });
  }

  // Access -----------------------------------------------------------------------------------

  /**
   * Which side the user reads and writes for, the resident, and why they may not write (a catalogue
   * key) if so. Staff of other roles, volunteers, an unlinked relative, an ended link, consent "none"
   * and another home's resident are all not found.
   */
  private async access(user: SessionUser, residentId: string): Promise<{ side: MessageSide; resident: ResidentBrief; cannotWriteKey: string | null }> {
    if (user.role === 'family') {
      if (user.personKind !== 'family' || !user.personId) throw new NotFoundError();
      // The portal's rule: the resident as this relative may see them (active link, consent not "none"), or 404.
      await this.residents.get(user, residentId);
      const link = await this.familyLinks.linkFor(user.personId, residentId);
      if (!link?.active) throw new NotFoundError();
      const resident = await this.brief(residentId);
      const cannotWriteKey = link.access !== 'contribute' ? 'messages.viewOnly' : CURRENT.includes(resident.status) ? null : 'messages.residentNotCurrent';
      return { side: 'family', resident, cannotWriteKey };
    }
    if (!HOME_SIDE_ROLES.includes(user.role)) throw new NotFoundError();
    const resident = await this.brief(residentId);
    if (!user.homeIds.includes(resident.homeId)) throw new NotFoundError();
    return { side: 'home', resident, cannotWriteKey: CURRENT.includes(resident.status) ? null : 'messages.residentNotCurrent' };
  }

  private async brief(residentId: string): Promise<ResidentBrief> {
    const [resident] = await this.residents.briefsByIds([residentId]);
    if (!resident) throw new NotFoundError();
    return resident;
  }

  /** Residents a relative may see now (active link, consent not "none", their home), by name. */
  private async visibleToFamily(user: SessionUser): Promise<ResidentBrief[]> {
    if (user.role !== 'family' || user.personKind !== 'family' || !user.personId) return [];
    const ids = await this.familyLinks.activeLinkedResidentIds(user.personId);
    const residents = await this.residents.briefsByIds(ids);
    return residents.filter((r) => r.consentFamilyPortal !== 'none' && user.homeIds.includes(r.homeId));
  }

  /** The enabled accounts of the resident's relatives who may see the thread now. */
  private async relativeAccounts(resident: ResidentBrief): Promise<string[]> {
    if (resident.consentFamilyPortal === 'none') return [];
    const links = await this.familyLinks.activeLinksOfResident(resident.id, resident.homeId);
    const members = (await this.families.briefsByIds(links.map((l) => l.familyMemberId))).filter((f) => !f.archivedAt && f.homeId === resident.homeId);
    const ids: string[] = [];
    for (const member of members) ids.push(...(await this.auth.enabledIdsOfPerson(this.threads.manager, 'family', member.id)));
    return ids;
  }

  /**
   * The notifications about a thread's messages follow its read state: when a relative reads or writes,
   * their own; when one of the home's staff does, every coordinator's and manager's, since the home's
   * side is shared (one `homeReadAt`, one "unanswered" marker): what one of them has read or answered
   * is no longer new for the home.
   */
  private async readNotifications(m: EntityManager, user: SessionUser, side: MessageSide, residentId: string): Promise<void> {
    await this.notifications.markReadAbout(m, { kind: NOTIFICATION_KIND, link: threadLink(side, residentId), ...(side === 'family' ? { userId: user.id } : {}) });
  }

  private async readAtFor(m: EntityManager, user: SessionUser, thread: MessageThread, side: MessageSide): Promise<Date | null> {
    if (side === 'home') return thread.homeReadAt;
    return (await m.findOneBy(MessageRead, { threadId: thread.id, userId: user.id }))?.readAt ?? null;
  }

  private async upsertRead(m: EntityManager, thread: MessageThread, userId: string, at: Date): Promise<void> {
    const existing = await m.findOneBy(MessageRead, { threadId: thread.id, userId });
    if (existing) await m.update(MessageRead, { id: existing.id }, { readAt: at });
    else await m.insert(MessageRead, m.create(MessageRead, { homeId: thread.homeId, threadId: thread.id, userId, readAt: at }));
  }

  private async unreadFromHome(m: EntityManager, thread: MessageThread, readAt: Date | null): Promise<number> {
    if (!thread.lastHomeAt || (readAt && thread.lastHomeAt <= readAt)) return 0;
    return m.count(Message, { where: { threadId: thread.id, side: 'home', ...(readAt ? { sentAt: MoreThan(readAt) } : {}) } });
  }

  private async summaries(rows: MessageThread[]): Promise<ThreadSummary[]> {
    const residents = new Map((await this.residents.briefsByIds(rows.map((t) => t.residentId))).map((r) => [r.id, r]));
    return rows.filter((t) => residents.has(t.residentId)).map((t) => ({
      threadId: t.id, resident: { id: t.residentId, displayName: residentDisplayName(residents.get(t.residentId)!) }, lastSide: t.lastSide,
      lastMessageAt: t.lastMessageAt, unanswered: t.lastSide === 'family', unread: homeUnread(t),
    }));
  }
}

/** The page a side reads a resident's thread on: where its notifications link, and how they are found again once read. */
function threadLink(side: MessageSide, residentId: string): string {
  return side === 'home' ? `/residents/${residentId}/messages` : `/portal/residents/${residentId}/messages`;
}

function homeUnread(t: Pick<MessageThread, 'lastFamilyAt' | 'homeReadAt'>): boolean {
  return t.lastFamilyAt !== null && (t.homeReadAt === null || t.lastFamilyAt > t.homeReadAt);
}

/** The text of a message: required, trimmed, at most MESSAGE_MAX_LENGTH characters; bad input names the field. */
export function messageBody(value: unknown): string {
  if (value === undefined || value === null) throw new ValidationError({ body: { key: 'validation.isNotEmpty' } });
  if (typeof value !== 'string') throw new ValidationError({ body: { key: 'validation.isString' } });
  const text = messageText(value);
  if (text === '') throw new ValidationError({ body: { key: 'validation.isNotEmpty' } });
  if (text.length > MESSAGE_MAX_LENGTH) throw new ValidationError({ body: { key: 'validation.maxLength', params: { n: MESSAGE_MAX_LENGTH } } });
  return text;
}

/**
 * A message's text as stored and counted: trimmed, each line break one LF. A browser sends a
 * textarea's line breaks as CR LF, but counts them as one character while the reader types.
 */
export function messageText(value: string): string {
  return value.replace(/\r\n?/g, '\n').trim();
}
