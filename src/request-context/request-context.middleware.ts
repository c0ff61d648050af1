import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { csrf } from '../common/http/csrf';
import { takeFlash } from '../common/http/flash';
import { regenerateSession, requestPath, wantsJson } from '../common/http/session';
import { isLocale, localeFromAcceptLanguage, translate } from '../common/i18n/i18n';
import { navigationFor } from '../common/views/navigation';
import { DemoState } from '../demo/demo-state';
import { NotificationsService } from '../notifications/notifications.service';
import { AuthService } from '../auth/auth.service';
import { ABSOLUTE_TIMEOUT_MS } from '../auth/session/database-session.store';

/**
 * Runs before every route: loads the signed-in user fresh from the database (a disabled account or a
 * session past its 12 hours is signed out here), picks the language, and fills what every page shows.
 */
@Injectable()
export class RequestContextMiddleware implements NestMiddleware {
  constructor(private readonly auth: AuthService, private readonly demo: DemoState, private readonly notifications: NotificationsService) {}

  async use(req: Request, res: Response, next: NextFunction): Promise<void> {
    try {
      await this.loadUser(req);
      const session = req.session;
      req.locale = req.user?.locale ?? (isLocale(session?.locale) ? session.locale : localeFromAcceptLanguage(req.get('accept-language')));
      // Personal data must not linger in shared or browser caches (shared ward tablets).
      res.setHeader('Cache-Control', 'no-store');
      if (!wantsJson(req)) {
        this.fillPageLocals(req, res);
        if (req.user) res.locals.unreadNotifications = await this.notifications.unreadCount(req.user.id);
      }
      next();
    } catch (error) {
      next(error);
    }
  }

  private async loadUser(req: Request): Promise<void> {
    const session = req.session;
    if (!session?.userId) return;
    const expired = !session.authenticatedAt || Date.now() - session.authenticatedAt > ABSOLUTE_TIMEOUT_MS;
    const user = expired ? null : await this.auth.findSessionUser(session.userId);
    if (!user) {
      await regenerateSession(req);
      return;
    }
    req.user = user;
  }

  private fillPageLocals(req: Request, res: Response): void {
    const locale = req.locale;
    const user = req.user;
    res.locals.locale = locale;
    res.locals.timezone = user?.timezone ?? 'Europe/Rome';
    res.locals.otherLocale = locale === 'it' ? 'en' : 'it';
    res.locals.currentPath = req.originalUrl;
    if (req.session && req.method === 'GET') res.locals.csrfToken = csrf.generateToken(req);
    else if (req.session?.csrfToken) res.locals.csrfToken = req.session.csrfToken;
    res.locals.flash = takeFlash(req).map((item) => ({ kind: item.kind, text: translate(locale, item.message.key, item.message.params) }));
    res.locals.demoAccounts = this.demo.accountsToShow();
    if (user) {
      res.locals.user = { displayName: user.displayName, email: user.email, role: user.role, roleLabel: translate(locale, `roles.${user.role}`) };
      res.locals.nav = navigationFor(user, requestPath(req));
    }
  }
}
