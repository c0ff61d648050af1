/* global process, console -- a Node script */
// Builds the service worker (docs/offline.md): src/offline/worker/ward-sw.js with the precache list
// workbox-build computes (every URL with an MD5 revision of its content) -> dist/sw/sw.js, served at
// /sw.js. Run by `npm run build`, and by the tests when the output is missing or older than its inputs
// (test/support/service-worker.ts).
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { injectManifest } from 'workbox-build';

const ROOT = join(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
export const SW_SOURCE = join(ROOT, 'src/offline/worker/ward-sw.js');
export const SW_OUTPUT = join(ROOT, 'dist/sw/sw.js');
/** Workbox's browser runtime, copied beside the worker: served at /static/workbox/ without workbox-build (a dev dependency) installed. */
const WORKBOX_OUTPUT = join(ROOT, 'dist/sw/workbox');
const WORKBOX_MODULES = ['workbox-core', 'workbox-precaching', 'workbox-routing', 'workbox-strategies'];

/** Browser builds from npm that pages load, as app.setup.ts serves them under /static/vendor/<name>/. */
const VENDOR_FILES = [
  ['idb', require.resolve('idb/build/index.js')],
  ['workbox-window', require.resolve('workbox-window/build/workbox-window.prod.mjs')],
];
/** The offline page, one copy per language, rendered from these (the layout and every catalogue). */
const LOCALES = ['en', 'it'];
const OFFLINE_PAGE_INPUTS = ['views/layouts', 'views/partials', 'views/offline', 'locales'];

function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)]))
    .sort();
}

function md5(...contents) {
  const hash = createHash('md5');
  for (const content of contents) hash.update(content);
  return hash.digest('hex');
}

function copyWorkboxRuntime() {
  const partial = `${WORKBOX_OUTPUT}-${process.pid}`;
  mkdirSync(partial, { recursive: true });
  copyFileSync(require.resolve('workbox-sw/build/workbox-sw.js'), join(partial, 'workbox-sw.js'));
  for (const name of WORKBOX_MODULES) copyFileSync(require.resolve(`${name}/build/${name}.prod.js`), join(partial, `${name}.prod.js`));
  rmSync(WORKBOX_OUTPUT, { recursive: true, force: true });
  renameSync(partial, WORKBOX_OUTPUT);
}

export async function buildServiceWorker() {
  const offlineRevision = md5(...OFFLINE_PAGE_INPUTS.flatMap((dir) => filesUnder(join(ROOT, dir))).flatMap((file) => [relative(ROOT, file), readFileSync(file)]));
  const additionalManifestEntries = [
    ...VENDOR_FILES.map(([name, file]) => ({ url: `/static/vendor/${name}/${file.split('/').pop()}`, revision: md5(readFileSync(file)) })),
    ...LOCALES.map((lang) => ({ url: `/offline?lang=${lang}`, revision: offlineRevision })),
  ];
  mkdirSync(dirname(SW_OUTPUT), { recursive: true });
  copyWorkboxRuntime();
  // Written beside and renamed, so a server or a test never reads half a worker.
  const partial = join(dirname(SW_OUTPUT), `.sw-${process.pid}.js`);
  const { count, size, warnings } = await injectManifest({
    swSrc: SW_SOURCE,
    swDest: partial,
    globDirectory: join(ROOT, 'public'),
    globPatterns: ['css/**/*.css', 'js/**/*.{js,mjs}', 'icons/*.{png,svg}', 'img/**/*.svg', 'manifest.webmanifest'],
    modifyURLPrefix: { '': '/static/' },
    additionalManifestEntries,
  });
  if (warnings.length > 0) throw new Error(`workbox-build: ${warnings.join('; ')}`);
  renameSync(partial, SW_OUTPUT);
  return { count, size, output: relative(ROOT, SW_OUTPUT), modified: statSync(SW_OUTPUT).mtimeMs };
}

if (process.argv[1] === import.meta.filename) {
  const { count, size, output } = await buildServiceWorker();
  console.log(`${output}: ${count} files precached (${Math.round(size / 1024)} KiB)`);
}
