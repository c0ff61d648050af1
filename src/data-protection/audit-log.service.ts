import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { Activity } from '../activities/entities/activity.entity';
import type { AuditAction } from '../audit/audit.enums';
import type { FieldChanges } from '../audit/entities/audit-entry.entity';
import { can } from '../common/access/access-policy';
import type { SessionUser } from '../common/access/session-user';
import { FieldErrors, NotFoundError } from '../common/errors/domain-errors';
import { isoDateError } from '../common/http/form-fields';
import { isIsoDate, localDayRange } from '../common/time/zoned';
import { asDate, likeEscaped, placeholders, sqlRows } from '../database/sql';
import { UnitOfWork } from '../database/unit-of-work';
import { Home } from '../homes/entities/home.entity';
import type { AuditLogQueryDto } from './dto/audit-log-query.dto';
import { ERASED_VALUE } from './subject-access.service';

/** Entries a page shows, newest first; "Older entries" opens the next page. */
export const AUDIT_PAGE_SIZE = 50;
/** A name typed in a filter matches at most this many people (a name of two letters matches many). */
const MATCHES_AT_MOST = 500;
/** A change's value is cut to this many characters on the page (an about-me text can be long). */
const VALUE_CHARS = 120;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The people whose names a filter looks for, and the records that belong to a resident or a relative. */
const PEOPLE = [
  { type: 'resident', table: 'resident', name: `"firstName" || ' ' || "lastName" || ' ' || COALESCE("preferredName", '')` },
  { type: 'family_member', table: 'family_member', name: `"firstName" || ' ' || "lastName" || ' ' || COALESCE(email, '')` },
  { type: 'volunteer', table: 'volunteer', name: `"firstName" || ' ' || "lastName"` },
  { type: 'staff_member', table: 'staff_member', name: `"firstName" || ' ' || "lastName"` },
  { type: 'user', table: '"user"', name: `"displayName" || ' ' || email` },
] as const;

export interface AuditLogEntry {
  seq: number;
  at: Date;
  userName: string | null;
  role: string | null;
  action: AuditAction;
  entityType: string | null;
  /** Whom or what the entry is about, by name, where it is a person, an account, an activity or a home. */
  subject: string | null;
  /** The page of a resident the entry is about, for an admin to open. */
  subjectHref: string | null;
  homeName: string | null;
  changes: { field: string; old: string; new: string }[];
  ip: string | null;
}

export interface AuditLogPage {
  entries: AuditLogEntry[];
  /** The next page's `before`, when there are older entries. */
  olderBefore: number | null;
  errors: FieldErrors;
  /** Whether a person or a user filter matched no one (the page says so rather than showing the whole log). */
  nobodyMatched: { person: boolean; user: boolean };
}

interface EntryRow {
  seq: number | string;
  at: Date | string;
  userId: string | null;
  role: string | null;
  action: AuditAction;
  entityType: string | null;
  entityId: string | null;
  homeId: string | null;
  changes: string | FieldChanges | null;
  ip: string | null;
}

/**
 * The audit log for the admin (SPEC 4: "audit log, filter by person, user, date"): the chain's
 * entries, newest first, filtered by a person they are about (their record, their account, a
 * resident's plans and family links), by who did it, by action and by day in the admin's time zone.
 * A read model: it reads the audit chain and names what the entries point at from the tables of the
 * modules that keep them (docs/architecture.md). Reading the log is not itself audited: it changes
 * nothing and the admin reads every home's records anyway.
 */
@Injectable()
export class AuditLogService {
  constructor(private readonly unitOfWork: UnitOfWork) {}

