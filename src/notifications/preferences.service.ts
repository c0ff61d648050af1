import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Role } from '../auth/auth.enums';
import type { SessionUser } from '../common/access/session-user';
import { ValidationError } from '../common/errors/domain-errors';
import { isUniqueViolation } from '../database/unique-violation';
import { UnitOfWork } from '../database/unit-of-work';
import { NotificationPreference } from './entities/notification-preference.entity';
import { defaultMode, NOTIFICATION_MODES, NotificationMode } from './notifications.enums';

export interface PreferenceView {
  mode: NotificationMode;
  /** False while the role's default applies (the user has never chosen). */
  chosen: boolean;
}

/** Each user's choice of how to hear of notifications: in the app only, a mail each, or a daily digest. */
@Injectable()
export class PreferencesService {
  constructor(
    @InjectRepository(NotificationPreference) private readonly preferences: Repository<NotificationPreference>,
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditService,
  ) {}

  /** The signed-in user's own choice (or their role's default). */
  async get(user: Pick<SessionUser, 'id' | 'role'>): Promise<PreferenceView> {
    const row = await this.unitOfWork.manager.findOne(NotificationPreference, { select: { mode: true }, where: { userId: user.id } });
    return row ? { mode: row.mode, chosen: true } : { mode: defaultMode(user.role), chosen: false };
  }

  async modeOf(user: Pick<SessionUser, 'id' | 'role'>): Promise<NotificationMode> {
    return (await this.get(user)).mode;
  }

  /** The modes of several users in one query; inside a transaction, pass its manager. */
  async modesOf(m: EntityManager, users: { id: string; role: Role }[]): Promise<Map<string, NotificationMode>> {
    if (users.length === 0) return new Map();
    const rows = await m.find(NotificationPreference, { select: { userId: true, mode: true }, where: { userId: In(users.map((u) => u.id)) } });
    const chosen = new Map(rows.map((row) => [row.userId, row.mode]));
    return new Map(users.map((u) => [u.id, chosen.get(u.id) ?? defaultMode(u.role)]));
  }

  /** Records the user's choice, audited with the old and new mode. Only the user sets their own. */
  async set(user: SessionUser, mode: unknown): Promise<PreferenceView> {
    if (typeof mode !== 'string' || !(NOTIFICATION_MODES as readonly string[]).includes(mode)) {
      throw new ValidationError({ mode: { key: 'validation.isIn' } });
    }
    const next = mode as NotificationMode;
    try {
      return await this.write(user, next);
    } catch (error) {
      // Two first choices at once: the other one made the row, so this one is an update of it.
      if (isUniqueViolation(error)) return this.write(user, next);
      throw error;
    }
  }

  private write(user: SessionUser, next: NotificationMode): Promise<PreferenceView> {
    return this.unitOfWork.transaction(async (m) => {
      const row = await m.findOneBy(NotificationPreference, { userId: user.id });
      const old = row?.mode ?? defaultMode(user.role);
      let id = row?.id;
      if (!row) id = (await m.save(m.create(NotificationPreference, { userId: user.id, mode: next }))).id;
      else if (row.mode !== next) await m.update(NotificationPreference, { id: row.id }, { mode: next });
      if (!row || row.mode !== next) {
        await this.audit.record(m, {
          action: row ? 'update' : 'create', userId: user.id, role: user.role, entityType: 'notification_preference', entityId: id!,
          homeId: null, changes: { mode: { old, new: next } },
        });
      }
      return { mode: next, chosen: true };
    });
  }
}
