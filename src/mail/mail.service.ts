import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import Handlebars from 'handlebars';
import { Brackets, EntityManager, LessThan, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { SessionUser } from '../common/access/session-user';
import { NotFoundError } from '../common/errors/domain-errors';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { UnitOfWork } from '../database/unit-of-work';
import { likeEscaped } from '../database/sql';
import { MailMessage } from './entities/mail-message.entity';
import { renderMail } from './mail-renderer';
import { MAIL_TRANSPORT, MailTransport } from './mail-transport';
import type { MailStatus, MailTemplate } from './mail.enums';

export interface EnqueueMail {
  to: string;
  template: MailTemplate;
  /** The recipient's language (their account's, or the home's for someone without one). */
  locale: string;
  params: Record<string, string | number>;
  homeId?: string | null;
  /** Who caused the mail, for the audit entry; null for the app itself (a scheduled digest). */
  by?: Pick<SessionUser, 'id' | 'role'> | null;
}

export interface OutboxRow {
  id: string;
  to: string;
  subject: string;
  /** What admins are told: a claim in progress still reads as waiting. */
  status: Exclude<MailStatus, 'sending'>;
  attempts: number;
  createdAt: Date;
  sentAt: Date | null;
  nextAttemptAt: Date | null;
  lastError: string | null;
  canResend: boolean;
}

export interface OutboxMail extends OutboxRow {
  locale: string;
  text: string;
}

export interface OutboxPage {
  rows: OutboxRow[];
  page: number;
  pages: number;
  total: number;
}

export interface MentioningMail {
  queuedAt: Date;
  template: string;
  status: MailStatus;
  subject: string;
  text: string;
}

const PAGE_SIZE = 25;


/**
 * The outbox: mails are written in the recipient's language inside the caller's unit of work and
 * sent later by `MailWorker`, so no request waits on an SMTP server and a mail is never lost with a
 * rolled-back write (or written without one).
 */
@Injectable()
export class MailService {
  constructor(
    @InjectRepository(MailMessage) private readonly outbox: Repository<MailMessage>,
    @Inject(MAIL_TRANSPORT) private readonly transport: MailTransport | null,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditService,
  ) {}

  /** Whether mail leaves the app; without SMTP_URL every mail is kept here for admins to read. */
  get sending(): { server: string; from: string } | null {
    return this.transport ? { server: this.transport.server, from: this.config.mail.from } : null;
  }

  /** Writes the mail and puts it in the outbox, inside the caller's transaction. Nothing is sent here. */
  async enqueue(m: EntityManager, input: EnqueueMail): Promise<MailMessage> {
    // Addresses come from validated records and forms; a line break would be a header of its own.
    if (/[\r\n]/.test(input.to) || !input.to.includes('@')) throw new Error('mail: not one address');
    const rendered = renderMail(input.template, input.locale, input.params);
    const mail = await m.save(m.create(MailMessage, {
      homeId: input.homeId ?? null,
      toAddress: input.to.trim(),
      locale: rendered.locale,
      template: input.template,
      subject: rendered.subject.slice(0, 300),
      textBody: rendered.text,
      htmlBody: rendered.html,
      status: this.transport ? 'waiting' : 'kept',
      attempts: 0,
      nextAttemptAt: new Date(),
      claimToken: null,
      claimedUntil: null,
      sentAt: null,
      lastError: null,
    }));
    // The body stays out of the audit chain, which can never be erased; the outbox row can.
    await this.audit.record(m, {
      action: 'create', userId: input.by?.id ?? null, role: input.by?.role ?? null, entityType: 'mail', entityId: mail.id,
      homeId: mail.homeId, changes: { template: { old: null, new: input.template }, status: { old: null, new: mail.status } },
    });
    return mail;
  }

  /** A test mail from an admin to an address, in the admin's language. */
  async sendTest(user: SessionUser, to: string, locale: string): Promise<MailStatus> {
    const mail = await this.unitOfWork.transaction((m) =>
      this.enqueue(m, { to, template: 'test', locale, params: { sender: user.displayName }, by: user }),
    );
    return mail.status;
  }

  /** The outbox, newest first; a page past the end shows the last one. */
  async list(requestedPage = 1): Promise<OutboxPage> {
    const total = await this.outbox.count();
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const page = Math.min(Math.max(1, requestedPage), pages);
    const mails = await this.outbox.find({
      order: { createdAt: 'DESC', id: 'DESC' },
      skip: (page - 1) * PAGE_SIZE,
      take: PAGE_SIZE,
      select: { id: true, toAddress: true, subject: true, status: true, attempts: true, createdAt: true, sentAt: true, nextAttemptAt: true, lastError: true },
    });
    return { rows: mails.map((mail) => this.row(mail)), page, pages, total };
  }

  async get(id: string): Promise<OutboxMail> {
    const mail = await this.outbox.findOneBy({ id });
    if (!mail) throw new NotFoundError();
    return { ...this.row(mail), locale: mail.locale, text: mail.textBody };
  }

  /**
   * Puts a failed mail (or a kept one, once a server is configured) back in the queue with its tries
   * counted afresh. False when the mail is not in such a state (sent, or already waiting).
   */
  async resend(user: SessionUser, id: string): Promise<boolean> {
    return this.unitOfWork.transaction(async (m) => {
      const mail = await m.findOneBy(MailMessage, { id });
      if (!mail) throw new NotFoundError();
      if (!this.resendable(mail.status)) return false;
      // Without a server a failed mail (failed before SMTP_URL was removed) is kept, not queued for nobody.
      const status = this.transport ? 'waiting' : 'kept';
      await m.update(MailMessage, { id, status: mail.status }, {
        status, attempts: 0, nextAttemptAt: new Date(), lastError: null, claimToken: null, claimedUntil: null,
      });
      await this.audit.record(m, {
        action: 'update', userId: user.id, role: user.role, entityType: 'mail', entityId: id, homeId: mail.homeId,
        changes: { status: { old: mail.status, new: status } },
      });
      return true;
    });
  }

  /**
   * Mails of a home that name someone (any of `names`, as written), oldest first: a resident's
   * subject-access export lists them. The recipient is left out: it is someone else's address.
   */
  async mentioning(m: EntityManager, homeId: string, names: string[]): Promise<MentioningMail[]> {
    const needles = names.filter((name) => name.trim().length > 0);
    if (needles.length === 0) return [];
    const qb = m.createQueryBuilder(MailMessage, 'mail').where('mail.homeId = :homeId', { homeId })
      .andWhere(new Brackets((any) => needles.forEach((name, i) => {
        any.orWhere(`mail.subject LIKE :name${i} ESCAPE '\\'`, { [`name${i}`]: `%${likeEscaped(name)}%` })
          .orWhere(`mail.textBody LIKE :name${i} ESCAPE '\\'`);
      })))
      .orderBy('mail.createdAt', 'ASC').addOrderBy('mail.id', 'ASC');
    return (await qb.getMany()).map((mail) => ({ queuedAt: mail.createdAt, template: mail.template, status: mail.status, subject: mail.subject, text: mail.textBody }));
  }

  /**
   * Replaces `names` with `placeholder` in the subject, text and HTML of a home's mails, sent or not,
   * inside the caller's transaction (a resident's erasure). Returns how many mails changed. A mail
   * still waiting goes out with the placeholder.
   */
  async scrubMentions(m: EntityManager, homeId: string, names: string[], placeholder: string): Promise<number> {
    const needles = names.filter((name) => name.trim().length > 0);
    if (needles.length === 0) return 0;
    const qb = m.createQueryBuilder(MailMessage, 'mail').where('mail.homeId = :homeId', { homeId })
      .andWhere(new Brackets((any) => needles.forEach((name, i) => {
        any.orWhere(`mail.subject LIKE :name${i} ESCAPE '\\'`, { [`name${i}`]: `%${likeEscaped(name)}%` })
          .orWhere(`mail.textBody LIKE :name${i} ESCAPE '\\'`)
          .orWhere(`mail.htmlBody LIKE :html${i} ESCAPE '\\'`, { [`html${i}`]: `%${likeEscaped(Handlebars.escapeExpression(name))}%` });
      })));
    const replace = (text: string, escape: boolean) =>
      needles.reduce((out, name) => (escape ? out.split(Handlebars.escapeExpression(name)).join(Handlebars.escapeExpression(placeholder)) : out.split(name).join(placeholder)), text);
    let changed = 0;
    for (const mail of await qb.getMany()) {
      await m.update(MailMessage, { id: mail.id }, {
        subject: replace(mail.subject, false).slice(0, 300), textBody: replace(mail.textBody, false), htmlBody: replace(mail.htmlBody, true),
      });
      changed += 1;
    }
    return changed;
  }

  /**
   * Retention (src/retention): deletes mail sent before `before`. Failed and kept mail stays, for
   * admins to read and resend at *Mail*; mail not yet sent is never touched. Returns how many went.
   */
  async pruneSent(before: Date): Promise<number> {
    const result = await this.unitOfWork.transaction((m) => m.delete(MailMessage, { status: 'sent', sentAt: LessThan(before) }));
    return result.affected ?? 0;
  }

    private resendable(status: MailStatus): boolean {
    return status === 'failed' || (status === 'kept' && this.transport !== null);
  }

  private row(mail: MailMessage): OutboxRow {
    const status = mail.status === 'sending' ? 'waiting' : mail.status;
    return {
      id: mail.id, to: mail.toAddress, subject: mail.subject, status, attempts: mail.attempts, createdAt: mail.createdAt,
      sentAt: mail.sentAt, nextAttemptAt: status === 'waiting' ? mail.nextAttemptAt : null, lastError: mail.lastError,
      canResend: this.resendable(mail.status),
    };
  }
}
