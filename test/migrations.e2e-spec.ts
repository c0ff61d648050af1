import { loadConfig } from '../src/config/app-config';
import { createDataSource } from '../src/database/data-source';
import { migrations } from '../migrations';
import { createTestDatabase, TestDatabase } from './support/test-database';

describe('Migrations', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database.drop();
  });

  it('should go up and down and up again on this database', async () => {
    const dataSource = createDataSource(loadConfig({ NODE_ENV: 'test', DATABASE_URL: database.url, SESSION_SECRET: 's'.repeat(40) }));
    await dataSource.initialize();
    try {
      const tables = async () => {
        const runner = dataSource.createQueryRunner();
        try {
          return (await runner.getTables(['home', 'user', 'session', 'audit_entry', 'resident', 'family_link', 'volunteer', 'staff_member', 'invitation'])).map((t) => t.name.split('.').pop());
        } finally {
          await runner.release();
        }
      };
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      expect(applied).toHaveLength(migrations.length);
      expect((await tables()).sort()).toEqual(['audit_entry', 'family_link', 'home', 'invitation', 'resident', 'session', 'staff_member', 'user', 'volunteer']);
      expect(await dataSource.showMigrations()).toBe(false);

      for (let i = 0; i < migrations.length; i += 1) await dataSource.undoLastMigration({ transaction: 'each' });
      expect(await tables()).toEqual([]);

      await dataSource.runMigrations({ transaction: 'each' });
      expect((await tables()).length).toBe(9);
      // The audit chain starts from its genesis row after every fresh migration.
      expect(await dataSource.query('SELECT seq FROM audit_head')).toEqual([{ seq: 0 }]);
    } finally {
      await dataSource.destroy();
    }
  });
});
