import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { EntityManager } from 'typeorm';
import type { AuditAction } from '../audit/audit.enums';
import type { FieldChanges } from '../audit/entities/audit-entry.entity';
import { can } from '../common/access/access-policy';
import type { SessionUser } from '../common/access/session-user';
import { FieldErrors, NotFoundError } from '../common/errors/domain-errors';
import { isoDateError } from '../common/http/form-fields';
import { translate } from '../common/i18n/i18n';
import { isIsoDate, localDayRange } from '../common/time/zoned';
import { formatDate, formatDateTime, formatQuarterShort } from '../common/views/format';
import { asDate, likeEscaped, placeholders, sqlRows } from '../database/sql';
import { UnitOfWork } from '../database/unit-of-work';
import type { AuditLogQueryDto } from './dto/audit-log-query.dto';

/** Entries a page shows, newest first; "Older entries" opens the next page. */
export const AUDIT_PAGE_SIZE = 50;
/** A name typed in a filter matches at most this many people (a name of two letters matches many). */
const MATCHES_AT_MOST = 500;
/** A change's value is cut to this many characters on the page (an about-me text can be long). */
const VALUE_CHARS = 120;

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
  /** A sign-in refused: who typed it is not known; the account is what it is about. */
  attempt: boolean;
  entityType: string | null;
  /** Whom or what the entry is about, by name, where it is a person, an account, an activity or a home. */
  subject: string | null;
  /** The page of a resident the entry is about, for an admin to open. */
  subjectHref: string | null;
  homeName: string | null;
  changes: { field: string; old: string; new: string; withheld: boolean }[];
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

/** A row with its changes read once (SQLite gives the JSON text, PostgreSQL too: simple-json is text). */
type Entry = EntryRow & { fields: FieldChanges | null };

/** The distinct ids of the entries about records of one type. */
function idsOfType(rows: Entry[], type: string): string[] {
  return [...new Set(rows.filter((r) => r.entityType === type && r.entityId).map((r) => r.entityId!))];
}

/**
 * The resident whose record each of these types is, by the record's id: an entry about one is about
 * that resident (named so on the page, and withheld after their erasure).
 */
