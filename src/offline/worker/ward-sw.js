/*
 * Insieme's service worker: what a carer needs for the shift opens with no network (docs/offline.md).
 * Built by tools/build-sw.mjs: workbox-build writes the precache list (URLs and revision hashes) in
 * place of the manifest placeholder below and the result is served at /sw.js. Workbox's runtime is
 * copied by the same build and loaded from our origin (/static/workbox/), nothing from a CDN.
 *
 * It never caches /api/*, a non-GET request, or any page but Today and the day's activity and log
 * pages; those pages and the residents' photos go into caches named after the home's day, which are
 * dropped once that day is over and cleared by the pages at sign-out, lock and revoke (sw-register.js).
 */
/* global self, caches, fetch, importScripts, Response, URL, workbox -- a service worker's globals */
importScripts('/static/workbox/workbox-sw.js');
workbox.setConfig({ debug: false, modulePathCb: (name) => `/static/workbox/${name}.prod.js` });
// Workbox loads its modules with importScripts, which a worker may call only while it first runs.
const { core, precaching, routing, strategies } = workbox;

const PAGES = 'insieme-pages-';
const PHOTOS = 'insieme-photos-';
/** The home's timezone and the user's language, told by the pages; nothing personal. */
const SETTINGS = 'insieme-settings';
const SETTINGS_KEY = '/__insieme/ward-context';
const NETWORK_TIMEOUT_SECONDS = 3;
const MAX_PHOTOS = 300;
/** A page warmed less than this long ago is not fetched again when Today loads once more. */
const WARM_AGAIN_AFTER_MS = 10 * 60 * 1000;
const MAX_WARM_URLS = 60;
/** Not Workbox's CACHE_URLS: its router answers that message itself, at once, before anything is kept. */
const WARM = 'WARM_SHIFT_PAGES';
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
/** Today (with its query), an activity and its log: the pages of a shift. */
const SHIFT_PAGE = new RegExp(`^/(today|activities/${UUID}(/log)?)$`, 'i');
const PHOTO = new RegExp(`^/residents/${UUID}/photo$`, 'i');
const PHOTO_IN_HTML = new RegExp(`/residents/${UUID}/photo`, 'gi');

self.skipWaiting();
core.clientsClaim();
precaching.cleanupOutdatedCaches();
precaching.precacheAndRoute(self.__WB_MANIFEST);

let context = null;

async function wardContext() {
  if (context) return context;
  const saved = await (await caches.open(SETTINGS)).match(SETTINGS_KEY);
  context = saved ? await saved.json() : {};
  return context;
}

async function saveWardContext(payload) {
  const next = {
    timezone: typeof payload.timezone === 'string' && payload.timezone ? payload.timezone : (await wardContext()).timezone,
    locale: payload.locale === 'it' || payload.locale === 'en' ? payload.locale : (await wardContext()).locale,
  };
  context = next;
  const cache = await caches.open(SETTINGS);
  await cache.put(SETTINGS_KEY, new Response(JSON.stringify(next), { headers: { 'Content-Type': 'application/json' } }));
}

/** The home's date now (YYYY-MM-DD), in its timezone once a page has said which. */
function homeDay(timezone) {
  const format = (timeZone) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  try {
    return format(timezone || undefined);
  } catch {
    return format(undefined);
  }
}

/** Today's page and photo caches; yesterday's (or any other day's) are deleted on the way. */
async function dayCaches() {
  const day = homeDay((await wardContext()).timezone);
  const names = { pages: PAGES + day, photos: PHOTOS + day };
  const stale = (await caches.keys()).filter((key) => (key.startsWith(PAGES) || key.startsWith(PHOTOS)) && key !== names.pages && key !== names.photos);
  await Promise.all(stale.map((key) => caches.delete(key)));
  return names;
}

function isShiftPage(url) {
  return url.origin === self.location.origin && SHIFT_PAGE.test(url.pathname);
}

/** Set on a page that shows messages meant to be seen once (FLASH_SHOWN_HEADER in src/common/http/flash.ts). */
const FLASH_SHOWN = 'X-Insieme-Flash';

/**
 * Only a whole page of ours: no redirect (to sign-in), no error page, and no page showing a message
 * meant to be seen once ("Activity cancelled."): its copy, opened offline later, would show the
 * message again as news.
 */
const pagesOnly = {
  cacheWillUpdate: async ({ response }) =>
    response.status === 200 && !response.redirected && !response.headers.has(FLASH_SHOWN) && (response.headers.get('Content-Type') || '').startsWith('text/html')
      ? response
      : null,
};
const photosOnly = {
  cacheWillUpdate: async ({ response }) =>
    response.status === 200 && !response.redirected && (response.headers.get('Content-Type') || '').startsWith('image/') ? response : null,
};
/** At most MAX_PHOTOS photos: the oldest go first (a cache lists its keys in the order they were put). */
const photoLimit = {
  cacheDidUpdate: async ({ cacheName }) => {
    const cache = await caches.open(cacheName);
    const keys = await cache.keys();
    await Promise.all(keys.slice(0, Math.max(0, keys.length - MAX_PHOTOS)).map((key) => cache.delete(key)));
  },
};

