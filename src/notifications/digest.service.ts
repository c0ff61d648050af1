import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Brackets, EntityManager, LessThan } from 'typeorm';
import { AuthService, MailContact } from '../auth/auth.service';
import { formatDate, formatDateTime } from '../common/views/format';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { isUniqueViolation } from '../database/unique-violation';
import { UnitOfWork } from '../database/unit-of-work';
import { HomesService } from '../homes/homes.service';
import { DEFAULT_TIMEZONE } from '../homes/places';
import { MailService } from '../mail/mail.service';
import { digestDue, DigestDue } from './digest-schedule';
import { DigestRun } from './entities/digest-run.entity';
import { Notification } from './entities/notification.entity';
import { notificationText } from './notification-text';
import { NotificationsService, PREFERENCES_PATH } from './notifications.service';
import { PreferencesService } from './preferences.service';

/** How often each process looks for digests due; a digest goes out within this of the hour. */
export const DIGEST_POLL_MS = 5 * 60_000;
const INTERVAL_NAME = 'notification-digest';
/** A first digest (or one after a long pause) reaches back this far, no further. */
const LOOKBACK_MS = 7 * 24 * 60 * 60_000;
/**
 * Digest runs older than this are deleted by each pass: only a user's last run matters (where the next
 * digest starts), and one older than the look-back starts nothing earlier than the look-back does.
 */
const KEEP_RUNS_MS = 30 * 24 * 60 * 60_000;
/** Lines in one digest; more are counted, not listed. */
const MAX_ITEMS = 50;

export interface DigestPass {
  /** Old digest runs deleted (technical records, kept 30 days). */
  pruned: number;
  /** Users who chose the digest and have unread notifications. */
  candidates: number;
  /** Digests queued by this pass. */
  sent: number;
  /** Digests another process (or an earlier pass) had already claimed for the day. */
  taken: number;
}

type Outcome = 'sent' | 'taken' | 'nothing';

/**
 * The daily digest: once a user's home has passed the digest hour, one mail listing their unread
 * notifications since the last digest. Every process runs the job; a user's digest for a local day
 * is claimed by inserting its `digest_run` row, unique on (user, day), in the transaction that queues
 * the mail. A second process doing the same at the same moment fails on that index (on PostgreSQL
 * its insert waits for the first transaction, then finds the row; on SQLite writes run one at a
 * time) and rolls back, mail included. So a digest is queued once, and the outbox sends it once.
 */
