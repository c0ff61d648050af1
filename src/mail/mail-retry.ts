/** After this many tries a mail is marked failed and shown so to admins. */
export const MAX_ATTEMPTS = 8;
const FIRST_DELAY_MS = 60_000;
const LONGEST_DELAY_MS = 6 * 60 * 60_000;

/**
 * How long to wait before the next try after `attempts` tries: 1, 2, 4, 8 … minutes, at most 6
 * hours, so a server down for a while is not hammered and eight tries span about two hours.
 */
export function retryDelayMs(attempts: number): number {
  const exponent = Math.max(0, attempts - 1);
  return Math.min(LONGEST_DELAY_MS, FIRST_DELAY_MS * 2 ** exponent);
}
