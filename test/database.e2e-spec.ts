import request from 'supertest';
import { DataSource } from 'typeorm';
import { sqlRows } from '../src/database/sql';
import { UnitOfWork } from '../src/database/unit-of-work';
import { Home } from '../src/homes/entities/home.entity';
import { HomesService } from '../src/homes/homes.service';
import { createHome, createUser } from './support/factories';
import { signIn } from './support/http';
import { createTestApp, TestApp } from './support/test-app';
import { testDatabaseKind } from './support/test-database';

describe('Database and failures', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  (testDatabaseKind() === 'sqlite' ? it : it.skip)('should run SQLite with WAL, foreign keys and full sync', async () => {
    const pragma = async (name: string) => Object.values((await t.dataSource.query(`PRAGMA ${name}`))[0])[0];
    expect(await pragma('journal_mode')).toBe('wal');
    expect(await pragma('foreign_keys')).toBe(1);
    // 2 = FULL: the WAL is synced at every commit.
    expect(await pragma('synchronous')).toBe(2);
    expect(await pragma('busy_timeout')).toBeGreaterThanOrEqual(5000);
    // 2 = MEMORY on the writer: savepoint and statement journals stay in memory; the reader keeps the default (0).
    expect(await pragma('temp_store')).toBe(2);
    expect(Object.values((await t.app.get(DataSource).query('PRAGMA temp_store'))[0])[0]).toBe(0);
  });

  it('should run 100 concurrent read-modify-write transactions without collisions or lost updates', async () => {
    const home = await createHome(t, { name: 'Counter 0' });
    const sut = t.get(UnitOfWork);
    await Promise.all(
      Array.from({ length: 100 }, () =>
        sut.transaction(async (m) => {
          // The no-op update takes the row lock on PostgreSQL; on SQLite the write queue already serialises.
          await m.createQueryBuilder().update(Home).set({ name: () => 'name' }).where('id = :id', { id: home.id }).execute();
          const row = await m.findOneByOrFail(Home, { id: home.id });
          await m.update(Home, { id: home.id }, { name: `Counter ${Number(row.name.split(' ')[1]) + 1}` });
        }),
      ),
    );
    expect((await t.dataSource.getRepository(Home).findOneByOrFail({ id: home.id })).name).toBe('Counter 100');
  });

  it('should roll back a failed transaction and keep the queue moving', async () => {
    const sut = t.get(UnitOfWork);
    await expect(
      sut.transaction(async (m) => {
        await m.insert(Home, { name: 'Half written', slug: 'half-written', timezone: 'Europe/Rome', locale: 'it', address: null });
        throw new Error('power cut');
      }),
    ).rejects.toThrow('power cut');
    expect(await t.dataSource.getRepository(Home).countBy({ slug: 'half-written' })).toBe(0);
    await createHome(t, { slug: 'after-failure' });
    expect(await t.dataSource.getRepository(Home).countBy({ slug: 'after-failure' })).toBe(1);
  });

  it("should keep an open transaction's writes from the app's reads, and show none of them after it rolls back", async () => {
    const sut = t.get(UnitOfWork);
    const homes = t.get(HomesService);
    let written!: (id: string) => void;
    let release!: () => void;
    const wrote = new Promise<string>((resolve) => (written = resolve));
    const held = new Promise<void>((resolve) => (release = resolve));
    const unit = sut.transaction(async (m) => {
      const home = m.create(Home, { name: 'Never committed', slug: 'never-committed', timezone: 'Europe/Rome', locale: 'it', address: null });
      await m.insert(Home, home);
      written(home.id);
      await held;
      throw new Error('power cut');
    });
    const id = await wrote;
    // Repositories (TypeORM) and plain SQL outside a unit of work: the app's two read paths.
    const seen = async () => ({
      bySlug: await homes.findBySlug('never-committed').then(() => true, () => false),
      inList: (await homes.allHomeIds()).includes(id),
      sql: (await sqlRows(sut.manager, 'SELECT id FROM home WHERE id = ?', [id])).length > 0,
    });
    expect(await seen()).toEqual({ bySlug: false, inList: false, sql: false });
    release();
    await expect(unit).rejects.toThrow('power cut');
    expect(await seen()).toEqual({ bySlug: false, inList: false, sql: false });
  });

  (testDatabaseKind() === 'sqlite' ? it : it.skip)('should refuse a write that bypasses the write queue', async () => {
    const reader = t.get(UnitOfWork).manager;
    // TypeORM logs each failed statement; expected here.
    const logged = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      await expect(reader.insert(Home, { name: 'Sneaked', slug: 'sneaked', timezone: 'Europe/Rome', locale: 'it', address: null })).rejects.toThrow(/readonly/);
      await expect(sqlRows(reader, 'DELETE FROM home')).rejects.toThrow(/readonly/);
    } finally {
      logged.mockRestore();
    }
    expect(await t.dataSource.getRepository(Home).countBy({ slug: 'sneaked' })).toBe(0);
  });

  it('should show a plain error page, not a stack trace, when something unexpected fails', async () => {
    const user = await createUser(t, { role: 'manager' });
    const agent = await signIn(t, user.email, user.password);
    const failing = jest.spyOn(t.get(HomesService), 'listForUser').mockRejectedValueOnce(new Error('secret internals at line 42'));
    const logged = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const res = await agent.get('/');
      expect(res.status).toBe(500);
      expect(res.text).toContain('Something went wrong');
      expect(res.text).not.toContain('secret internals');
    } finally {
      failing.mockRestore();
      logged.mockRestore();
    }
  });

  it('should show the not-found page for an unknown address', async () => {
    const res = await request(t.server).get('/no/such/page').set('Accept', 'text/html');
    expect(res.status).toBe(404);
    expect(res.text).toContain('Page not found');
    const api = await request(t.server).get('/api/no/such/thing');
    expect(api.status).toBe(404);
    expect(api.body).toMatchObject({ statusCode: 404, error: 'NOT_FOUND' });
  });
});
