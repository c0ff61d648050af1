import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { csrf } from '../common/http/csrf';
import { SignedDoubleSubmit } from '../common/http/signed-double-submit';
import { takeFlash } from '../common/http/flash';
import { regenerateSession, requestPath, wantsJson } from '../common/http/session';
import { localeFromAcceptLanguage, translate } from '../common/i18n/i18n';
import { localeFromCookie } from '../common/i18n/locale-cookie';
import { NavItem, navigationFor } from '../common/views/navigation';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { DemoState } from '../demo/demo-state';
import { MessagesService } from '../messages/messages.service';
import { NotificationsService } from '../notifications/notifications.service';
import { AuthService } from '../auth/auth.service';
import { ABSOLUTE_TIMEOUT_MS } from '../auth/session/database-session.store';
import { isWardRoute } from '../ward-devices/pin-session.guard';
import { WardDevicesService } from '../ward-devices/ward-devices.service';

/**
 * Runs before every route: loads the signed-in user fresh from the database (a disabled account or a
 * session past its 12 hours is signed out here), picks the language, and fills what every page shows.
 */
@Injectable()
export class RequestContextMiddleware implements NestMiddleware {
  private readonly anonymousCsrf: SignedDoubleSubmit;

  constructor(
    private readonly auth: AuthService,
    private readonly demo: DemoState,
    private readonly notifications: NotificationsService,
    private readonly wardDevices: WardDevicesService,
    private readonly messages: MessagesService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.anonymousCsrf = new SignedDoubleSubmit(config.sessionSecret);
  }

  async use(req: Request, res: Response, next: NextFunction): Promise<void> {
    try {
      // The ward tablet's credential first: a PIN session is bound to it.
      await this.wardDevices.resolve(req, res);
      await this.loadUser(req);
      req.locale = req.user?.locale ?? localeFromCookie(req) ?? localeFromAcceptLanguage(req.get('accept-language'));
      // Personal data must not linger in shared or browser caches (shared ward tablets).
      res.setHeader('Cache-Control', 'no-store');
      if (!wantsJson(req)) {
        this.fillPageLocals(req, res);
        if (req.user) res.locals.unreadNotifications = await this.notifications.unreadCount(req.user.id);
        await this.countUnreadMessages(req, res);
      } else if (!req.user && req.method === 'GET' && requestPath(req) === '/api/session') {
        // The tablet asks who is signed in; signed out, its 401 carries the token a PIN sign-in sends.
        res.locals.csrfToken = this.anonymousCsrf.issue(req, res);
      }
      next();
    } catch (error) {
      next(error);
    }
  }

  private async loadUser(req: Request): Promise<void> {
    const session = req.session;
    if (!session?.userId) return;
    // A PIN session lives only on the enrolled tablet it started on: a revoked tablet (or its session
    // cookie taken elsewhere) ends it at once.
    const offTablet = session.signedInBy === 'pin' && session.deviceId !== req.wardDevice?.id;
    const expired = offTablet || !session.authenticatedAt || Date.now() - session.authenticatedAt > ABSOLUTE_TIMEOUT_MS;
    const user = expired ? null : await this.auth.findSessionUser(session.userId);
    if (!user) {
      await regenerateSession(req);
      return;
    }
    req.user = user;
  }

  /** The figure beside "Messages" in the menu, for the roles whose menu has it. */
  private async countUnreadMessages(req: Request, res: Response): Promise<void> {
    const nav = res.locals.nav as NavItem[] | undefined;
    const item = nav?.find((entry) => entry.countKey);
    if (!req.user || !item) return;
    item.count = await this.messages.unreadCount(req.user);
  }

  private fillPageLocals(req: Request, res: Response): void {
    const locale = req.locale;
    const user = req.user;
    res.locals.locale = locale;
    res.locals.timezone = user?.timezone ?? 'Europe/Rome';
    res.locals.otherLocale = locale === 'it' ? 'en' : 'it';
    res.locals.currentPath = req.originalUrl;
    // Anonymous visitors get a token that needs no session, so visiting a public page stores nothing.
    if (!user) res.locals.csrfToken = this.anonymousCsrf.issue(req, res);
    else if (req.method === 'GET') res.locals.csrfToken = csrf.generateToken(req);
    else if (req.session.csrfToken) res.locals.csrfToken = req.session.csrfToken;
    res.locals.flash = takeFlash(req).map((item) => ({ kind: item.kind, text: translate(locale, item.message.key, item.message.params) }));
    res.locals.demoAccounts = this.demo.accountsToShow();
    res.locals.wardDevice = req.wardDevice !== undefined;
    res.locals.pinSession = user !== undefined && req.session?.signedInBy === 'pin';
    if (user) {
      res.locals.user = { id: user.id, displayName: user.displayName, email: user.email, role: user.role, roleLabel: translate(locale, `roles.${user.role}`) };
      const nav = navigationFor(user, requestPath(req));
      // A PIN session (ward tablet) reaches ward routes only: its menu offers nothing that would answer 403.
      res.locals.nav = res.locals.pinSession ? nav.filter((item) => isWardRoute(item.href)) : nav;
    }
  }
}
