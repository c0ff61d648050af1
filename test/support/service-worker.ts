import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICE_WORKER_FILE } from '../../src/offline/ward-app';

const ROOT = join(__dirname, '../..');
/** What tools/build-sw.mjs reads: the worker's source, the files it precaches, the offline page's views and words. */
const INPUTS = ['src/offline/worker', 'public', 'views/layouts', 'views/partials', 'views/offline', 'locales'];
const INPUT_FILES = ['tools/build-sw.mjs', 'package-lock.json'];

function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

/**
 * Builds the service worker as `npm run build` does (the tests run from sources, without a build), when
 * dist/sw/sw.js is missing or older than what it is built from; a few milliseconds otherwise.
 */
export function ensureServiceWorkerBuilt(): void {
  let built = 0;
  try {
    built = statSync(SERVICE_WORKER_FILE).mtimeMs;
  } catch {
    // Never built here.
  }
  const inputs = Math.max(...INPUTS.map((dir) => newest(join(ROOT, dir))), ...INPUT_FILES.map((file) => statSync(join(ROOT, file)).mtimeMs));
  if (built > inputs) return;
  execFileSync(process.execPath, [join(ROOT, 'tools/build-sw.mjs')], { cwd: ROOT, stdio: 'pipe' });
}