  async page(user: SessionUser, query: AuditLogQueryDto): Promise<AuditLogPage> {
    if (!can(user, 'readAuditLog')) throw new NotFoundError();
    const m = this.unitOfWork.manager;
    const errors: FieldErrors = {};
    for (const field of ['from', 'to'] as const) {
      const value = query[field];
      if (value && !isIsoDate(value)) errors[field] = isoDateError(value) ?? { key: 'validation.isDateString' };
    }
    if (!errors.from && !errors.to && query.from && query.to && query.from > query.to) errors.to = { key: 'dataProtection.audit.toBeforeFrom' };
    const nobodyMatched = { person: false, user: false };
    if (Object.keys(errors).length > 0) return { entries: [], olderBefore: null, errors, nobodyMatched };

    const where: string[] = [];
    const params: unknown[] = [];
    if (query.from) {
      where.push('a."at" >= ?');
      params.push(localDayRange(query.from, user.timezone).start);
    }
    if (query.to) {
      where.push('a."at" < ?');
      params.push(localDayRange(query.to, user.timezone).end);
    }
    if (query.action) {
      where.push('a.action = ?');
      params.push(query.action);
    }
    if (query.before) {
      where.push('a.seq < ?');
      params.push(query.before);
    }
    if (query.user) {
      const ids = await this.matching(m, PEOPLE.filter((p) => p.type === 'user'), query.user);
      if (ids.length === 0) nobodyMatched.user = true;
      where.push(`a."userId" IN (${ids.length ? placeholders(ids.length) : 'NULL'})`);
      params.push(...ids);
    }
    if (query.person) {
      const ids = await this.aboutPeople(m, query.person);
      if (ids.length === 0) nobodyMatched.person = true;
      where.push(`a."entityId" IN (${ids.length ? placeholders(ids.length) : 'NULL'})`);
      params.push(...ids);
    }
    const rows = await sqlRows<EntryRow>(
      m,
      `SELECT a.seq, a."at", a."userId", a.role, a.action, a."entityType", a."entityId", a."homeId", a.changes, a.ip
       FROM audit_entry a ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY a.seq DESC LIMIT ${AUDIT_PAGE_SIZE + 1}`,
      params,
    );
    const shown = rows.slice(0, AUDIT_PAGE_SIZE);
    const names = await this.names(m, shown);
    const erasedAt = await this.erasures(m, shown);
    return {
      entries: shown.map((row) => {
        const subject = row.entityId ? (names.subjects.get(`${row.entityType}:${row.entityId}`) ?? null) : null;
        return {
          seq: Number(row.seq), at: asDate(row.at), userName: row.userId ? (names.users.get(row.userId) ?? null) : null, role: row.role, action: row.action,
          entityType: row.entityType, subject, subjectHref: row.entityType === 'resident' && subject ? `/residents/${row.entityId}` : null,
          homeName: row.homeId ? (names.homes.get(row.homeId) ?? null) : null, changes: changeList(row, erasedAt, names.residents), ip: row.ip,
        };
      }),
      olderBefore: rows.length > AUDIT_PAGE_SIZE ? Number(shown[shown.length - 1].seq) : null,
      errors,
      nobodyMatched,
    };
  }

  /** The ids of the people whose names (or emails) contain the text, of the kinds given. */
  private async matching(m: EntityManager, kinds: readonly (typeof PEOPLE)[number][], text: string): Promise<string[]> {
    const pattern = `%${likeEscaped(text.toLowerCase())}%`;
    const ids: string[] = [];
    for (const kind of kinds) {
      const rows = await sqlRows<{ id: string }>(m, `SELECT id FROM ${kind.table} WHERE lower(${kind.name}) LIKE ? ESCAPE '\\' LIMIT ${MATCHES_AT_MOST}`, [pattern]);
      ids.push(...rows.map((r) => String(r.id)));
    }
    return ids;
  }

  /** The records an entry can be about for the people named: theirs, their accounts', a resident's plans and their family links. */
  private async aboutPeople(m: EntityManager, text: string): Promise<string[]> {
    const ids = await this.matching(m, PEOPLE, text);
    if (ids.length === 0) return [];
    const list = placeholders(ids.length);
    const related = await sqlRows<{ id: string }>(
      m,
      `SELECT id FROM activity_plan WHERE "residentId" IN (${list})
       UNION SELECT id FROM family_link WHERE "residentId" IN (${list}) OR "familyMemberId" IN (${list})
       UNION SELECT id FROM "user" WHERE "personId" IN (${list})`,
      [...ids, ...ids, ...ids, ...ids],
    );
    return [...new Set([...ids, ...related.map((r) => String(r.id))])];
  }

