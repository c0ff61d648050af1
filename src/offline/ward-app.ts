import { join } from 'node:path';
import type { NextFunction, Request, Response } from 'express';
import { isLocale, localeFromAcceptLanguage, translate } from '../common/i18n/i18n';
import { PROJECT_ROOT } from '../common/paths';

/** Written by tools/build-sw.mjs (`npm run build`; the tests build it when it is stale). */
export const SERVICE_WORKER_FILE = join(PROJECT_ROOT, 'dist', 'sw', 'sw.js');
/** Workbox's browser runtime the worker imports, copied there by the same build (workbox-build is a dev dependency). */
export const WORKBOX_RUNTIME_DIR = join(PROJECT_ROOT, 'dist', 'sw', 'workbox');

/**
 * GET /sw.js, the ward app's service worker (docs/offline.md), at the root so that its scope is the
 * whole app. The browser asks for it again on navigations: no-cache with Last-Modified makes that a 304 (the app turns ETags off).
 */
export function serveServiceWorker(req: Request, res: Response, next: NextFunction): void {
  if (req.path !== '/sw.js' || (req.method !== 'GET' && req.method !== 'HEAD')) return next();
  res.sendFile(
    SERVICE_WORKER_FILE,
    { cacheControl: false, headers: { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-cache' } },
    (error?: Error & { status?: number }) => {
      if (!error) return;
      if (res.headersSent) return;
      // Not built (`npm run build` writes it): no worker, and the pages work as they did without one.
      res.status(error.status === 404 || (error as NodeJS.ErrnoException).code === 'ENOENT' ? 404 : 500).type('text/plain').send('No service worker');
    },
  );
}

/**
 * GET /offline: what the worker shows when a page cannot be fetched and was not kept on the device.
 * The worker precaches it once per language (`?lang=en`, `?lang=it`), so it is served here, before the
 * session: it reads no cookie, takes no flash message, names nobody and holds no CSRF token.
 */
export function serveOfflinePage(req: Request, res: Response, next: NextFunction): void {
  if (req.path !== '/offline' || (req.method !== 'GET' && req.method !== 'HEAD')) return next();
  const lang = req.query.lang;
  const locale = isLocale(lang) ? lang : localeFromAcceptLanguage(req.get('accept-language'));
  res.setHeader('Cache-Control', 'no-cache');
  res.setHeader('Content-Language', locale);
  res.render('offline/index', {
    title: translate(locale, 'offline.title'),
    locale,
    otherLocale: locale === 'it' ? 'en' : 'it',
    currentPath: '/offline',
    offlinePage: true,
  });
}
