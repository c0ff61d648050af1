/** Types for tools/ward/outbox-rules.spec.ts; the browser loads outbox-rules.js itself. */
export interface OutboxItemLike { author?: { id: string; name: string } | null; nextTry: number; createdAt: number }
export const BACKOFF_START_MS: number;
export const BACKOFF_CAP_MS: number;
export function backoffMs(attempts: number): number;
export function dueItems<T extends OutboxItemLike>(items: T[], userId: string, now: number, ignoreBackoff?: boolean): T[];
export function othersItems<T extends OutboxItemLike>(items: T[], userId: string): T[];
export function outcome(status: number, triedFreshToken?: boolean): 'sent' | 'signin' | 'csrf' | 'retry' | 'refused';
export function localDay(ms: number): string;
export function entriesLeftAfterSave<T extends { at: number }>(draftEntries: Record<string, T>, savedAt: number): Record<string, T>;
export interface DeviceState { waiting: number; unsaved: number; title: string; href: string }
export function deviceState(
  drafts: { activityId: string; title?: string; entries: Record<string, { at: number }> }[],
  outbox: { activityId: string; createdAt: number }[],
  refused?: { activityId: string; createdAt: number }[],
): Record<string, DeviceState>;
