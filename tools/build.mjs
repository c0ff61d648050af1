/* global process, console -- a Node script */
// The build: `tsc -p tsconfig.build.json`, then the service worker (tools/build-sw.mjs).
//   node tools/build.mjs               build (npm run build)
//   node tools/build.mjs --if-changed  build only when an input changed since the last build (npm start)
//   node tools/build.mjs --check       exit 0 when the last build is current, 1 when not; builds nothing
//   node tools/build.mjs --stamp       record the inputs as built; builds nothing
// "Changed" is make's rule: the inputs' paths, sizes and modification times hash to a fingerprint,
// which a build writes to dist/.build-fingerprint; an output missing counts as changed. Hashing the
// inputs' metadata takes tens of milliseconds, where tsc takes half a minute even when nothing changed.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const args = process.argv.slice(2);
const rootAt = args.indexOf('--root');
const ROOT = rootAt >= 0 ? args[rootAt + 1] : join(import.meta.dirname, '..');

/** What the build reads: sources, templates and catalogues (the offline page), static files (the precache list), settings, locked dependencies. */
const INPUTS = ['src', 'migrations', 'views', 'locales', 'public', 'tools/build.mjs', 'tools/build-sw.mjs', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];
const OUTPUTS = ['dist/src/main.js', 'dist/sw/sw.js'];
const FINGERPRINT = join(ROOT, 'dist/.build-fingerprint');

function files(path) {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((entry) => files(join(path, entry.name)));
}

function fingerprint() {
  const hash = createHash('sha256');
  for (const input of INPUTS) {
    for (const file of files(join(ROOT, input))) {
      const { size, mtimeMs } = statSync(file);
      hash.update(`${relative(ROOT, file)}\0${size}\0${mtimeMs}\n`);
    }
  }
  return hash.digest('hex');
}

function current() {
  return OUTPUTS.every((output) => existsSync(join(ROOT, output)))
    && existsSync(FINGERPRINT) && readFileSync(FINGERPRINT, 'utf8').trim() === fingerprint();
}

function stamp() {
  mkdirSync(dirname(FINGERPRINT), { recursive: true });
  writeFileSync(FINGERPRINT, `${fingerprint()}\n`);
}

function run(command, commandArgs) {
  const result = spawnSync(process.execPath, commandArgs, { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`${command} failed`);
    process.exit(result.status ?? 1);
  }
}

if (args.includes('--check')) process.exit(current() ? 0 : 1);
if (args.includes('--stamp')) {
  stamp();
  process.exit(0);
}
if (args.includes('--if-changed') && current()) {
  console.error('Build is current: nothing changed since the last build.');
  process.exit(0);
}
// The fingerprint of the inputs as they are before building: a file saved during the build counts as changed next time.
const before = fingerprint();
run('tsc', [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json']);
run('build-sw', [join(ROOT, 'tools/build-sw.mjs')]);
mkdirSync(dirname(FINGERPRINT), { recursive: true });
writeFileSync(FINGERPRINT, `${before}\n`);