  /**
   * When each erased resident the page's entries touch was erased: an entry recorded before then keeps
   * the values it recorded (the chain cannot be rewritten), and the app does not show them again
   * (docs/data-protection.md). An entry touches a resident when it is about their record, about a
   * record of theirs (a plan, a review, a family link, a suggestion, a check-in, a contribution, their
   * messages), or is a participation log with fields of theirs ("<residentId>.staffNote").
   */
  private async erasures(m: EntityManager, rows: EntryRow[]): Promise<{ ofEntry: Map<number, Date>; ofResident: Map<string, Date> }> {
    const ids = (type: string) => [...new Set(rows.filter((r) => r.entityType === type && r.entityId).map((r) => r.entityId!))];
    const owners = new Map<string, string>();
    const ownerQueries: [string, string][] = [
      ['activity_plan', 'SELECT id, "residentId" FROM activity_plan WHERE id IN'],
      ['family_link', 'SELECT id, "residentId" FROM family_link WHERE id IN'],
      ['suggestion', 'SELECT id, "residentId" FROM suggestion WHERE id IN'],
      ['wellbeing_check_in', 'SELECT id, "residentId" FROM wellbeing_check_in WHERE id IN'],
      ['contribution', 'SELECT id, "residentId" FROM contribution WHERE id IN'],
      ['message_thread', 'SELECT id, "residentId" FROM message_thread WHERE id IN'],
      ['plan_review', 'SELECT r.id, p."residentId" FROM plan_review r JOIN activity_plan p ON p.id = r."planId" WHERE r.id IN'],
      ['message', 'SELECT x.id, t."residentId" FROM message x JOIN message_thread t ON t.id = x."threadId" WHERE x.id IN'],
    ];
    for (const [type, select] of ownerQueries) {
      const wanted = ids(type);
      if (wanted.length === 0) continue;
      for (const row of await sqlRows<{ id: string; residentId: string | null }>(m, `${select} (${placeholders(wanted.length)})`, wanted)) {
        if (row.residentId) owners.set(`${type}:${row.id}`, String(row.residentId));
      }
    }
    const residentIds = new Set([...ids('resident'), ...owners.values()]);
    for (const row of rows.filter((r) => r.entityType === 'participation')) for (const field of Object.keys(parsed(row.changes) ?? {})) residentIds.add(field.split('.')[0]);
    const candidates = [...residentIds].filter((id) => UUID.test(id));
    const erased = candidates.length === 0 ? [] : await sqlRows<{ id: string; erasedAt: Date | string }>(
      m, `SELECT id, "erasedAt" FROM resident WHERE "erasedAt" IS NOT NULL AND id IN (${placeholders(candidates.length)})`, candidates,
    );
    const ofResident = new Map(erased.map((r) => [String(r.id), asDate(r.erasedAt)]));
    const ofEntry = new Map<number, Date>();
    for (const row of rows) {
      const resident = row.entityType === 'resident' ? row.entityId : owners.get(`${row.entityType}:${row.entityId}`);
      const at = resident ? ofResident.get(resident) : undefined;
      if (at) ofEntry.set(Number(row.seq), at);
    }
    return { ofEntry, ofResident };
  }

