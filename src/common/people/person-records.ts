import { isUUID } from 'class-validator';
import { EntityManager } from 'typeorm';
import { type AuditService, diffFields } from '../../audit/audit.service';
import type { PersonKind, Role } from '../../auth/auth.enums';
import type { AuthService } from '../../auth/auth.service';
import type { EmailChangeService } from '../../auth/email-change.service';
import type { AccountStatus, InvitationsService, IssuedInvitation } from '../../auth/invitations.service';
import type { UnitOfWork } from '../../database/unit-of-work';
import { findInHomes } from '../access/home-scope';
import type { SessionUser } from '../access/session-user';
import type { PersonEntity } from '../entities/base.entity';
import { NotFoundError, ValidationError } from '../errors/domain-errors';

/** "Maria Rossi": how a person record is named in pages, flashes, invitations and the audit. */
export function personName(person: { firstName: string; lastName: string }): string {
  return `${person.firstName} ${person.lastName}`;
}

/** What makes one kind of person record (staff member, volunteer, family member) itself. */
export interface PersonRecordKind<E extends PersonEntity> {
  entity: new () => E;
  /** The audit log's name for it: "staff_member". */
  entityType: string;
  /** Whose account an invitation makes. */
  personKind: PersonKind;
  /** The fields a person edits; the audit log records changes to exactly these. */
  fields: readonly (keyof E & string)[];
  /** Whether the record is archived, and what archiving sets (and the audit log records of it). */
  isArchived(record: E): boolean;
  archiving(record: E): { set: Partial<E>; changes: ReturnType<typeof diffFields> };
  /** What un-archiving sets: the record is current again. */
  unarchiving(record: E): { set: Partial<E>; changes: ReturnType<typeof diffFields> };
  /**
   * Runs in the transaction of every write of a record (made, edited, archived, brought back) with it
   * as it was (null when new) and as it is now: a kind keeps its own history here (volunteers).
   */
  afterWrite?(m: EntityManager, before: E | null, after: E): Promise<void>;
}

/** Staff and volunteers are archived by leaving. */
export const ARCHIVED_BY_LEAVING = {
  isArchived: (record: { status: string }) => record.status === 'left',
  archiving: (record: { status: string }) => ({ set: { status: 'left' as const }, changes: diffFields(record, { status: 'left' }, ['status']) }),
  unarchiving: (record: { status: string }) => ({ set: { status: 'active' as const }, changes: diffFields(record, { status: 'active' }, ['status']) }),
};

export interface PersonRecordServices {
  unitOfWork: UnitOfWork;
  audit: AuditService;
  auth: AuthService;
  invitations: InvitationsService;
  emailChanges: EmailChangeService;
}

/**
 * The flows every person record shares: find it in the user's homes; create, edit and archive it
 * with an audit entry in the same transaction; invite the person to an account. Each feature's
 * service keeps what is its own (its fields, its checks, its views) and calls these for the rest.
 */
export class PersonRecords<E extends PersonEntity> {
  constructor(private readonly kind: PersonRecordKind<E>, private readonly services: PersonRecordServices) {
    // A confirmed change of the person's account address writes the record's address in the same transaction.
    services.emailChanges.registerPersonRecord(kind.personKind, async (m, by, personId, email) => {
      const record = await m.findOneBy(kind.entity, { id: personId } as never);
      if (!record || record.email === email) return;
      await m.update(kind.entity, { id: personId }, { email } as never);
      await services.audit.record(m, {
        action: 'update', userId: by.id, role: by.role, entityType: kind.entityType, entityId: personId, homeId: record.homeId,
        changes: { email: { old: record.email, new: email } },
      });
    });
  }

  /** The record, if it belongs to one of the user's homes; otherwise not found. */
  find(m: EntityManager, user: SessionUser, id: string): Promise<E> {
    // An id that is not one would make PostgreSQL's uuid column fail the query; it is simply not found.
    if (!isUUID(id)) throw new NotFoundError();
    return findInHomes(m, this.kind.entity, user, id);
  }

  /**
   * Creates a record in a home. `user` is null only for trusted callers (seeding, tests). Runs in the
   * caller's transaction when one is passed.
   */
  create(user: SessionUser | null, homeId: string, fields: Partial<E>, manager?: EntityManager): Promise<E> {
    const { entity, entityType } = this.kind;
    const work = async (m: EntityManager) => {
      if (user) await this.checkEmailFree(m, homeId, fields.email ?? null, null);
      const record = m.create(entity, { ...fields, homeId } as E);
      await m.insert(entity, record as never);
      await this.kind.afterWrite?.(m, null, record);
      await this.services.audit.record(m, {
        action: 'create', userId: user?.id, role: user?.role, entityType, entityId: record.id, homeId,
        changes: diffFields({}, record, this.kind.fields),
      });
      return record;
    };
    return manager ? work(manager) : this.services.unitOfWork.transaction(work);
  }

