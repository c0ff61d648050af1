import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import type { DestinationStream } from 'pino';
import { DataSource } from 'typeorm';
import * as argon2 from 'argon2';
import { AppModule } from '../../src/app.module';
import { PASSWORD_HASHING, PasswordHashing } from '../../src/auth/password-hasher';
import { configureApp } from '../../src/app.setup';
import { REQUEST_LOG_DESTINATION } from '../../src/common/logging/request-log';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { AppDataSources, DATA_SOURCES } from '../../src/database/data-source';
import { ensureServiceWorkerBuilt } from './service-worker';
import { createMigratedTestDatabase, TestDatabase } from './test-database';

/** The audit chain's HMAC key in every test app; CLI commands a test spawns get it too. */
export const TEST_AUDIT_KEY = 'test-audit-key-that-is-long-enough-for-the-validator';

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  /** The writer: fixtures write through it directly, beside the app's write queue (the app reads on its own reader). */
  dataSource: DataSource;
  database: TestDatabase;
  /** The HTTP server, for supertest. */
  server: ReturnType<NestExpressApplication['getHttpServer']>;
  get<T>(type: new (...args: never[]) => T): T;
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  /** An existing database to reuse (for restarts); a new one is made otherwise. */
  database?: TestDatabase;
  /** Where the request log writes; the log is off in tests without one. */
  requestLog?: DestinationStream;
  /**
   * 'production' keeps the app's own argon2id cost (19 MiB, 2 passes, about 30 ms a hash here), for
   * the tests of the cost itself and of the work around it. Otherwise passwords are hashed with argon2id
   * at 1 MiB and 1 pass (about 1 ms): the e2e suite hashes and verifies some 1,400 passwords, 40 s of a
   * core on each pass at the real cost.
   */
  passwordHashing?: 'production' | 'fast';
}

const FAST_PASSWORD_HASHING: PasswordHashing = { type: argon2.argon2id, memoryCost: 1024, timeCost: 1, parallelism: 1 };

/** The real app, in process, on a fresh migrated database, configured exactly as main.ts does. */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  // Served at /sw.js as in production, where `npm run build` writes it.
  ensureServiceWorkerBuilt();
  const database = options.database ?? (await createMigratedTestDatabase());
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: database.url,
    SESSION_SECRET: 'test-secret-that-is-long-enough-for-the-validator',
    AUDIT_KEY: TEST_AUDIT_KEY,
    SEED_DEMO: 'false',
    UPLOADS_DIR: database.uploadsDir,
    ...options.env,
  });
  const testing = Test.createTestingModule({ imports: [AppModule.forRoot(config)] })
    .overrideProvider(REQUEST_LOG_DESTINATION).useValue(options.requestLog ?? null);
  if (options.passwordHashing !== 'production') testing.overrideProvider(PASSWORD_HASHING).useValue(FAST_PASSWORD_HASHING);
  const moduleRef = await testing.compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: ['error'] });
  configureApp(app, config);
  await app.init();
  return {
    app,
    config,
    database,
    dataSource: app.get<AppDataSources>(DATA_SOURCES).writer,
    server: app.getHttpServer(),
    get: (type) => app.get(type),
    close: async () => {
      await app.close();
      if (!options.database) await database.drop();
    },
  };
}
