import type { NestExpressApplication } from '@nestjs/platform-express';
import { dirname } from 'node:path';
import express from 'express';
import helmet from 'helmet';
import { SessionMiddleware } from './auth/session/session.middleware';
import { UnsupportedMediaTypeError } from './common/errors/domain-errors';
import { RequestLog } from './common/logging/request-log';
import { verifyJsonBody } from './common/http/body-bounds';
import { declareRequestFieldsOn } from './common/http/request-fields';
import { answerRefusedRequests } from './common/http/client-error';
import { PUBLIC_DIR } from './common/paths';
import { configureViews } from './common/views/view-engine';
import { AppConfig } from './config/app-config';
import { serveOfflinePage, serveServiceWorker, WORKBOX_RUNTIME_DIR } from './offline/ward-app';

export const BODY_LIMIT = '200kb';

/** npm packages whose browser builds pages load: /static/vendor/<name>/<file>. */
const VENDOR_DIRS: Record<string, string> = {
  idb: dirname(require.resolve('idb/build/index.js')),
  'workbox-window': dirname(require.resolve('workbox-window/build/workbox-window.prod.mjs')),
};

/**
 * Express-level set-up shared by main.ts and the test app: headers, static files, views, body
 * parsing and the session. Everything Nest-level (pipes, guards, filters) lives in AppModule.
 */
export function configureApp(app: NestExpressApplication, config: AppConfig): void {
  // Before Express sees a request: the properties it will be given are declared on the plain object
  // (request-fields.ts says why).
  declareRequestFieldsOn(app.getHttpServer());
  // First, so every request is logged with its id, also one refused by a middleware below.
  app.use(app.get(RequestLog).middleware);
  answerRefusedRequests(app.getHttpServer());
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
          workerSrc: ["'self'"],
          manifestSrc: ["'self'"],
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
  // Browser libraries from npm, served from our origin as their packages build them (no CDN, no bundler).
  for (const [name, dir] of Object.entries(VENDOR_DIRS)) {
    app.useStaticAssets(dir, { prefix: `/static/vendor/${name}/`, maxAge: config.isProduction ? '7d' : 0 });
  }
  // The service worker's Workbox runtime, copied from npm by the build (tools/build-sw.mjs).
  app.useStaticAssets(WORKBOX_RUNTIME_DIR, { prefix: '/static/workbox/', maxAge: config.isProduction ? '7d' : 0 });
  configureViews(app);
  // The ward app's worker and offline page, before the session: neither reads nor starts one.
  app.use(serveServiceWorker);
  app.use(serveOfflinePage);

  // The API speaks JSON only: a cross-site HTML form cannot send it, which keeps API sign-in safe.
  // Any framing counts as a body, as body-parser decides (type-is hasBody: Transfer-Encoding or
  // Content-Length), so a chunked form cannot slip past; Content-Length: 0 carries nothing to refuse.
  app.use('/api', (req: express.Request, _res: express.Response, next: express.NextFunction) => {
    const length = req.headers['content-length'];
    const hasBody = req.headers['transfer-encoding'] !== undefined || (length !== undefined && Number(length) !== 0);
    next(hasBody && !req.is('application/json') ? new UnsupportedMediaTypeError() : undefined);
  });
  // The size limit holds whatever the framing (raw-body counts the bytes); the nesting is checked on
  // those bytes before JSON.parse.
  app.use(express.json({ limit: BODY_LIMIT, verify: verifyJsonBody }));
  // extended: false parses flat fields only, so no nested objects or prototype keys reach the DTOs.
  app.use(express.urlencoded({ extended: false, limit: BODY_LIMIT, parameterLimit: 2000 }));

  // The session (our own middleware: src/auth/session/session.middleware.ts); what a request changes in
  // it is stored before its response goes out, so a redirect followed at once reads it.
  const sessions = app.get(SessionMiddleware);
  sessions.install(app.getHttpAdapter().getInstance());
  app.use(sessions.handle);
}