const RESIDENT_OF: [string, string][] = [
  ['activity_plan', 'SELECT id, "residentId" FROM activity_plan WHERE id IN'],
  ['family_link', 'SELECT id, "residentId" FROM family_link WHERE id IN'],
  ['suggestion', 'SELECT id, "residentId" FROM suggestion WHERE id IN'],
  ['wellbeing_check_in', 'SELECT id, "residentId" FROM wellbeing_check_in WHERE id IN'],
  ['contribution', 'SELECT id, "residentId" FROM contribution WHERE id IN'],
  ['message_thread', 'SELECT id, "residentId" FROM message_thread WHERE id IN'],
  ['plan_review', 'SELECT r.id, p."residentId" FROM plan_review r JOIN activity_plan p ON p.id = r."planId" WHERE r.id IN'],
  ['message', 'SELECT x.id, t."residentId" FROM message x JOIN message_thread t ON t.id = x."threadId" WHERE x.id IN'],
];
/** Types whose entries are named by their resident alone. */
const NAMED_BY_RESIDENT = new Set(['activity_plan', 'plan_review', 'wellbeing_check_in', 'message_thread', 'message']);
/** Types named otherwise: a family link by both people, the rest by a title. */
const NAMED_BY_SQL: [string, string][] = [
  ['family_link', `SELECT l.id, f."firstName" || ' ' || f."lastName" || ' – ' || r."firstName" || ' ' || r."lastName" AS label FROM family_link l JOIN family_member f ON f.id = l."familyMemberId" JOIN resident r ON r.id = l."residentId" WHERE l.id IN`],
  ['suggestion', 'SELECT id, title AS label FROM suggestion WHERE id IN'],
  ['help_offer', 'SELECT o.id, a.title AS label FROM help_offer o JOIN activity a ON a.id = o."activityId" WHERE o.id IN'],
  ['contribution', 'SELECT c.id, a.title AS label FROM contribution c JOIN activity a ON a.id = c."activityId" WHERE c.id IN'],
  ['activity_series', 'SELECT s.id, a.title AS label FROM activity_series s JOIN activity a ON a.id = s."activityId" WHERE s.id IN'],
];

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
      const { records, residents } = await this.aboutPeople(m, query.person);
      if (records.length === 0) nobodyMatched.person = true;
      // A participation entry is keyed by its activity: those of the activities a resident named was logged on.
      const logs = residents.length
        ? ` OR (a."entityType" = 'participation' AND a."entityId" IN (SELECT CAST("activityId" AS varchar) FROM participation WHERE "residentId" IN (${placeholders(residents.length)})))`
        : '';
      where.push(`(a."entityId" IN (${records.length ? placeholders(records.length) : 'NULL'})${logs})`);
      params.push(...records, ...residents);
    }
    const rows = await sqlRows<EntryRow>(
      m,
      `SELECT a.seq, a."at", a."userId", a.role, a.action, a."entityType", a."entityId", a."homeId", a.changes, a.ip
       FROM audit_entry a ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY a.seq DESC LIMIT ${AUDIT_PAGE_SIZE + 1}`,
      params,
    );
    const shown: Entry[] = rows.slice(0, AUDIT_PAGE_SIZE).map((row) => ({ ...row, fields: parsed(row.changes) }));
    const owners = await this.residentsOfRecords(m, shown);
    const names = await this.names(m, shown, owners);
    const erasedAt = await this.erasures(m, shown, owners);
    return {
      entries: shown.map((row) => {
        const subject = row.entityId ? (names.subjects.get(`${row.entityType}:${row.entityId}`) ?? null) : null;
        // A sign-in refused names the account whose address was typed, not who typed it.
        const attempt = row.action === 'login_failed' && row.role === null;
        return {
          seq: Number(row.seq), at: asDate(row.at), userName: !attempt && row.userId ? (names.named.get(row.userId) ?? null) : null, role: row.role, action: row.action,
          attempt, entityType: row.entityType, subject, subjectHref: row.entityType === 'resident' && subject ? `/residents/${row.entityId}` : null,
          homeName: row.homeId ? (names.named.get(row.homeId) ?? null) : null, changes: changeList(row, erasedAt, names.named, user), ip: row.ip,
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

  /**
   * The records an entry can be about for the people named: theirs, their accounts', and a resident's
   * plans and reviews, family links, suggestions about them, check-ins and message thread; and the
   * residents among them (whose participation logs are found by activity).
   */
  private async aboutPeople(m: EntityManager, text: string): Promise<{ records: string[]; residents: string[] }> {
    const residents = await this.matching(m, PEOPLE.filter((p) => p.type === 'resident'), text);
    const ids = [...residents, ...(await this.matching(m, PEOPLE.filter((p) => p.type !== 'resident'), text))];
    if (ids.length === 0) return { records: [], residents: [] };
    const list = placeholders(ids.length);
    const related = await sqlRows<{ id: string }>(
      m,
      `SELECT id FROM activity_plan WHERE "residentId" IN (${list})
       UNION SELECT r.id FROM plan_review r JOIN activity_plan p ON p.id = r."planId" WHERE p."residentId" IN (${list})
       UNION SELECT id FROM family_link WHERE "residentId" IN (${list}) OR "familyMemberId" IN (${list})
       UNION SELECT id FROM suggestion WHERE "residentId" IN (${list})
       UNION SELECT id FROM wellbeing_check_in WHERE "residentId" IN (${list})
       UNION SELECT id FROM message_thread WHERE "residentId" IN (${list})
       UNION SELECT id FROM "user" WHERE "personId" IN (${list})`,
      Array.from({ length: 8 }, () => ids).flat(),
    );
    return { records: [...new Set([...ids, ...related.map((r) => String(r.id))])], residents };
  }

  /** The resident each entry's record belongs to, keyed "type:id", for the types in RESIDENT_OF. */
  private async residentsOfRecords(m: EntityManager, rows: Entry[]): Promise<Map<string, string>> {
    const owners = new Map<string, string>();
    for (const [type, select] of RESIDENT_OF) {
      const wanted = idsOfType(rows, type);
      if (wanted.length === 0) continue;
      for (const row of await sqlRows<{ id: string; residentId: string | null }>(m, `${select} (${placeholders(wanted.length)})`, wanted)) {
        if (row.residentId) owners.set(`${type}:${row.id}`, String(row.residentId));
      }
    }
    return owners;
  }

  /**
   * When each erased resident the page's entries touch was erased: an entry recorded before then keeps
   * the values it recorded (the chain cannot be rewritten), and the app does not show them again
   * (docs/data-protection.md). An entry touches a resident when it is about their record, about a
   * record of theirs (a plan, a review, a family link, a suggestion, a check-in, a contribution, their
   * messages), or is a participation log with fields of theirs ("<residentId>.staffNote").
   */
  private async erasures(m: EntityManager, rows: Entry[], owners: Map<string, string>): Promise<{ ofEntry: Map<number, Date>; ofResident: Map<string, Date> }> {
    const residentIds = new Set([...idsOfType(rows, 'resident'), ...owners.values()]);
    for (const row of rows.filter((r) => r.entityType === 'participation')) for (const field of Object.keys(row.fields ?? {})) residentIds.add(field.split('.')[0]);
    const candidates = [...residentIds].filter((id) => isUUID(id));
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

  /**
   * Names for the page: who did each thing, the homes, whom or what each entry is about, and every id
   * an entry's changes hold (a relative, a unit, an activity), so the page reads "Cristina Poggi"
   * rather than an id. A few statements a page, each for the ids on it.
   */
  private async names(m: EntityManager, rows: Entry[], owners: Map<string, string>) {
    const labelled = async (sql: string, ids: string[]) =>
      ids.length === 0 ? [] : sqlRows<{ id: string; label: string | null }>(m, `${sql} (${placeholders(ids.length)})`, ids);
    // Every id the page shows: who, where, what about (and whose record), and the ids inside the changes.
    const ids = new Set<string>(owners.values());
    for (const row of rows) {
      for (const id of [row.userId, row.homeId, row.entityId]) if (id && isUUID(id)) ids.add(id);
      for (const [field, change] of Object.entries(row.fields ?? {})) {
        const prefix = field.split('.')[0];
        if (isUUID(prefix)) ids.add(prefix);
        for (const value of [change?.old, change?.new].flat()) if (typeof value === 'string' && isUUID(value)) ids.add(value);
      }
    }
    const wanted = [...ids];
    const named = new Map<string, string>();
    const person = `"firstName" || ' ' || "lastName"`;
    for (const [table, label] of [
      ['resident', person], ['family_member', person], ['volunteer', person], ['staff_member', person], ['"user"', '"displayName"'],
      ['home', 'name'], ['unit', 'name'], ['home_group', 'name'], ['activity_type', 'name'], ['activity', 'title'],
    ] as const) {
      for (const row of await labelled(`SELECT id, ${label} AS label FROM ${table} WHERE id IN`, wanted)) if (row.label) named.set(String(row.id), row.label);
    }
    // What each entry is about, in words: the record's own name, its resident's, or a title.
    const subjects = new Map<string, string>();
    for (const row of rows) {
      const key = `${row.entityType}:${row.entityId}`;
      const label = row.entityId ? (NAMED_BY_RESIDENT.has(row.entityType ?? '') ? named.get(owners.get(key) ?? '') : named.get(row.entityId)) : undefined;
      if (label) subjects.set(key, label);
    }
    for (const [type, sql] of NAMED_BY_SQL) {
      for (const row of await labelled(sql, idsOfType(rows, type))) if (row.label) subjects.set(`${type}:${row.id}`, row.label);
    }
    return { named, subjects };
  }


}

/** A catalogue's text for a key, or undefined where it has none (translate answers the key itself then). */
function catalogued(locale: string, key: string): string | undefined {
  const text = translate(locale, key);
  return text === key ? undefined : text;
}

/** A value as the reader reads it: a role by its name, a code or a bracketed placeholder in words, an instant in the reader's time zone. */
function valueInWords(text: string, field: string, reader: Pick<SessionUser, 'locale' | 'timezone'>): string {
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text)) return formatDateTime(text, reader.locale, reader.timezone);
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return formatDate(text, reader.locale);
  if (/^\d{4}-Q[1-4]$/.test(text)) return formatQuarterShort(text, reader.locale);
  if (field === 'export') return exportInWords(text, reader.locale);
  if (!/^[[\]a-z_ ]{1,30}$/.test(text)) return text;
  if (field === 'role') return catalogued(reader.locale, `roles.${text}`) ?? text;
  if (field === 'locale') return catalogued(reader.locale, `reports.issued.languages.${text}`) ?? text;
  return catalogued(reader.locale, `dataProtection.audit.values.${text}`) ?? text;
}

/**
 * What a download was, as recorded by the reports and data protection ("pdf", "csv:participation",
 * "pdf:withoutNames (issued v2)"), in words: "CSV: participation by resident, issued version 2".
 */
function exportInWords(text: string, locale: string): string {
  const parts = /^(pdf|csv|json)(?::([a-zA-Z]+))?(?: \(issued v(\d+)\))?$/.exec(text);
  if (!parts) return text;
  const [, format, what, version] = parts;
  const words = [catalogued(locale, `dataProtection.audit.exports.${format}`) ?? format.toUpperCase()];
  if (what) words.push(catalogued(locale, `dataProtection.audit.exports.${what}`) ?? what);
  const shown = words.join(': ');
  return version ? translate(locale, 'dataProtection.audit.exports.issuedVersion', { what: shown, version }) : shown;
}

/**
 * An entry's changes as lines to read: fields by their names in the reader's language, ids as the
 * names they stand for, codes and instants in words, each value cut to VALUE_CHARS, an erased
 * resident's values withheld (the page says so in the reader's language). A field or code the
 * catalogue does not name is shown as recorded.
 */
function changeList(
  row: Entry, erasures: { ofEntry: Map<number, Date>; ofResident: Map<string, Date> }, named: Map<string, string>, reader: Pick<SessionUser, 'locale' | 'timezone'>,
): AuditLogEntry['changes'] {
  const changes = row.fields;
  if (!changes) return [];
  const at = asDate(row.at);
  const entryErased = erasures.ofEntry.get(Number(row.seq));
  const withheld = (field: string) => {
    const erasedAt = entryErased ?? (row.entityType === 'participation' ? erasures.ofResident.get(field.split('.')[0]) : undefined);
    return erasedAt !== undefined && at < erasedAt;
  };
  const fieldName = (field: string) => catalogued(reader.locale, `dataProtection.audit.fields.${field}`) ?? field;
  // "<residentId>.engagement" as "Bruna Messori · how they took part".
  const label = (field: string) => {
    const dot = field.indexOf('.');
    const name = dot > 0 ? named.get(field.slice(0, dot)) : undefined;
    return name ? `${name} · ${fieldName(field.slice(dot + 1))}` : fieldName(field);
  };
  const shown = (value: unknown, field: string): string => {
    if (value === null || value === undefined || value === '') return '—';
    if (Array.isArray(value)) return value.length === 0 ? '—' : value.map((one) => shown(one, field)).join(', ');
    // Counts by record ("participation: 3, plans: 1"), as an erasure records them.
    if (typeof value === 'object') {
      const countName = (key: string) => (field === 'records' ? catalogued(reader.locale, `dataProtection.audit.erasedCounts.${key}`) : undefined) ?? fieldName(key);
      return Object.entries(value as Record<string, unknown>).map(([key, one]) => `${countName(key)}: ${shown(one, key)}`).join(', ');
    }
    const text = typeof value === 'string' ? (named.get(value) ?? valueInWords(value, field.slice(field.indexOf('.') + 1), reader)) : valueInWords(String(value), field, reader);
    return text.length > VALUE_CHARS ? `${text.slice(0, VALUE_CHARS - 1)}…` : text;
  };
  return Object.entries(changes).map(([field, change]) =>
    withheld(field) ? { field: label(field), old: '', new: '', withheld: true } : { field: label(field), old: shown(change?.old, field), new: shown(change?.new, field), withheld: false },
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