/** The offline page in the user's language, precached at install. */
async function offlinePage() {
  const { locale } = await wardContext();
  const lang = locale || ((self.navigator.language || '').toLowerCase().startsWith('it') ? 'it' : 'en');
  return (await precaching.matchPrecache(`/offline?lang=${lang}`)) || Response.error();
}

routing.registerRoute(
  ({ request }) => request.mode === 'navigate',
  async ({ event, request, url }) => {
    try {
      if (!isShiftPage(url)) return await fetch(request);
      const { pages } = await dayCaches();
      const strategy = new strategies.NetworkFirst({ cacheName: pages, networkTimeoutSeconds: NETWORK_TIMEOUT_SECONDS, plugins: [pagesOnly] });
      const response = await strategy.handle({ event, request });
      // Not kept (pagesOnly), and the copy kept before goes too: it is out of date (the message tells of a
      // change), and with none kept the page's own warm (sw-register.js) fetches it again without the message.
      if (response.headers.has(FLASH_SHOWN)) await (await caches.open(pages)).delete(url.href);
      return response;
    } catch {
      return offlinePage();
    }
  },
);

routing.registerRoute(
  ({ url }) => url.origin === self.location.origin && PHOTO.test(url.pathname),
  async ({ event, request }) => {
    const { photos } = await dayCaches();
    return new strategies.StaleWhileRevalidate({ cacheName: photos, plugins: [photosOnly, photoLimit] }).handle({ event, request });
  },
);

/** Counts clearings (sign-out, lock, revoke): a warm that began before one keeps nothing after it. */
let clearings = 0;

/**
 * Fetches the day's pages Today links to (and their residents' photos) into today's caches, so a
 * log opens offline though the carer never opened it online.
 */
async function warm(urls) {
  const started = clearings;
  const { pages, photos } = await dayCaches();
  const pageCache = await caches.open(pages);
  const photoCache = await caches.open(photos);
  const wanted = [...new Set(urls)]
    .map((href) => new URL(href, self.location.origin))
    .filter(isShiftPage)
    .slice(0, MAX_WARM_URLS);
  let warmed = 0;
  for (const url of wanted) {
    try {
      if (clearings !== started) break;
      if (await warmPage(url, pageCache, photoCache, () => clearings === started)) warmed += 1;
    } catch {
      // The network went or the server refused: the page is fetched again when Today next loads.
    }
  }
  if (clearings === started) await photoLimit.cacheDidUpdate({ cacheName: photos });
  return warmed;
}

/** One warm at a time: a later Today answers once what an earlier one started is kept too. */
let warming = Promise.resolve(0);
function queueWarm(urls) {
  const run = warming.then(() => warm(urls));
  warming = run.catch(() => 0);
  return run;
}

async function warmPage(url, pageCache, photoCache, stillWanted) {
  const cached = await pageCache.match(url.href);
  if (cached && Date.now() - Date.parse(cached.headers.get('Date') || '') < WARM_AGAIN_AFTER_MS) return false;
  // Marked as fetched ahead (WARM_FETCH_HEADER in src/common/http/flash.ts): a message waiting for the carer's next page stays for it.
  const response = await fetch(url.href, { credentials: 'same-origin', headers: { Accept: 'text/html', 'X-Insieme-Warm': '1' } });
  if (!(await pagesOnly.cacheWillUpdate({ response }))) return false;
  const html = await response.clone().text();
  if (!stillWanted()) return false;
  await pageCache.put(url.href, response);
  for (const photo of new Set(html.match(PHOTO_IN_HTML) || [])) {
    if (await photoCache.match(photo)) continue;
    const image = await fetch(photo, { credentials: 'same-origin' });
    if (!stillWanted()) return false;
    if (await photosOnly.cacheWillUpdate({ response: image })) await photoCache.put(photo, image);
  }
  return true;
}

self.addEventListener('message', (event) => {
  const data = event.data || {};
  const reply = (message) => event.ports[0] && event.ports[0].postMessage(message);
  if (data.type === 'CLEAR_WARD_CACHE') {
    // The page deletes the caches itself; this stops a warm under way from filling them again.
    clearings += 1;
    reply({ ok: true });
  } else if (data.type === 'WARD_CONTEXT') {
    event.waitUntil(saveWardContext(data.payload || {}).then(() => reply({ ok: true })));
  } else if (data.type === WARM) {
    const urls = Array.isArray(data.payload && data.payload.urlsToCache) ? data.payload.urlsToCache.filter((u) => typeof u === 'string') : [];
    event.waitUntil(queueWarm(urls).then((warmed) => reply({ ok: true, warmed }), () => reply({ ok: false })));
  }
});
