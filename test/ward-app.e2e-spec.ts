import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { SERVICE_WORKER_FILE } from '../src/offline/ward-app';
import { createHome, createUser } from './support/factories';
import { signIn } from './support/http';
import { createTestApp, TestApp } from './support/test-app';

/**
 * Issue 15 item 1, the installable ward app, over HTTP: the worker and the manifest are served as a
 * browser needs them, the build wrote the precache list with each file's revision, and the pages say
 * whether the device's page caches must be cleared (docs/offline.md).
 */
const ROOT = join(__dirname, '..');
const md5 = (file: string) => createHash('md5').update(readFileSync(join(ROOT, file))).digest('hex');

function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
}

/** The <html> element's opening tag. */
const htmlTag = (page: string) => /<html[^>]*>/.exec(page)![0];

describe('The installable ward app', () => {
  let t: TestApp;
  let homeId: string;

  beforeAll(async () => {
    t = await createTestApp();
    homeId = (await createHome(t, { timezone: 'Europe/Rome' })).id;
  });

  afterAll(async () => {
    await t.close();
  });

  it('should serve the worker at /sw.js as JavaScript, never cached unchecked, with the strict CSP and no session', async () => {
    const res = await request(t.server).get('/sw.js').expect(200);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['last-modified']).toBeDefined();
    expect(res.headers['set-cookie']).toBeUndefined();
    const csp = directives(String(res.headers['content-security-policy']));
    expect({ script: csp.get('script-src'), worker: csp.get('worker-src'), manifest: csp.get('manifest-src') }).toEqual({ script: ["'self'"], worker: ["'self'"], manifest: ["'self'"] });
    expect(String(res.headers['content-security-policy'])).not.toMatch(/unsafe-(inline|eval)/);
    // A revalidation is a 304, which the browser's update check on every navigation costs.
    await request(t.server).get('/sw.js').set('If-Modified-Since', res.headers['last-modified']).expect(304);
    expect(res.text).toBe(readFileSync(SERVICE_WORKER_FILE, 'utf8'));
  });

  it('should have built the precache list with the MD5 revision of every file the shell needs, and nothing personal', async () => {
    const worker = (await request(t.server).get('/sw.js').expect(200)).text;
    expect(worker).not.toContain('self.__WB_MANIFEST');
    const entries = JSON.parse(/precacheAndRoute\((\[.*?\])\)/s.exec(worker)![1]) as { url: string; revision: string }[];
    const revisions = new Map(entries.map((e) => [e.url, e.revision]));
    expect(Object.fromEntries(['/static/css/app.css', '/static/js/app.js', '/static/js/sw-register.js', '/static/manifest.webmanifest', '/static/icons/icon-192.png'].map((url) => [url, revisions.get(url)]))).toEqual({
      '/static/css/app.css': md5('public/css/app.css'),
      '/static/js/app.js': md5('public/js/app.js'),
      '/static/js/sw-register.js': md5('public/js/sw-register.js'),
      '/static/manifest.webmanifest': md5('public/manifest.webmanifest'),
      '/static/icons/icon-192.png': md5('public/icons/icon-192.png'),
    });
    expect(revisions.get('/static/vendor/idb/index.js')).toBe(md5('node_modules/idb/build/index.js'));
    expect(revisions.get('/static/vendor/workbox-window/workbox-window.prod.mjs')).toBe(md5('node_modules/workbox-window/build/workbox-window.prod.mjs'));
    expect(revisions.get('/offline?lang=en')).toMatch(/^[0-9a-f]{32}$/);
    expect(revisions.get('/offline?lang=it')).toMatch(/^[0-9a-f]{32}$/);
    // No page of anyone's, no API: those are never precached.
    expect(entries.filter((e) => !e.url.startsWith('/static/') && !e.url.startsWith('/offline?lang='))).toEqual([]);
    // Every precached URL answers (a missing one would fail the worker's install).
    for (const { url } of entries) expect({ url, status: (await request(t.server).get(url)).status }).toEqual({ url, status: 200 });
    // The runtime the worker imports is served from our origin.
    for (const file of ['workbox-sw.js', 'workbox-core.prod.js', 'workbox-precaching.prod.js', 'workbox-routing.prod.js', 'workbox-strategies.prod.js']) {
      expect(worker).toContain(file === 'workbox-sw.js' ? "importScripts('/static/workbox/workbox-sw.js')" : '/static/workbox/');
      const res = await request(t.server).get(`/static/workbox/${file}`);
      expect({ file, status: res.status, type: res.headers['content-type'] }).toEqual({ file, status: 200, type: 'text/javascript; charset=utf-8' });
    }
  });

  it('should serve a manifest a browser can install from, with its icons reachable at their sizes', async () => {
    const res = await request(t.server).get('/static/manifest.webmanifest').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/manifest\+json/);
    const manifest = JSON.parse(res.text) as { start_url: string; scope: string; display: string; theme_color: string; background_color: string; icons: { src: string; sizes: string; type: string; purpose: string }[] };
    expect(manifest).toMatchObject({ name: 'Insieme', short_name: 'Insieme', start_url: '/today', scope: '/', display: 'standalone', theme_color: '#1d5c57', background_color: '#f7f3ed' });
    const css = readFileSync(join(ROOT, 'public/css/app.css'), 'utf8');
    expect(css).toContain(`--c-primary: ${manifest.theme_color};`);
    expect(css).toContain(`--c-bg: ${manifest.background_color};`);
    const pngs = manifest.icons.filter((i) => i.type === 'image/png');
    expect(pngs.map((i) => `${i.sizes} ${i.purpose}`).sort()).toEqual(['192x192 any', '512x512 any', '512x512 maskable']);
    for (const icon of pngs) {
      const image = await request(t.server).get(icon.src).buffer(true).expect(200);
      expect(image.headers['content-type']).toBe('image/png');
      // Width and height from the PNG's IHDR chunk.
      const body = image.body as Buffer;
      expect(`${body.readUInt32BE(16)}x${body.readUInt32BE(20)}`).toBe(icon.sizes);
    }
  });

  it('should serve the offline page in the language asked, naming nobody, without a session, and keeping the caches', async () => {
    const user = await createUser(t, { role: 'carer', homeIds: [homeId], displayName: 'Rita Carer' });
    const agent = await signIn(t, user.email, user.password);
    const it = await agent.get('/offline?lang=it').expect(200);
    expect(it.text).toContain('Sei senza rete');
    expect(it.text).toContain('Quello che tocchi resta su questo tablet e viene inviato quando torna la rete.');
    expect(htmlTag(it.text)).toBe('<html lang="it">');
    expect(it.text).not.toContain('Rita Carer');
    expect(it.text).not.toContain('_csrf');
    expect(it.headers['set-cookie']).toBeUndefined();
    const en = await request(t.server).get('/offline?lang=en').expect(200);
    expect(en.text).toContain('You are offline');
    expect((await request(t.server).get('/offline').set('Accept-Language', 'it-IT,it;q=0.9')).text).toContain('Sei senza rete');
    expect((await request(t.server).get('/offline?lang=xx').set('Accept-Language', 'en')).text).toContain('You are offline');
  });

  it('should mark pages for nobody signed in to clear the page caches, and tell the worker the home timezone on signed-in pages', async () => {
    const login = await request(t.server).get('/login').expect(200);
    expect(htmlTag(login.text)).toContain('data-clear-ward-cache');
    const user = await createUser(t, { role: 'carer', homeIds: [homeId] });
    const agent = await signIn(t, user.email, user.password);
    const today = await agent.get('/today').expect(200);
    expect(htmlTag(today.text)).not.toContain('data-clear-ward-cache');
    expect(htmlTag(today.text)).toContain('data-ward-timezone="Europe/Rome"');
    for (const page of [login.text, today.text]) {
      expect(page).toContain('<link rel="manifest" href="/static/manifest.webmanifest">');
      expect(page).toContain('<meta name="theme-color" content="#1d5c57">');
      expect(page).toContain('<script type="module" src="/static/js/sw-register.js"></script>');
      // No inline script: every <script> has a src from our origin.
      expect(page.match(/<script(?![^>]*\ssrc="\/static\/)[^>]*>/g) ?? []).toEqual([]);
    }
  });
});
