import { EntityManager } from 'typeorm';
import type { Volunteer } from './entities/volunteer.entity';
import { VolunteerHistory } from './entities/volunteer-history.entity';

/** The fields of a volunteer the history keeps (issue 18 item 2b): what the quarterly report counts. */
export const VOLUNTEER_HISTORY_FIELDS = ['status', 'startedOn', 'backgroundCheckExpiresOn'] as const;

export type VolunteerHistoryValues = Pick<Volunteer, 'id' | 'homeId' | (typeof VOLUNTEER_HISTORY_FIELDS)[number]>;

/** A volunteer's history row: their values as they are from `validFrom` on. */
export function volunteerHistoryRow(v: VolunteerHistoryValues, validFrom: Date): Omit<VolunteerHistory, 'id'> {
  return { homeId: v.homeId, volunteerId: v.id, status: v.status, startedOn: v.startedOn, backgroundCheckExpiresOn: v.backgroundCheckExpiresOn, validFrom };
}

/** Whether a change (or a new record, `before` null) touches what the history keeps. */
export function changesVolunteerHistory(before: Partial<VolunteerHistoryValues> | null, after: VolunteerHistoryValues): boolean {
  return before === null || VOLUNTEER_HISTORY_FIELDS.some((field) => (before[field] ?? null) !== (after[field] ?? null));
}

/** Writes a volunteer's values as they now are, in the transaction that changed them, when any kept field changed. */
export async function recordVolunteerHistory(
  m: EntityManager, before: Partial<VolunteerHistoryValues> | null, after: VolunteerHistoryValues, validFrom = new Date(),
): Promise<void> {
  if (changesVolunteerHistory(before, after)) await m.insert(VolunteerHistory, volunteerHistoryRow(after, validFrom));
}
