import type { SessionUser } from '../access/session-user';

export interface NavItem {
  href: string;
  labelKey: string;
  current: boolean;
  /** A figure shown with the label (unread messages), filled by the request context. */
  count?: number;
  /** The label with the figure, as a catalogue key taking `n`. */
  countKey?: string;
}

/** The menu for a role; later features add their entries here. */
const MENU: {
  href: string;
  labelKey: string;
  countKey?: string;
  roles: SessionUser['role'][] | 'all';
  /** Pages elsewhere that belong to this item (a resident's conversation belongs to "Messages", not to the resident). */
  also?: RegExp;
}[] = [
  // Carers, families and volunteers have their own home page (Today, the portals) in the menu.
  { href: '/', labelKey: 'nav.home', roles: ['admin', 'manager', 'coordinator'] },
  { href: '/portal', labelKey: 'nav.portal', roles: ['family'] },
  { href: '/portal/messages', labelKey: 'messages.nav', countKey: 'messages.navUnread', roles: ['family'], also: /^\/portal\/residents\/[^/]+\/messages(\/|$)/ },
  { href: '/volunteer', labelKey: 'nav.volunteerPortal', roles: ['volunteer'] },
  { href: '/today', labelKey: 'nav.today', roles: ['admin', 'manager', 'coordinator', 'carer'] },
  { href: '/calendar', labelKey: 'nav.calendar', roles: ['admin', 'manager', 'coordinator', 'carer', 'volunteer'] },
  // Not a relative's: their portal lists their relatives, each with everything the family may see.
  { href: '/residents', labelKey: 'nav.residents', roles: ['admin', 'manager', 'coordinator', 'carer', 'volunteer'] },
  { href: '/families', labelKey: 'nav.families', roles: ['admin', 'manager', 'coordinator', 'carer'] },
  { href: '/volunteers', labelKey: 'nav.volunteers', roles: ['admin', 'manager', 'coordinator', 'carer'] },
  { href: '/staff', labelKey: 'nav.staff', roles: ['admin', 'manager', 'coordinator'] },
  { href: '/inbox', labelKey: 'nav.inbox', roles: ['admin', 'manager', 'coordinator'] },
  { href: '/messages', labelKey: 'messages.nav', countKey: 'messages.navUnread', roles: ['manager', 'coordinator'], also: /^\/residents\/[^/]+\/messages(\/|$)/ },
  { href: '/news', labelKey: 'news.title', roles: ['admin', 'manager', 'coordinator', 'carer'] },
  { href: '/activity-types', labelKey: 'nav.activityTypes', roles: ['admin', 'manager', 'coordinator'] },
  { href: '/contributions', labelKey: 'nav.contributions', roles: ['admin', 'manager', 'coordinator'] },
  { href: '/groups', labelKey: 'nav.groups', roles: ['admin', 'group_manager'] },
  { href: '/reports', labelKey: 'nav.reports', roles: ['admin', 'manager', 'coordinator', 'group_manager'] },
  { href: '/data-protection', labelKey: 'dataProtection.nav', roles: ['admin', 'manager'] },
  { href: '/data-protection/audit', labelKey: 'dataProtection.audit.nav', roles: ['admin'] },
  { href: '/accounts', labelKey: 'nav.accounts', roles: ['admin', 'manager'] },
  { href: '/devices', labelKey: 'ward.nav', roles: ['admin', 'manager'] },
  { href: '/admin/homes', labelKey: 'nav.homes', roles: ['admin'] },
  { href: '/admin/mail', labelKey: 'mail.admin.nav', roles: ['admin'] },
  { href: '/account', labelKey: 'nav.account', roles: 'all' },
];

export function navigationFor(user: SessionUser, path: string): NavItem[] {
  const items = MENU.filter((item) => item.roles === 'all' || item.roles.includes(user.role));
  const leads = (href: string) => (href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`));
  // One current item: one the page belongs to, else the most precise that leads to it (/portal/messages is
  // under /portal, and only "Messages" is current there).
  const current = items.find((item) => item.also?.test(path))?.href
    ?? items.filter((item) => leads(item.href)).sort((a, b) => b.href.length - a.href.length)[0]?.href;
  return items.map((item) => ({
    href: item.href,
    labelKey: item.labelKey,
    ...(item.countKey ? { countKey: item.countKey } : {}),
    current: item.href === current,
  }));
}
