/**
 * The countries a home can be in (ISO 3166-1 alpha-2). Each chooses the standards the quarterly
 * report's annex cites (reports/pdf/report-annex.ts); a new country needs its annex first.
 */
export const COUNTRIES = ['IT', 'GB'] as const;
export type Country = (typeof COUNTRIES)[number];

export const DEFAULT_COUNTRY: Country = 'IT';

export function isCountry(value: unknown): value is Country {
  return typeof value === 'string' && (COUNTRIES as readonly string[]).includes(value);
}
