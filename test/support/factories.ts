import { randomBytes } from 'node:crypto';
import { AuthService } from '../../src/auth/auth.service';
import { PersonKind, Role } from '../../src/auth/auth.enums';
import { Home } from '../../src/homes/entities/home.entity';
import { GroupView, HomesService, HomeView } from '../../src/homes/homes.service';
import type { TestApp } from './test-app';

export const TEST_PASSWORD = 'correct horse battery staple';

function unique(): string {
  return randomBytes(4).toString('hex');
}

export async function createHome(t: TestApp, overrides: Partial<{ name: string; slug: string; timezone: string; locale: string; groupId: string | null }> = {}): Promise<HomeView> {
  const id = unique();
  return t.get(HomesService).create(null, {
    name: `Home ${id}`, slug: `home-${id}`, timezone: 'Europe/Rome', locale: 'it', ...overrides,
  });
}

/** A group of homes (docs/groups.md), with these homes put in it. */
export async function createGroup(t: TestApp, homeIds: string[], overrides: Partial<{ name: string; reachedThreshold: number | null }> = {}): Promise<GroupView> {
  const group = await t.get(HomesService).createGroup(null, { name: `Group ${unique()}`, reachedThreshold: null, ...overrides });
  for (const homeId of homeIds) await t.dataSource.getRepository(Home).update({ id: homeId }, { groupId: group.id });
  return group;
}

export interface TestUser {
  id: string;
  email: string;
  password: string;
  role: Role;
}

export async function createUser(
  t: TestApp,
  overrides: Partial<{ email: string; role: Role; homeIds: string[]; groupIds: string[]; password: string; displayName: string; locale: string; personKind: PersonKind; personId: string }> = {},
): Promise<TestUser> {
  const role = overrides.role ?? 'manager';
  if (role === 'group_manager') {
    const email = overrides.email ?? `${role}-${unique()}@example.test`;
    const password = overrides.password ?? TEST_PASSWORD;
    const groupIds = overrides.groupIds ?? [(await createGroup(t, [(await createHome(t)).id])).id];
    const user = await t.get(AuthService).createUser({ email, role, password, homeIds: [], groupIds, displayName: overrides.displayName ?? 'Test group manager', locale: overrides.locale ?? 'en' });
    return { id: user.id, email, password, role };
  }
  const email = overrides.email ?? `${role}-${unique()}@example.test`;
  const password = overrides.password ?? TEST_PASSWORD;
  const user = await t.get(AuthService).createUser({
    email, role, password, homeIds: overrides.homeIds ?? (role === 'admin' ? [] : [(await createHome(t)).id]), displayName: overrides.displayName ?? `Test ${role}`,
    locale: overrides.locale ?? 'en', personKind: overrides.personKind ?? null, personId: overrides.personId ?? null,
  });
  return { id: user.id, email, password, role };
}
