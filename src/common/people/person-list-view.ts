import type { SessionUser } from '../access/session-user';
import { listHref } from '../http/list-href';

/** How a person list filters by status: its address, the statuses offered, the default, and where their labels are. */
export interface StatusFilter {
  path: string;
  statuses: readonly string[];
  defaultStatus: string;
  /** "staff.filter": each status's label is "staff.filter.<status>". */
  labelKeys: string;
}

/**
 * The list page of a person record filtered by status (staff, volunteers): the search, the status
 * choices, the paging links that keep both, and whether the home column and edit links show.
 */
export function statusListView<R extends { page: number; pages: number }>(
  result: R, query: { q?: string | null; status?: string | null }, filter: StatusFilter, user: SessionUser, canEdit: boolean,
) {
  const status = query.status ?? filter.defaultStatus;
  const pageHref = (page: number) => listHref(filter.path, { q: query.q, status: query.status }, page);
  return {
    ...result,
    q: query.q ?? '',
    statusOptions: filter.statuses.map((value) => ({ value, labelKey: `${filter.labelKeys}.${value}`, selected: value === status })),
    paged: result.pages > 1,
    prevHref: result.page > 1 ? pageHref(result.page - 1) : null,
    nextHref: result.page < result.pages ? pageHref(result.page + 1) : null,
    showHome: user.homeIds.length > 1,
    canEdit,
  };
}
