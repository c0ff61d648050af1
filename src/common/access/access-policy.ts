import type { Role } from '../../auth/auth.enums';
import type { SessionUser } from './session-user';

/**
 * The access policy (SPEC 1), in one place: what each role may do, and, for each relationship a
 * reader can have with a resident, which fields of which records they may read and write (the
 * field lenses). Services decide *which records* a user reaches (their homes, the relative's links,
 * the volunteer's confirmed activities, answering 404 otherwise); every answer about a resident —
 * page, PDF, CSV or JSON — is then cut through `throughLens`, so a field a lens does not list cannot
 * reach that reader even when a query fetched it. `test/field-matrix.e2e-spec.ts` walks every route
 * and holds each role's answers to these lists.
 */

// Roles ------------------------------------------------------------------------------------------

const CAPABILITIES = {
  /**
   * The people of a home: everyone whose account belongs to one, for routes open to any of them (the
   * API's residents and activities, photos, calendar feeds). Not a group manager, who reads figures
   * and reports of their group's homes and never a resident's record (docs/groups.md).
   */
  homeUsers: ['admin', 'manager', 'coordinator', 'carer', 'volunteer', 'family'],
  /** Create, edit and cancel activities; manage rosters and types. */
  planActivities: ['admin', 'manager', 'coordinator'],
  /** Log any activity of their homes; read the whole resident record (carers included). */
  homeStaff: ['admin', 'manager', 'coordinator', 'carer'],
  /** Create and edit residents, their consent and photo. */
  editResidents: ['admin', 'manager', 'coordinator'],
  /**
   * Data-protection requests: the admin is the group's data protection lead; the manager answers for
   * their home. Others do not: an export holds the whole record and erasure cannot be undone.
   */
  handleDataProtection: ['admin', 'manager'],
  /** The audit log of every home (SPEC 4: the admin, the group's IT and data protection lead). */
  readAuditLog: ['admin'],
  /** Read staff records (coordinators plan with them); only managers change them. */
  readStaff: ['admin', 'manager', 'coordinator'],
  manageStaff: ['admin', 'manager'],
  /** Read volunteer and relative records (carers too); coordinators and up change them. */
  readVolunteers: ['admin', 'manager', 'coordinator', 'carer'],
  manageVolunteers: ['admin', 'manager', 'coordinator'],
  readFamilies: ['admin', 'manager', 'coordinator', 'carer'],
  manageFamilies: ['admin', 'manager', 'coordinator'],
  /** Read residents' plans on the staff pages; write them, and answer for overdue reviews. */
  readPlans: ['admin', 'manager', 'coordinator', 'carer'],
  editPlans: ['admin', 'manager', 'coordinator'],
  /** Answer suggestions and read feedback in the inbox. */
  answerSuggestions: ['admin', 'manager', 'coordinator'],
  /** Add activity photos and tag residents in them (volunteers too, where their home allows: photos.service.ts). */
  addPhotos: ['admin', 'manager', 'coordinator', 'carer'],
  /** Delete photos (carers delete nothing, SPEC 1), write and delete news posts. */
  deletePhotos: ['admin', 'manager', 'coordinator'],
  /** A volunteer's photo is checked (who is in it, tagged) before families or other volunteers see it. */
  checkPhotos: ['admin', 'manager', 'coordinator'],
  writeNews: ['admin', 'manager', 'coordinator'],
  /** A home's photo settings (whether volunteers may add photos). */
  photoSettings: ['admin', 'manager'],
} as const satisfies Record<string, readonly Role[]>;

export type Capability = keyof typeof CAPABILITIES;

export function can(user: Pick<SessionUser, 'role'>, capability: Capability): boolean {
  return (CAPABILITIES[capability] as readonly Role[]).includes(user.role);
}

/** The roles that have a capability, for `@Roles(...)`. */
export function rolesThat(capability: Capability): readonly Role[] {
  return CAPABILITIES[capability];
}

// Relationships and lenses -----------------------------------------------------------------------

/**
 * How a reader is related to a resident:
 * - `staff`: a member of staff of the resident's home: the whole record;
 * - `family_full` / `family_summary`: a relative with an active link, as the resident's family-portal
 *   consent allows (summary hides notes and plan detail); staff-only notes never;
 * - `volunteer`: confirmed on an activity the resident is on, with the resident's consent:
 *   preferred name, photo (with photo consent), interests and communication tips; no moods, no notes,
 *   no full names.
 */
