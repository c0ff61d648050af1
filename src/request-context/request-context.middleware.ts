import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { csrf } from '../common/http/csrf';
import { SignedDoubleSubmit } from '../common/http/signed-double-submit';
import { takeFlash } from '../common/http/flash';
import { regenerateSession, requestPath, wantsJson } from '../common/http/session';
import { localeFromAcceptLanguage } from '../common/i18n/i18n';
import { localeFromCookie } from '../common/i18n/locale-cookie';
import type { NavItem } from '../common/views/navigation';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { DemoState } from '../demo/demo-state';
import { MessagesService } from '../messages/messages.service';
import { NotificationsService } from '../notifications/notifications.service';
import { AuthService } from '../auth/auth.service';
import { ABSOLUTE_TIMEOUT_MS } from '../auth/session/database-session.store';
import { isSessionEndReason } from '../auth/session/ended-sessions';
import { WardDevicesService } from '../ward-devices/ward-devices.service';
import { pageLocals } from './page-locals';

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
    if (!session) return;
    if (!session.userId) {
      // Ended elsewhere (a password changed, an account disabled): say why once, then forget it.
      if (isSessionEndReason(session.endedBecause)) {
        req.sessionEnded = session.endedBecause;
        await regenerateSession(req);
      }
      return;
    }
    // A PIN session lives only on the enrolled tablet it started on: a revoked tablet (or its session
    // cookie taken elsewhere) ends it at once.
    const offTablet = session.signedInBy === 'pin' && session.deviceId !== req.wardDevice?.id;
    const tooLong = !session.authenticatedAt || Date.now() - session.authenticatedAt > ABSOLUTE_TIMEOUT_MS;
    const user = offTablet || tooLong ? null : await this.auth.findSessionUser(session.userId);
    if (!user) {
      if (tooLong && !offTablet) req.sessionEnded = 'tooLong';
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
    const user = req.user;
    let csrfToken: string | undefined;
    // Anonymous visitors get a token that needs no session, so visiting a public page stores nothing.
    if (!user) csrfToken = this.anonymousCsrf.issue(req, res);
    else if (req.method === 'GET') csrfToken = csrf.generateToken(req) ?? undefined;
    else csrfToken = req.session.csrfToken ?? undefined;
    Object.assign(res.locals, pageLocals({
      locale: req.locale, user, url: req.originalUrl, csrfToken, flash: takeFlash(req, res), demoAccounts: this.demo.accountsToShow(),
      wardDevice: req.wardDevice !== undefined, pinSession: user !== undefined && req.session?.signedInBy === 'pin',
    }));
  }
}
