import { EntityManager } from 'typeorm';
import type { Suggestion } from './entities/suggestion.entity';
import { SuggestionHistory } from './entities/suggestion-history.entity';

/** The values of a suggestion its history keeps (issue 18 item 2b). */
export type SuggestionHistoryValues = Pick<Suggestion, 'id' | 'homeId' | 'status' | 'respondedAt'>;

/** A suggestion's history row: its status and answer time as they are from `validFrom` on. */
export function suggestionHistoryRow(s: SuggestionHistoryValues, validFrom: Date): Omit<SuggestionHistory, 'id'> {
  return { homeId: s.homeId, suggestionId: s.id, status: s.status, respondedAt: s.respondedAt, validFrom };
}

/** Writes a suggestion's status and answer time as they now are, in the transaction that changed them. */
export async function recordSuggestionHistory(m: EntityManager, s: SuggestionHistoryValues, validFrom = new Date()): Promise<void> {
  await m.insert(SuggestionHistory, suggestionHistoryRow(s, validFrom));
}
