// @ts-check
import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';
import sqlTableOwnership from './tools/eslint/sql-table-ownership.js';

/**
 * Lint for the whole repository, and the rules that keep "a module owns its tables" true
 * (docs/architecture.md, issue 14):
 *   R1 a module's entities are imported as values only by that module, the entity registry, the read
 *      models (reports, data-protection), the tools (cli, demo), migrations and tests; `import type` anywhere;
 *   R2 SQL text in a module names only that module's tables (local rule, tools/eslint/);
 *   R3 no SQL and no EntityManager in controllers;
 *   R4 residents does not import activities (records sit below activities);
 *   R5 no deep imports into a library's internals.
 */

/** Modules that may read any table: the two read models and the two tools. */
const READERS = ['reports', 'data-protection', 'cli', 'demo'];

/** R5: only a package's public entry points. */
const DEEP_IMPORTS = [
  { regex: '^typeorm/', message: "Import from 'typeorm' itself: its internal paths change in minor releases (R5)." },
  {
    // @nestjs/common/constants holds the route metadata keys the access-matrix test reads.
    regex: '^@nestjs/[^/]+/(?!constants$)',
    message: "Import from the @nestjs package itself, not a file inside it (R5).",
  },
  {
    regex: '^(@[^/]+/)?[^./@][^/]*/(.+/)?(dist|lib|internal|src|build)(/|$)',
    message: "Import the package's entry point, not its build output or internals (R5).",
  },
];

const R1_MESSAGE =
  "Entities of module '{{ to.element.captured.module }}' are imported as values only inside it (R1): use its service, an enum from {{ to.element.captured.module }}.enums.ts, or `import type` for a type.";

export default defineConfig(
  { ignores: ['dist/**', 'coverage/**', 'data/**', 'public/**', 'views/**', 'locales/**', 'bench/**'] },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommended],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    plugins: { boundaries, insieme: { rules: { 'sql-table-ownership': sqlTableOwnership } } },
    settings: {
      'import/resolver': { node: { extensions: ['.ts', '.js', '.json'] } },
      // Re-exports and import() count too, or an entity could be passed on through another file.
      'boundaries/dependency-nodes': ['import', 'export', 'dynamic-import'],
      'boundaries/elements': [
        // Base classes the entities extend, not tables.
        { type: 'base-entities', pattern: 'src/common/entities', partialMatch: false },
        { type: 'entities', pattern: 'src/*/entities', capture: ['module'], partialMatch: false },
        { type: 'module', pattern: 'src/*', capture: ['module'], partialMatch: false },
        { type: 'migrations', pattern: 'migrations', partialMatch: false },
        { type: 'test', pattern: 'test', partialMatch: false },
      ],
    },
    rules: {
      // A write queue that drops a promise loses a write or an error (issue 14).
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      // Inside try/catch a returned promise must be awaited, or its rejection skips the catch (rollback paths).
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: DEEP_IMPORTS }],
      // Heavy libraries only some requests need load on first use (src/common/lazy-module.ts); only these may be required.
      '@typescript-eslint/no-require-imports': ['error', { allow: ['^pdfkit$', '^fontkit$', '^sharp$', '^nodemailer$', '^qrcode$', '^pino-pretty$'] }],

      'boundaries/dependencies': [
        'error',
        {
          default: 'allow',
          policies: [
            // R1: an entity imported as a value...
            { disallow: { to: { element: { type: 'entities' } }, dependency: { kind: 'value' } }, message: R1_MESSAGE },
            // ...by its own module,
            {
              from: { element: { type: ['module', 'entities'] } },
              allow: { to: { element: { type: 'entities', captured: { module: '{{ from.element.captured.module }}' } } } },
            },
            // ...by a read model or a tool,
            { from: { element: { type: 'module', captured: { module: READERS } } }, allow: { to: { element: { type: 'entities' } } } },
            // ...by migrations and tests (unit specs beside the code included).
            { from: { element: { type: ['migrations', 'test'] } }, allow: { to: { element: { type: 'entities' } } } },
            { from: { file: { path: 'src/**/*.spec.ts' } }, allow: { to: { element: { type: 'entities' } } } },
            // R4: records sit below activities, so residents knows nothing of activities.
            {
              from: { element: { type: ['module', 'entities'], captured: { module: 'residents' } } },
              disallow: { to: { element: { type: ['module', 'entities'], captured: { module: 'activities' } } } },
              message: 'residents may not import activities (R4): records sit below activities; compose the page one level up.',
            },
          ],
        },
      ],
    },
  },
  {
    // R1 does not apply to the registry every entity is listed in.
    files: ['src/database/entities.ts'],
    rules: { 'boundaries/dependencies': 'off' },
  },
  {
    // R2: SQL names only the module's own tables, except in the read models and tools.
    files: ['src/**/*.ts'],
    ignores: [...READERS.map((m) => `src/${m}/**`), 'src/**/*.spec.ts'],
    rules: { 'insieme/sql-table-ownership': 'error' },
  },
  {
    // R3: controllers call services; SQL, units of work and the EntityManager stay below them.
    files: ['src/**/*.controller.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'typeorm', allowTypeImports: true, message: 'No TypeORM in a controller (R3): call a service.' },
            { name: '@nestjs/typeorm', message: 'No repositories in a controller (R3): call a service.' },
          ],
          patterns: [
            ...DEEP_IMPORTS,
            { group: ['**/database/sql', '**/database/unit-of-work'], message: 'No SQL or unit of work in a controller (R3): call a service.' },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "Identifier[name='EntityManager']:not(ImportSpecifier > Identifier)", message: 'No EntityManager in a controller (R3): call a service.' },
        { selector: "MemberExpression[property.name='manager']", message: 'No EntityManager in a controller (R3): call a service.' },
      ],
    },
  },
  {
    files: ['tools/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', __dirname: 'readonly' } },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ignores: ['tools/**'],
    languageOptions: { globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly', console: 'readonly' } },
  },
);
