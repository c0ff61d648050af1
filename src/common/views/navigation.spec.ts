import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VIEWS_DIR } from '../paths';
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

  it('should mark "Messages" current on a resident\'s conversation when the page is under the resident', () => {
    const id = '0e7c5d2a-3b1f-4c6e-9a8d-1f2e3d4c5b6a';
    expect(current('family', `/portal/residents/${id}/messages`)).toEqual(['/portal/messages']);
    expect(current('coordinator', `/residents/${id}/messages`)).toEqual(['/messages']);
    expect(current('manager', `/residents/${id}/messages`)).toEqual(['/messages']);
    // Roles without "Messages" in their menu keep the resident's item; the resident's other pages too.
    expect(current('admin', `/residents/${id}/messages`)).toEqual(['/residents']);
    expect(current('family', `/portal/residents/${id}`)).toEqual(['/portal']);
    expect(current('coordinator', `/residents/${id}/messages-archive`)).toEqual(['/residents']);
  });

  it('should give a relative their portal, not a second list of the same residents', () => {
    expect(navigationFor(as('family'), '/portal').map((item) => item.href)).toEqual(['/portal', '/portal/messages', '/account']);
  });

  it('should mark the home item only on the home page', () => {
    expect(current('coordinator', '/')).toEqual(['/']);
    expect(current('coordinator', '/today')).toEqual(['/today']);
    expect(current('coordinator', '/nowhere')).toEqual([]);
  });
});

describe('back links on the pages', () => {
  it('should all be the large "back-link" (a 44 px target on a tablet), not a small link in a paragraph', () => {
    const small: string[] = [];
    for (const entry of readdirSync(VIEWS_DIR, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.hbs')) continue;
      const file = join(entry.parentPath, entry.name);
      for (const link of readFileSync(file, 'utf8').match(/<a [^>]*>← [^<]*/g) ?? []) if (!/class="[^"]*\b(back-link|button)\b/.test(link)) small.push(`${file}: ${link}`);
    }
    expect(small).toEqual([]);
  });
});
