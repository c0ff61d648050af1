import { placeholders } from '../database/sql';
import { groupByHome, Option, OptionGroup } from '../common/views/option-groups';

/**
 * Where things happen in a set of homes (HomesService.places), as pure pieces: the statement and its
 * rows made into Places. The benchmark's bare Today server runs the same statement (src/cli/bench/).
 */
/** The zone of a user or mail with no home to take it from. */
export const DEFAULT_TIMEZONE = 'Europe/Rome';

export interface Places {
  homes: Map<string, { name: string; timezone: string }>;
  /** Every unit of those homes, active or not, ordered by name. */
  units: Map<string, { id: string; homeId: string; name: string; active: boolean }>;
}

export interface PlaceRow {
  homeId: string;
  homeName: string;
  timezone: string;
  unitId: string | null;
  unitName: string | null;
  active: boolean | number | null;
}

/** The homes and their units, for `n` home ids. */
export function placesSql(n: number): string {
  return `SELECT h.id AS "homeId", h.name AS "homeName", h.timezone, u.id AS "unitId", u.name AS "unitName", u.active
       FROM home h LEFT JOIN unit u ON u."homeId" = h.id
       WHERE h.id IN (${placeholders(n)})
       ORDER BY u.name, u.id`;
}

export function placesOf(rows: PlaceRow[]): Places {
  const places: Places = { homes: new Map(), units: new Map() };
  for (const row of rows) {
    places.homes.set(row.homeId, { name: row.homeName, timezone: row.timezone });
    if (row.unitId) places.units.set(row.unitId, { id: row.unitId, homeId: row.homeId, name: row.unitName ?? '', active: Boolean(row.active) });
  }
  return places;
}

/**
 * Each home's name, for pages of someone with several homes, which say where each thing is; '' for
 * someone with one home, whose pages need not say it.
 */
export function homeNamer(places: Places): (homeId: string) => string {
  return places.homes.size > 1 ? (homeId) => places.homes.get(homeId)?.name ?? '' : () => '';
}

/** The homes' names by id, alphabetical (the order their groups of choices come in). */
export function homeNamesOf(places: Places): Map<string, string> {
  return new Map([...places.homes.entries()].sort(([, a], [, b]) => a.name.localeCompare(b.name)).map(([id, home]) => [id, home.name]));
}

export interface UnitChoices {
  units: (Option & { homeId: string })[];
  unitGroups: OptionGroup[] | undefined;
}

/** HomesService.unitChoices from places already read. */
export function unitChoicesOf(places: Places, withClosed = false): UnitChoices {
  const units = [...places.units.values()].filter((u) => u.active || withClosed).map((u) => ({ id: u.id, name: u.name, homeId: u.homeId }));
  return { units, unitGroups: groupByHome(units, homeNamesOf(places)) };
}