  /**
   * Saves the edited fields when any changed; `check` may refuse the edit on the record as stored.
   * An edit that archives the record (status "left") disables the person's account in the same
   * transaction, as archiving does; one that brings it back re-enables it. A new email address of a
   * person with an account waits for the link mailed to it: the record keeps the old one till then.
   */
  update(user: SessionUser, id: string, requested: Partial<E>, check?: (record: E) => void): Promise<E> {
    const { entity, entityType } = this.kind;
    return this.services.unitOfWork.transaction(async (m) => {
      const record = await this.find(m, user, id);
      check?.(record);
      let next = requested;
      if ('email' in requested && (requested.email ?? '').trim().toLowerCase() !== (record.email ?? '').trim().toLowerCase()) {
        // Only a new address is checked: an edit of a record that shared one before the check keeps working.
        await this.checkEmailFree(m, record.homeId, requested.email ?? null, id);
        const waits = await this.services.emailChanges.requestForPerson(m, user, this.kind.personKind, id, requested.email ?? null);
        if (waits) next = { ...requested, email: record.email };
      }
      const changes = diffFields(record, next, this.kind.fields);
      if (Object.keys(changes).length === 0) return record;
      await m.update(entity, { id }, next as never);
      await this.services.audit.record(m, { action: 'update', userId: user.id, role: user.role, entityType, entityId: id, homeId: record.homeId, changes });
      const saved = { ...record, ...next };
      await this.kind.afterWrite?.(m, record, saved);
      const archivedNow = this.kind.isArchived(saved);
      if (archivedNow !== this.kind.isArchived(record)) await this.services.auth.setDisabledForPerson(m, user, this.kind.personKind, id, archivedNow);
      return saved;
    });
  }

  /**
   * One person, one record: another record of this kind in the home with the same email address
   * (whatever the case of its letters) is refused beside the field, naming who has it. Two records of
   * one volunteer split their hours, and the second's invitation was refused as a taken address.
   */
  private async checkEmailFree(m: EntityManager, homeId: string, email: string | null, exceptId: string | null): Promise<void> {
    const address = email?.trim().toLowerCase();
    if (!address) return;
    const qb = m.createQueryBuilder(this.kind.entity, 'p').where('p.homeId = :homeId', { homeId }).andWhere('LOWER(p.email) = :address', { address });
    if (exceptId) qb.andWhere('p.id <> :exceptId', { exceptId });
    const other = await qb.getOne();
    if (other) throw new ValidationError({ email: { key: 'validation.personEmailTaken', params: { name: personName(other) } } });
  }

  /** Brings an archived record back and re-enables the person's account, audited, in one transaction. */
  unarchive(user: SessionUser, id: string): Promise<E> {
    const { entity, entityType } = this.kind;
    return this.services.unitOfWork.transaction(async (m) => {
      const record = await this.find(m, user, id);
      if (!this.kind.isArchived(record)) return record;
      const { set, changes } = this.kind.unarchiving(record);
      await m.update(entity, { id }, set as never);
      await this.kind.afterWrite?.(m, record, { ...record, ...set });
      await this.services.audit.record(m, { action: 'update', userId: user.id, role: user.role, entityType, entityId: id, homeId: record.homeId, changes });
      await this.services.auth.setDisabledForPerson(m, user, this.kind.personKind, id, false);
      return { ...record, ...set };
    });
  }

  /**
   * Nothing about a person is deleted: archiving marks the record (and can be undone by editing where
   * the kind allows it) and disables the person's account.
   */
  archive(user: SessionUser, id: string): Promise<E> {
    const { entity, entityType } = this.kind;
    return this.services.unitOfWork.transaction(async (m) => {
      const record = await this.find(m, user, id);
      if (this.kind.isArchived(record)) return record;
      const { set, changes } = this.kind.archiving(record);
      await m.update(entity, { id }, set as never);
      await this.kind.afterWrite?.(m, record, { ...record, ...set });
      await this.services.audit.record(m, { action: 'archive', userId: user.id, role: user.role, entityType, entityId: id, homeId: record.homeId, changes });
      await this.services.auth.setDisabledForPerson(m, user, this.kind.personKind, id, true);
      return { ...record, ...set };
    });
  }

  /**
   * Issues a one-time link for the person to set up their own account with `role`; `check` may refuse
   * it (an archived record, a role the user may not hand out).
   */
  async invite(user: SessionUser, id: string, role: Role, check: (record: E) => void): Promise<IssuedInvitation> {
    const record = await this.find(this.services.unitOfWork.manager, user, id);
    check(record);
    return this.services.invitations.invite(user, {
      email: record.email, displayName: personName(record), role, homeId: record.homeId, personKind: this.kind.personKind, personId: record.id,
    });
  }

  /** The person's account, as the detail page shows it to those who may invite. */
  accountStatus(id: string): Promise<AccountStatus> {
    return this.services.invitations.statusFor(this.kind.personKind, id);
  }
}
