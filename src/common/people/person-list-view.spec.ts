import type { SessionUser } from '../access/session-user';
import { statusListView } from './person-list-view';

const FILTER = { path: '/staff', statuses: ['active', 'left', 'all'], defaultStatus: 'active', labelKeys: 'staff.filter' };
const user = (homeIds: string[]) => ({ homeIds }) as SessionUser;

describe('statusListView', () => {
  const sut = statusListView;

  it('should keep the search and filter in the paging links when on a middle page', () => {
    const view = sut({ rows: [], page: 2, pages: 3 }, { q: 'rossi', status: 'left' }, FILTER, user(['h1']), true);

    expect([view.paged, view.prevHref, view.nextHref]).toEqual([true, '/staff?q=rossi&status=left', '/staff?q=rossi&status=left&page=3']);
    expect(view.statusOptions.filter((option) => option.selected)).toEqual([{ value: 'left', labelKey: 'staff.filter.left', selected: true }]);
  });

  it('should select the default status and show no paging when there is one page', () => {
    const view = sut({ page: 1, pages: 1 }, {}, FILTER, user(['h1', 'h2']), false);

    expect(view).toMatchObject({ q: '', paged: false, prevHref: null, nextHref: null, showHome: true, canEdit: false });
    expect(view.statusOptions.find((option) => option.selected)?.value).toBe('active');
  });
});
