/*
 * Insieme: registers the ward app's service worker (/sw.js, docs/offline.md) on every page.
 * - A page for nobody signed in (sign-in, the carer picker after a lock or a revoke) marks itself
 *   <html data-clear-ward-cache>: the day's cached pages and photos are deleted at once. A script that
 *   locks without loading a page dispatches `insieme:clear-ward-cache` on document instead.
 * - A signed-in page tells the worker the home's timezone (its caches are per home day) and the language
 *   (for its offline page).
 * - Today, loaded online, has the worker fetch the day's activity and log pages it links to, so they
 *   open offline even if nobody opened them yet.
 * Unsent taps live in IndexedDB, kept by the log's own script: nothing here touches them.
 */
import { messageSW, Workbox } from '/static/vendor/workbox-window/workbox-window.prod.mjs';

const root = document.documentElement;
const WARD_CACHES = /^insieme-(pages|photos)-/;
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const SHIFT_PAGE = new RegExp(`^/(today|activities/${UUID}(/log)?)$`, 'i');
const signedOut = root.hasAttribute('data-clear-ward-cache');

async function clearWardCaches() {
  // First stop the worker warming pages fetched before the sign-out (a page put after the deletion would stay).
  const controller = navigator.serviceWorker && navigator.serviceWorker.controller;
  // Not waiting long: an older worker (before an update) does not answer this message.
  if (controller) await Promise.race([messageSW(controller, { type: 'CLEAR_WARD_CACHE' }), new Promise((resolve) => setTimeout(resolve, 500))]);
  const keys = await caches.keys();
  await Promise.all(keys.filter((key) => WARD_CACHES.test(key)).map((key) => caches.delete(key)));
  root.dataset.wardCacheCleared = 'true';
}

/**
 * This page if it is a shift page (a page the worker did not fetch itself, on the first visit, is kept
 * so; one it fetched is already fresh and skipped) and the pages Today links to.
 */
function pagesToWarm() {
  const urls = [];
  if (SHIFT_PAGE.test(location.pathname)) urls.push(location.pathname + location.search);
  if (location.pathname === '/today') {
    for (const link of document.querySelectorAll('main a[href]')) {
      const url = new URL(link.href, location.href);
      // The day's activities only: a link to another day's Today is not this day's.
      if (url.origin === location.origin && url.pathname !== '/today' && SHIFT_PAGE.test(url.pathname)) urls.push(url.pathname + url.search);
    }
  }
  return [...new Set(urls)];
}

// A script that locks the tablet in place (no page load) asks for the same clearing with this event.
document.addEventListener('insieme:clear-ward-cache', () => {
  if ('caches' in window) clearWardCaches().catch(() => {});
});

async function start() {
  if (signedOut && 'caches' in window) await clearWardCaches();
  if (!('serviceWorker' in navigator)) return;
  // updateViaCache 'none': a new worker also brings Workbox's runtime afresh, never from the HTTP cache.
  const wb = new Workbox('/sw.js', { scope: '/', updateViaCache: 'none' });
  await wb.register();
  // The active worker, whichever page installed it (wb.messageSW waits for one this page saw install).
  const worker = (await navigator.serviceWorker.ready).active;
  const locale = root.lang;
  const timezone = root.dataset.wardTimezone;
  await messageSW(worker, { type: 'WARD_CONTEXT', payload: { locale, timezone } });
  const urls = signedOut || !navigator.onLine ? [] : pagesToWarm();
  if (urls.length > 0) {
    const answer = await messageSW(worker, { type: 'WARM_SHIFT_PAGES', payload: { urlsToCache: urls } });
    root.dataset.wardCacheWarmed = String(answer && answer.ok ? answer.warmed : 0);
  }
}

start().catch((error) => {
  // The app works without its worker (as before it had one); only offline use is lost.
  console.warn('Insieme: the offline service worker is not available', error);
});
