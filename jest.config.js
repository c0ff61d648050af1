/** @type {import('jest').Config} */
const esmPackages = ['@nestjs', 'file-type', 'strtok3', 'token-types', 'uint8array-extras', '@tokenizer', 'peek-readable', '@borewit'];
const shared = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
    '^.+\\.js$': '<rootDir>/test/support/esm-to-cjs.transform.js',
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join('|')})/)`],
};
// Test apps start on copies of one migrated database per run (test/support/test-database.ts).
const templateDatabase = { globalSetup: '<rootDir>/test/support/global-setup.ts', globalTeardown: '<rootDir>/test/support/global-teardown.ts' };
module.exports = {
  // A project cannot set this; e2e tests start the whole app (the CLI test several times).
  testTimeout: 30_000,
  // One test file at a time (each e2e file starts the app; CI runs two suites side by side on two
  // cores), in a worker that is replaced when a file leaves it holding more than this: in one process
  // every file's modules stay on the heap (2 GB by the end of the e2e suite) and garbage collection
  // grows with them. Measured on the SQLite e2e suite: 313 s in band, 268 s this way.
  maxWorkers: 1,
  workerIdleMemoryLimit: '700MB',
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/migrations/**/*.spec.ts', '<rootDir>/tools/**/*.spec.ts'] },
    { ...shared, ...templateDatabase, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
    { ...shared, ...templateDatabase, displayName: 'browser', testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'] },
  ],
};
