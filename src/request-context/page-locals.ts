import { can } from '../common/access/access-policy';
import type { SessionUser } from '../common/access/session-user';
import type { Message } from '../common/errors/domain-errors';
import { translate } from '../common/i18n/i18n';
import { messageText } from '../common/i18n/message-text';
import { navigationFor } from '../common/views/navigation';
import { isWardRoute } from '../ward-devices/pin-session.guard';

export interface PageLocalsInput {
  locale: string;
  user: SessionUser | undefined;
  /** The URL as asked for, query included. */
  url: string;
  csrfToken: string | undefined;
  flash: { kind: string; message: Message }[];
  demoAccounts: unknown;
  wardDevice: boolean;
  /** Signed in with a PIN on a ward tablet. */
  pinSession: boolean;
}

/**
 * What the layout shows around every page (RequestContextMiddleware puts it in res.locals): language,
 * zone, menu, the signed-in user, notices and the CSRF token. Pure, so the benchmark's bare Today
 * server (src/cli/bench/) fills the layout with the same function.
 */
export function pageLocals(input: PageLocalsInput): Record<string, unknown> {
  const { locale, user } = input;
  const locals: Record<string, unknown> = {
    locale,
    timezone: user?.timezone ?? 'Europe/Rome',
    otherLocale: locale === 'it' ? 'en' : 'it',
    currentPath: input.url,
    csrfToken: input.csrfToken,
    flash: input.flash.map((item) => ({ kind: item.kind, text: messageText(locale, item.message.key, item.message.params) })),
    demoAccounts: input.demoAccounts,
    wardDevice: input.wardDevice,
    pinSession: input.pinSession,
  };
  if (user) {
    locals.user = {
      id: user.id, displayName: user.displayName, email: user.email, role: user.role, roleLabel: translate(locale, `roles.${user.role}`),
      // The ward outbox is for those who log activities (staff, and volunteers helping): not relatives or group managers.
      logs: can(user, 'homeStaff') || user.role === 'volunteer',
    };
    const nav = navigationFor(user, input.url.split('?')[0]);
    // A PIN session (ward tablet) reaches ward routes only: its menu offers nothing that would answer 403.
    locals.nav = input.pinSession ? nav.filter((item) => isWardRoute(item.href)) : nav;
  }
  return locals;
}