@Injectable()
export class DigestService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(DigestService.name);
  private running: Promise<DigestPass> | null = null;
  private stopped = false;

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly auth: AuthService,
    private readonly homes: HomesService,
    private readonly preferences: PreferencesService,
    private readonly notifications: NotificationsService,
    private readonly mail: MailService,
    private readonly scheduler: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Tests start the job themselves (or call runDue with their own clock). */
  onApplicationBootstrap(): void {
    if (this.config.nodeEnv !== 'test') this.start();
  }

  /** Runs a pass every `intervalMs`, in this process; idempotent. */
  start(intervalMs = DIGEST_POLL_MS): void {
    if (this.scheduler.doesExist('interval', INTERVAL_NAME)) return;
    this.stopped = false;
    const timer = setInterval(() => void this.tick(), intervalMs);
    timer.unref();
    this.scheduler.addInterval(INTERVAL_NAME, timer);
  }

  /** Stops the job and waits for a pass in progress to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.scheduler.doesExist('interval', INTERVAL_NAME)) this.scheduler.deleteInterval(INTERVAL_NAME);
    if (this.running) await this.running.catch(() => undefined);
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }

  private async tick(): Promise<void> {
    if (this.running || this.stopped) return;
    try {
      await this.runDue();
    } catch (error) {
      this.logger.warn(`Digest: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** One pass at `now` (a parameter, so tests choose the morning). A pass already running in this process is joined. */
  runDue(now = new Date()): Promise<DigestPass> {
    if (this.running) return this.running;
    const run = this.pass(now).finally(() => {
      if (this.running === run) this.running = null;
    });
    this.running = run;
    return run;
  }

  private async pass(now: Date): Promise<DigestPass> {
    const result: DigestPass = { pruned: 0, candidates: 0, sent: 0, taken: 0 };
    result.pruned = await this.unitOfWork.transaction(async (m) => (await m.delete(DigestRun, { upTo: LessThan(new Date(now.getTime() - KEEP_RUNS_MS)) })).affected ?? 0);
    const reader = this.unitOfWork.manager;
    const ids = (await reader
      .createQueryBuilder(Notification, 'n')
      .select('DISTINCT n.userId', 'userId')
      .where('n.readAt IS NULL')
      .andWhere('n.createdAt >= :from AND n.createdAt < :now', { from: new Date(now.getTime() - LOOKBACK_MS - 24 * 60 * 60_000), now })
      .getRawMany<{ userId: string }>()).map((row) => row.userId);
    const contacts = await this.auth.enabledContacts(reader, ids);
    const modes = await this.preferences.modesOf(reader, contacts);
    const digestUsers = contacts.filter((user) => modes.get(user.id) === 'digest');
    result.candidates = digestUsers.length;
    // A user's digest follows the clock of their (first) home; an account without a home, Rome's.
    const zones = await this.homes.timezones(digestUsers.flatMap((user) => user.homeIds.slice(0, 1)), reader);
    for (const user of digestUsers) {
      if (this.stopped) break;
      const zone = (user.homeIds[0] && zones.get(user.homeIds[0])) || DEFAULT_TIMEZONE;
      const due = digestDue(zone, now);
      if (!due) continue;
      try {
        const outcome = await this.sendOne(user, zone, due);
        if (outcome === 'sent') result.sent++;
        if (outcome === 'taken') result.taken++;
      } catch (error) {
        if (isUniqueViolation(error)) result.taken++;
        else this.logger.warn(`Digest for user ${user.id}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return result;
  }

  private sendOne(user: MailContact, zone: string, due: DigestDue): Promise<Outcome> {
    return this.unitOfWork.transaction(async (m) => {
      const last = await m.findOne(DigestRun, { where: { userId: user.id }, order: { upTo: 'DESC' } });
      if (last && last.localDate >= due.localDate) return 'taken';
      const since = last ? last.upTo : new Date(due.cutoff.getTime() - LOOKBACK_MS);
      const [items, count] = await this.unread(m, user, since, due.cutoff);
      if (count === 0) return 'nothing';
      const lines = items.map((n) => `• ${notificationText(n, user.locale)} (${formatDateTime(n.createdAt, user.locale, zone)})`);
      if (count > items.length) lines.push('…');
      const mail = await this.mail.enqueue(m, {
        to: user.email, template: 'digest', locale: user.locale, homeId: user.homeIds[0] ?? null, by: null,
        params: {
          date: formatDate(due.localDate, user.locale), count, items: lines.join('\n'),
          link: this.notifications.absolute('/notifications'), settings: this.notifications.absolute(PREFERENCES_PATH),
        },
      });
      // The claim: a second process inserting the same (user, day) fails here and rolls back its mail.
      await m.insert(DigestRun, m.create(DigestRun, { userId: user.id, localDate: due.localDate, upTo: due.cutoff, items: count, mailId: mail.id }));
      return 'sent';
    });
  }

  /** A user's unread notifications in [since, until), oldest first, about homes they still belong to (the first ones, and how many). */
  private unread(m: EntityManager, user: MailContact, since: Date, until: Date): Promise<[Notification[], number]> {
    return m
      .createQueryBuilder(Notification, 'n')
      .where('n.userId = :userId', { userId: user.id })
      .andWhere('n.readAt IS NULL')
      .andWhere('n.createdAt >= :since AND n.createdAt < :until', { since, until })
      .andWhere(new Brackets((w) => {
        w.where('n.homeId IS NULL');
        // Admins read every home's notifications without being members of any.
        if (user.role === 'admin') w.orWhere('n.homeId IS NOT NULL');
        else if (user.homeIds.length > 0) w.orWhere('n.homeId IN (:...homeIds)', { homeIds: user.homeIds });
      }))
      .orderBy('n.createdAt', 'ASC')
      .take(MAX_ITEMS)
      .getManyAndCount();
  }
}