  /** Names for the page: who did each thing, the homes, and the people, accounts, activities and homes the entries are about. */
  private async names(m: EntityManager, rows: EntryRow[]) {
    const ofType = (type: string) => [...new Set(rows.filter((r) => r.entityType === type && r.entityId).map((r) => r.entityId!))];
    const userIds = [...new Set([...rows.map((r) => r.userId).filter((id): id is string => id !== null), ...ofType('user')])];
    const homeIds = [...new Set([...rows.map((r) => r.homeId).filter((id): id is string => id !== null), ...ofType('home')])];
    const byIds = async (table: string, label: string, ids: string[]) =>
      ids.length === 0 ? [] : sqlRows<{ id: string; label: string }>(m, `SELECT id, ${label} AS label FROM ${table} WHERE id IN (${placeholders(ids.length)})`, ids);
    const users = new Map((await byIds('"user"', '"displayName"', userIds)).map((r) => [String(r.id), r.label]));
    const homes = new Map(
      (homeIds.length ? await m.find(Home, { select: { id: true, name: true }, where: { id: In(homeIds) } }) : []).map((h) => [h.id, h.name]),
    );
    const subjects = new Map<string, string>();
    for (const id of ofType('user')) if (users.has(id)) subjects.set(`user:${id}`, users.get(id)!);
    for (const id of ofType('home')) if (homes.has(id)) subjects.set(`home:${id}`, homes.get(id)!);
    for (const kind of PEOPLE.filter((p) => p.type !== 'user')) {
      for (const row of await byIds(kind.table, `"firstName" || ' ' || "lastName"`, ofType(kind.type))) subjects.set(`${kind.type}:${row.id}`, row.label);
    }
    // A participation entry's fields are "<residentId>.engagement": the residents are named too.
    const logged = [...new Set(rows.filter((r) => r.entityType === 'participation').flatMap((r) => Object.keys(parsed(r.changes) ?? {}).map((f) => f.split('.')[0])))];
    const residents = new Map((await byIds('resident', `"firstName" || ' ' || "lastName"`, logged.filter((id) => UUID.test(id)))).map((r) => [String(r.id), r.label]));
    const activityIds = [...new Set([...ofType('activity'), ...ofType('participation')])];
    const activities = activityIds.length ? await m.find(Activity, { select: { id: true, title: true }, where: { id: In(activityIds) } }) : [];
    // A participation entry is keyed by its activity: the log saved for that activity.
    for (const a of activities) for (const type of ['activity', 'participation']) subjects.set(`${type}:${a.id}`, a.title);
    return { users, homes, subjects, residents };
  }
}

/** An entry's changes as lines to read, each value cut to VALUE_CHARS; an erased resident's values as ERASED_VALUE. */
function changeList(row: EntryRow, erasures: { ofEntry: Map<number, Date>; ofResident: Map<string, Date> }, residents: Map<string, string>): AuditLogEntry['changes'] {
  const changes = parsed(row.changes);
  if (!changes) return [];
  const at = asDate(row.at);
  const entryErased = erasures.ofEntry.get(Number(row.seq));
  const withheld = (field: string) => {
    const erasedAt = entryErased ?? (row.entityType === 'participation' ? erasures.ofResident.get(field.split('.')[0]) : undefined);
    return erasedAt !== undefined && at < erasedAt;
  };
  // "<residentId>.engagement" as "Bruna Messori · engagement".
  const label = (field: string) => {
    const dot = field.indexOf('.');
    const name = row.entityType === 'participation' && dot > 0 ? residents.get(field.slice(0, dot)) : undefined;
    return name ? `${name} · ${field.slice(dot + 1)}` : field;
  };
  return Object.entries(changes).map(([field, change]) =>
    withheld(field) ? { field: label(field), old: ERASED_VALUE, new: ERASED_VALUE } : { field: label(field), old: shown(change?.old), new: shown(change?.new) },
  );
}

function parsed(raw: EntryRow['changes']): FieldChanges | null {
  try {
    const changes = typeof raw === 'string' ? (JSON.parse(raw) as unknown) : raw;
    return changes && typeof changes === 'object' ? (changes as FieldChanges) : null;
  } catch {
    return null;
  }
}

function shown(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > VALUE_CHARS ? `${text.slice(0, VALUE_CHARS - 1)}…` : text;
}
