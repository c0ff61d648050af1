import { RuleTester } from 'eslint';
import { join } from 'node:path';
import tseslint from 'typescript-eslint';
import sut from './sql-table-ownership';

const root = join(__dirname, '..', '..');
const tables = { resident: 'residents', activity: 'activities', roster_entry: 'activities', user: 'auth', home: 'homes' };
const options = [{ tables }];
const inActivities = join(root, 'src/activities/activities.service.ts');

// RuleTester runs its cases as Jest tests of their own (describe/it).
const tester = new RuleTester({ languageOptions: { parser: tseslint.parser } });

describe('sql-table-ownership', () => {
  // Tables read from the @Entity decorators under src/ when none are given.
  tester.run('sql-table-ownership (tables of src/)', sut, {
    valid: [{ code: "sqlRows(m, 'SELECT id FROM activity')", filename: inActivities }],
    invalid: [{ code: "sqlRows(m, 'SELECT id FROM resident')", filename: inActivities, errors: [{ messageId: 'foreignTable' }] }],
  });

  tester.run('sql-table-ownership', sut, {
    valid: [
      // the module's own tables, bare or quoted
      { code: 'sqlRows(m, `SELECT a.id FROM activity a JOIN "roster_entry" e ON e."activityId" = a.id WHERE a.id = ?`, [id])', filename: inActivities, options },
      { code: "sqlRun(m, 'DELETE FROM roster_entry WHERE id = ?', [id])", filename: inActivities, options },
      // a table-like word that is not in a table position, and prose with lower-case keywords
      { code: "const label = 'resident';", filename: inActivities, options },
      { code: "throw new Error('could not read from resident list');", filename: inActivities, options },
      // a table given by interpolation is not read as a name
      { code: 'sqlRows(m, `SELECT * FROM ${table}`)', filename: inActivities, options },
      // outside a module (src/main.ts) and outside src/ the rule has nothing to say
      { code: "sqlRows(m, 'SELECT * FROM resident')", filename: join(root, 'src/main.ts'), options },
      { code: "sqlRows(m, 'SELECT * FROM resident')", filename: join(root, 'test/residents.e2e-spec.ts'), options },
      // a column after FROM in EXTRACT is not a table
      { code: `sqlRows(m, 'SELECT EXTRACT(YEAR FROM "startsAt") FROM activity')`, filename: inActivities, options },
    ],
    invalid: [
      {
        code: `sqlRows(m, 'SELECT r.id FROM resident r WHERE r."homeId" = ?', [homeId])`,
        filename: inActivities,
        options,
        errors: [{ messageId: 'foreignTable', data: { module: 'activities', table: 'resident', owner: 'residents' } }],
      },
      {
        code: 'sqlRows(m, `SELECT a.id FROM activity a JOIN "user" u ON u.id = a."createdById" WHERE a.id IN (${ids})`)',
        filename: inActivities,
        options,
        errors: [{ messageId: 'foreignTable', data: { module: 'activities', table: 'user', owner: 'auth' } }],
      },
      { code: "const SQL = 'INSERT INTO home (id) VALUES (?)';", filename: inActivities, options, errors: [{ messageId: 'foreignTable' }] },
      { code: "manager.query('UPDATE \"resident\" SET name = $1')", filename: inActivities, options, errors: [{ messageId: 'foreignTable' }] },
      { code: "sqlRun(m, 'DELETE FROM home WHERE id = ?', [id])", filename: inActivities, options, errors: [{ messageId: 'foreignTable' }] },
      // lower-case SQL counts when it is handed to a SQL call
      { code: "sqlRows(m, 'select id from resident')", filename: inActivities, options, errors: [{ messageId: 'foreignTable' }] },
      // built by concatenation
      { code: "sqlRows(m, 'SELECT id ' + 'FROM resident')", filename: inActivities, options, errors: [{ messageId: 'foreignTable' }] },
      // two foreign tables, two reports
      {
        code: "sqlRows(m, 'SELECT 1 FROM activity a JOIN resident r ON r.id = a.id JOIN home h ON h.id = r.id')",
        filename: inActivities,
        options,
        errors: [{ messageId: 'foreignTable', data: { module: 'activities', table: 'resident', owner: 'residents' } }, { messageId: 'foreignTable', data: { module: 'activities', table: 'home', owner: 'homes' } }],
      },
    ],
  });
});
