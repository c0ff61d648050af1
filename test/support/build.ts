import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');
export const BUILT_MAIN = join(ROOT, 'dist/src/main.js');
/** Written after a build that finished, so a build cut short is not taken for a whole one. */
const STAMP = join(ROOT, 'dist/.built-by-tests');

/** The newest modification time of the files the build reads. */
function newestSource(): number {
  const walk = (dir: string): number =>
    Math.max(0, ...readdirSync(dir, { withFileTypes: true }).map((e) => (e.isDirectory() ? walk(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs)));
  return Math.max(walk(join(ROOT, 'src')), walk(join(ROOT, 'migrations')), ...['tsconfig.json', 'tsconfig.build.json', 'package.json'].map((f) => statSync(join(ROOT, f)).mtimeMs));
}

/**
 * Compiles the app into dist/ as `npm run build` does, for tests that run it in processes of their
 * own; skipped when dist/ is newer than every source file (a build takes half a minute).
 */
export function buildApp(): void {
  // A whole build (npm run build, npm start) that is current will do: CI builds before the tests,
  // so the suites running side by side never compile into dist/ at the same time.
  if (spawnSync(process.execPath, [join(ROOT, 'tools/build.mjs'), '--check'], { cwd: ROOT, stdio: 'ignore' }).status === 0) return;
  let built = 0;
  try {
    built = statSync(STAMP).mtimeMs;
  } catch {
    // Not built by a test yet.
  }
  if (built > newestSource()) return;
  const started = new Date();
  execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT });
  // Dated when the build began: a source saved during the build is newer, and is built next time.
  writeFileSync(STAMP, `${started.toISOString()}\n`);
  utimesSync(STAMP, started, started);
}
