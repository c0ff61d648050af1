import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** tools/build.mjs decides whether `npm start` must build: here on a tree of its own, with --check and --stamp only (no tsc). */
describe('The build, when nothing changed', () => {
  let root: string;
  const check = () => spawnSync(process.execPath, [join(__dirname, 'build.mjs'), '--root', root, '--check']).status;
  const stamp = () => expect(spawnSync(process.execPath, [join(__dirname, 'build.mjs'), '--root', root, '--stamp']).status).toBe(0);
  const write = (path: string, text: string) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'insieme-build-'));
    write('src/main.ts', 'export {};\n');
    write('locales/en/common.json', '{}\n');
    write('package-lock.json', '{}\n');
    write('dist/src/main.js', '');
    write('dist/sw/sw.js', '');
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('should say the build is current after a build, and until an input changes', () => {
    expect(check()).toBe(1);
    stamp();
    expect(check()).toBe(0);
    expect(check()).toBe(0);
  });

  it('should see an edited source, an edit that keeps the size, a new file and changed dependencies', () => {
    stamp();
    write('src/main.ts', 'export {}; // edited\n');
    expect(check()).toBe(1);
    stamp();
    const later = new Date(Date.now() + 5_000);
    utimesSync(join(root, 'locales/en/common.json'), later, later);
    expect(check()).toBe(1);
    stamp();
    write('src/new-module.ts', 'export const x = 1;\n');
    expect(check()).toBe(1);
    stamp();
    write('package-lock.json', '{"lockfileVersion":3}\n');
    expect(check()).toBe(1);
  });

  it('should build when an output is missing, whatever the fingerprint says', () => {
    stamp();
    rmSync(join(root, 'dist/src/main.js'));
    expect(check()).toBe(1);
  });

  it('should not look at what the build does not read (the tests, the docs)', () => {
    stamp();
    write('test/some.e2e-spec.ts', 'x\n');
    write('docs/notes.md', 'x\n');
    expect(check()).toBe(0);
  });
});
