import type { SessionUser } from '../access/session-user';
import { navigationFor } from './navigation';

const as = (role: SessionUser['role']) => ({ role }) as SessionUser;
const current = (role: SessionUser['role'], path: string) => navigationFor(as(role), path).filter((item) => item.current).map((item) => item.href);

describe('navigationFor', () => {
  it('should mark one item current: the most precise one that leads to the page', () => {
    expect(current('family', '/portal/messages')).toEqual(['/portal/messages']);
    expect(current('family', '/portal/residents/0e7c5d2a-3b1f-4c6e-9a8d-1f2e3d4c5b6a')).toEqual(['/portal']);
    expect(current('manager', '/messages')).toEqual(['/messages']);
    expect(current('admin', '/data-protection/audit')).toEqual(['/data-protection/audit']);
    expect(current('admin', '/data-protection')).toEqual(['/data-protection']);
    expect(current('manager', '/residents/0e7c5d2a-3b1f-4c6e-9a8d-1f2e3d4c5b6a/plan')).toEqual(['/residents']);
  });

  it('should mark the home item only on the home page', () => {
    expect(current('coordinator', '/')).toEqual(['/']);
    expect(current('coordinator', '/today')).toEqual(['/today']);
    expect(current('coordinator', '/nowhere')).toEqual([]);
  });
});