export type Lens = 'staff' | 'family_full' | 'family_summary' | 'volunteer';
export const LENSES: readonly Lens[] = ['staff', 'family_full', 'family_summary', 'volunteer'];

export type FamilyPortalConsentLevel = 'none' | 'summary' | 'full';

/** The lens a reader sees a resident through, given the resident's family-portal consent. */
export function lensFor(user: Pick<SessionUser, 'role'>, familyPortal: FamilyPortalConsentLevel): Lens {
  if (can(user, 'homeStaff')) return 'staff';
  if (user.role === 'family') return familyPortal === 'full' ? 'family_full' : 'family_summary';
  return 'volunteer';
}

/** The one lens a role sees residents through where no single resident decides (lists mixing residents use each one's). */
export function roleLens(user: Pick<SessionUser, 'role'>): Lens {
  return lensFor(user, 'summary');
}

/**
 * The fields of each kind of answer that each lens may read. A field not listed for a lens is
 * dropped from that reader's answer.
 */
export const READABLE = {
  /** A resident's record (residents pages, `/api/residents`). */
  resident: {
    staff: [
      'id', 'homeId', 'displayName', 'fullName', 'initials', 'room', 'unitId', 'unitName', 'status', 'hasPhoto', 'lens', 'canEdit',
      'interests', 'communicationTips', 'firstName', 'lastName', 'preferredName', 'aboutMe', 'dislikes', 'mobilityNotes',
      'dateOfBirth', 'admittedOn', 'leftOn', 'weeklyActivityTarget', 'erasedAt', 'consent',
    ],
    family_full: [
      'id', 'homeId', 'displayName', 'fullName', 'initials', 'unitId', 'unitName', 'status', 'hasPhoto', 'lens', 'canEdit',
      'interests', 'communicationTips', 'firstName', 'lastName', 'preferredName', 'aboutMe', 'dislikes', 'mobilityNotes',
    ],
    family_summary: [
      'id', 'homeId', 'displayName', 'fullName', 'initials', 'unitId', 'unitName', 'status', 'hasPhoto', 'lens', 'canEdit',
      'interests', 'firstName', 'lastName', 'preferredName', 'aboutMe',
    ],
    volunteer: ['id', 'displayName', 'initials', 'hasPhoto', 'lens', 'canEdit', 'interests', 'communicationTips'],
  },
  /** A resident on an activity's roster (activity pages, the log, `/api/activities/:id`). */
  rosterResident: {
    staff: ['id', 'displayName', 'fullName', 'initials', 'hasPhoto', 'onLeave'],
    family_full: ['id', 'displayName', 'fullName', 'initials', 'hasPhoto'],
    family_summary: ['id', 'displayName', 'fullName', 'initials', 'hasPhoto'],
    volunteer: ['id', 'displayName', 'initials', 'hasPhoto'],
  },
  /** One resident's participation in one activity. */
  participation: {
    staff: ['residentId', 'engagement', 'moodBefore', 'moodAfter', 'staffNote', 'familyNote', 'recordedAt'],
    family_full: ['residentId', 'engagement', 'moodBefore', 'moodAfter', 'familyNote', 'recordedAt'],
    family_summary: ['residentId', 'engagement', 'recordedAt'],
    volunteer: ['residentId', 'engagement', 'recordedAt'],
  },
} as const satisfies Record<string, Record<Lens, readonly string[]>>;

export type Readable = keyof typeof READABLE;

/**
 * The fields of a participation entry each lens may write. Staff write everything; a volunteer only
 * how the resident took part (never moods or notes, which they cannot read back); relatives never log.
 */
export const WRITABLE_PARTICIPATION = {
  staff: ['residentId', 'engagement', 'moodBefore', 'moodAfter', 'staffNote', 'familyNote'],
  volunteer: ['residentId', 'engagement'],
} as const;

type Allowed<K extends Readable, L extends Lens> = (typeof READABLE)[K][L][number];

/** A record cut to what a lens may read of it: fields not listed are left out (not set to null). */
export function throughLens<K extends Readable, T extends object>(kind: K, lens: Lens, record: T): Partial<T> {
  const allowed = READABLE[kind][lens] as readonly string[];
  const out: Partial<T> = {};
  for (const field of allowed) {
    if (field in record) (out as Record<string, unknown>)[field] = (record as Record<string, unknown>)[field];
  }
  return out;
}

/** Every field any lens may read of a kind: what the field matrix checks answers against. */
export function allFields(kind: Readable): string[] {
  return [...new Set(LENSES.flatMap((lens) => READABLE[kind][lens] as readonly string[]))];
}

export type { Allowed };
