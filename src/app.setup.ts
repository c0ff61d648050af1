import type { NestExpressApplication } from '@nestjs/platform-express';
import express from 'express';
import session from 'express-session';
import helmet from 'helmet';
import { DatabaseSessionStore } from './auth/session/database-session.store';
import { SESSION_COOKIE } from './auth/session/session-manager';
import { UnsupportedMediaTypeError } from './common/errors/domain-errors';
import { PUBLIC_DIR } from './common/paths';
import { configureViews } from './common/views/view-engine';
import { AppConfig } from './config/app-config';

export const BODY_LIMIT = '200kb';

/**
 * Express-level set-up shared by main.ts and the test app: headers, static files, views, body
 * parsing and the session. Everything Nest-level (pipes, guards, filters) lives in AppModule.
 */
export function configureApp(app: NestExpressApplication, config: AppConfig): void {
  const behindTls = config.trustProxy !== false;
  app.set('trust proxy', config.trustProxy);
  app.disable('x-powered-by');
  // Pages are personal and never cached (no-store): a validator hashed from every body buys nothing.
  app.set('etag', false);
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          objectSrc: ["'none'"],
          baseUri: ["'none'"],
          ...(behindTls ? { upgradeInsecureRequests: [] } : {}),
        },
      },
      strictTransportSecurity: behindTls ? { maxAge: 31_536_000, includeSubDomains: true } : false,
      referrerPolicy: { policy: 'same-origin' },
      crossOriginEmbedderPolicy: false,
      xFrameOptions: { action: 'deny' },
    }),
  );
  app.useStaticAssets(PUBLIC_DIR, { prefix: '/static/', maxAge: config.isProduction ? '7d' : 0 });
  configureViews(app);

  // The API speaks JSON only: a cross-site HTML form cannot send it, which keeps API sign-in safe.
  app.use('/api', (req: express.Request, _res: express.Response, next: express.NextFunction) => {
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD' && Number(req.headers['content-length'] ?? 0) > 0;
    next(hasBody && !req.is('application/json') ? new UnsupportedMediaTypeError() : undefined);
  });
  app.use(express.json({ limit: BODY_LIMIT }));
  // extended: false parses flat fields only, so no nested objects or prototype keys reach the DTOs.
  app.use(express.urlencoded({ extended: false, limit: BODY_LIMIT, parameterLimit: 2000 }));

  app.use(
    session({
      name: SESSION_COOKIE,
      secret: config.sessionSecret,
      store: app.get(DatabaseSessionStore),
      resave: false,
      saveUninitialized: false,
      // A browser-session cookie, without Expires (OWASP's advice for session ids: nothing kept on a
      // shared tablet's disk). The 30 minutes idle are counted on the server, where the stored expiry
      // moves on with each request (DatabaseSessionStore.touch); so the cookie never changes and is
      // sent once, not signed again on every response.
      rolling: false,
      proxy: behindTls,
      cookie: { httpOnly: true, sameSite: 'lax', secure: behindTls ? 'auto' : false, path: '/' },
    }),
  );
  app.use(saveSessionBeforeRedirect);
}

/**
 * express-session saves at the end of the response, which can be after the browser has followed a
 * redirect: the next page would read the old session and miss a flash message or a sign-in. A
 * session that holds something is therefore saved before any redirect goes out.
 */
function saveSessionBeforeRedirect(req: express.Request, res: express.Response, next: express.NextFunction): void {
  const redirect = res.redirect.bind(res) as (...args: unknown[]) => void;
  res.redirect = ((...args: unknown[]) => {
    const session = req.session;
    const worthSaving = session && (session.userId || session.flash || session.locale || session.csrfToken);
    if (!worthSaving) return redirect(...args);
    session.save(() => redirect(...args));
  }) as express.Response['redirect'];
  next();
}
