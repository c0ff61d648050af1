import type { Role } from '../auth/auth.enums';

export const DEMO_HOME_SLUG = 'casa-serena';
export const DEMO_PASSWORD = 'insieme-demo';

/** One account per role in the demo home; README lists the same. */
export const DEMO_ACCOUNTS: { email: string; role: Role }[] = [
  { email: 'admin@casa-serena.demo', role: 'admin' },
  { email: 'manager@casa-serena.demo', role: 'manager' },
  { email: 'coordinator@casa-serena.demo', role: 'coordinator' },
  { email: 'carer@casa-serena.demo', role: 'carer' },
  { email: 'volunteer@casa-serena.demo', role: 'volunteer' },
  { email: 'family@casa-serena.demo', role: 'family' },
  { email: 'group_manager@casa-serena.demo', role: 'group_manager' },
];

/** The demo's group of homes, which the group manager leads (docs/groups.md). */
export const DEMO_GROUP_NAME = 'Gruppo Serena';
