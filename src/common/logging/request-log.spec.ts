import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../config/app-config';
import { NO_ROUTE, routePattern } from './request-log';

describe('request log configuration', () => {
  let rootDir: string;

  beforeEach(() => {
    rootDir = mkdtempSync(join(tmpdir(), 'insieme-log-config-'));
    writeFileSync(join(rootDir, 'package.json'), JSON.stringify({ name: 'insieme', version: '1.0.0' }));
  });

  afterEach(() => {
    rmSync(rootDir, { recursive: true, force: true });
  });

  const sut = (env: NodeJS.ProcessEnv) => loadConfig({ SESSION_SECRET: 's'.repeat(32), AUDIT_KEY: 'a'.repeat(32), ...env }, rootDir);

  it('should default LOG_FORMAT to json when NODE_ENV is production', () => {
    expect(sut({ NODE_ENV: 'production' }).logFormat).toBe('json');
  });

  it('should default LOG_FORMAT to pretty when NODE_ENV is development', () => {
    expect(sut({ NODE_ENV: 'development' }).logFormat).toBe('pretty');
  });

  it.each(['json', 'pretty'] as const)('should keep LOG_FORMAT=%s when it is given', (format) => {
    expect(sut({ NODE_ENV: 'production', LOG_FORMAT: format }).logFormat).toBe(format);
  });

  it('should stop with one line naming LOG_FORMAT when its value is not json or pretty', () => {
    expect(() => sut({ LOG_FORMAT: 'xml' })).toThrow(ConfigError);
    expect(() => sut({ LOG_FORMAT: 'xml' })).toThrow('Invalid configuration: LOG_FORMAT must be json or pretty (got "xml")');
  });
});

describe('routePattern', () => {
  it('should give the declared pattern when a route matched', () => {
    expect(routePattern({ route: { path: '/password/reset/:token' } } as never)).toBe('/password/reset/:token');
  });

  it('should give NO_ROUTE, never the URL, when no route matched', () => {
    expect(routePattern({ route: undefined } as never)).toBe(NO_ROUTE);
    expect(routePattern({ route: undefined, path: '/password/reset/abc' } as never)).toBe(NO_ROUTE);
  });

  it('should give the path of the ward app\'s worker and offline page, answered before the router', () => {
    expect(routePattern({ route: undefined, path: '/sw.js' } as never)).toBe('/sw.js');
    expect(routePattern({ route: undefined, path: '/offline' } as never)).toBe('/offline');
  });
});
