import request from 'supertest';
import { Activity } from '../src/activities/entities/activity.entity';
import { HelpOffer } from '../src/activities/entities/help-offer.entity';
import { Participation } from '../src/activities/entities/participation.entity';
import { User } from '../src/auth/entities/user.entity';
import { Contribution } from '../src/contributions/entities/contribution.entity';
import { FamilyLink } from '../src/residents/entities/family-link.entity';
import { Home } from '../src/homes/entities/home.entity';
import { Unit } from '../src/homes/entities/unit.entity';
import { Resident } from '../src/residents/entities/resident.entity';
import { StaffMember } from '../src/staff/entities/staff-member.entity';
import { Volunteer } from '../src/volunteers/entities/volunteer.entity';
import { currentQuarter } from '../src/common/time/quarter';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../src/demo/demo-accounts';
import { signIn } from './support/http';
import { createTestApp } from './support/test-app';
import { createTestDatabase } from './support/test-database';

describe('Demo home', () => {
  it('should seed Casa Serena and its group on first start, once, and let every demo account sign in', async () => {
    const database = await createTestDatabase();
    const t = await createTestApp({ env: { SEED_DEMO: 'true', NODE_ENV: 'development' }, database });
    try {
      const home = await t.dataSource.getRepository(Home).findOneByOrFail({ slug: 'casa-serena' });
      expect(home).toMatchObject({ name: 'Casa Serena', timezone: 'Europe/Rome' });
      expect(await t.dataSource.getRepository(Unit).countBy({ homeId: home.id })).toBe(2);
      expect(await t.dataSource.getRepository(Resident).countBy({ homeId: home.id })).toBe(24);
      expect(await t.dataSource.getRepository(StaffMember).countBy({ homeId: home.id })).toBeGreaterThan(5);
      expect(await t.dataSource.getRepository(FamilyLink).countBy({ homeId: home.id })).toBeGreaterThan(10);
      const volunteers = await t.dataSource.getRepository(Volunteer).findBy({ homeId: home.id });
      const today = new Date().toISOString().slice(0, 10);
      expect(volunteers.some((v) => v.backgroundCheckExpiresOn !== null && v.backgroundCheckExpiresOn < today)).toBe(true);

      // A living programme: three months held and logged, two weeks ahead planned.
      const activities = t.dataSource.getRepository(Activity);
      expect(await activities.countBy({ homeId: home.id, status: 'completed' })).toBeGreaterThan(120);
      expect(await activities.countBy({ homeId: home.id, status: 'planned' })).toBeGreaterThan(15);
      expect(await t.dataSource.getRepository(Participation).countBy({ homeId: home.id })).toBeGreaterThan(800);
      const actors = await t.dataSource.getRepository(Contribution).createQueryBuilder('c').select('DISTINCT c.actorType', 'actorType').where('c.homeId = :id', { id: home.id }).getRawMany();
      expect(actors.map((a) => a.actorType).sort()).toEqual(['family', 'resident', 'staff', 'volunteer']);
      expect(await t.dataSource.getRepository(HelpOffer).countBy({ homeId: home.id, status: 'offered' })).toBeGreaterThan(0);

      const login = await request(t.server).get('/login').expect(200);
      for (const account of DEMO_ACCOUNTS) {
        expect(login.text).toContain(account.email);
        const agent = await signIn(t, account.email, DEMO_PASSWORD);
        await agent.get('/').redirects(1).expect(200);
      }
      // Accounts for people are linked to their person record.
      const family = await t.dataSource.getRepository(User).findOneByOrFail({ email: 'family@casa-serena.demo' });
      expect(family).toMatchObject({ personKind: 'family', personId: expect.any(String) });

      // The group has a second, smaller home with its own people and programme, so the group view compares homes.
      const other = await t.dataSource.getRepository(Home).findOneByOrFail({ slug: 'villa-dei-tigli' });
      expect(other).toMatchObject({ name: 'Villa dei Tigli', groupId: home.groupId });
      expect(home.groupId).not.toBeNull();
      expect(await t.dataSource.getRepository(Resident).countBy({ homeId: other.id })).toBe(12);
      expect(await activities.countBy({ homeId: other.id, status: 'completed' })).toBeGreaterThan(120);
      expect(await t.dataSource.getRepository(Participation).countBy({ homeId: other.id })).toBeGreaterThan(300);
      // Its programme names it, not Casa Serena.
      const titles = (await activities.findBy({ homeId: other.id })).map((a) => a.title);
      expect(titles).toContain('Coro di Villa dei Tigli');
      expect(titles.filter((title) => title.includes('Casa Serena'))).toEqual([]);
      // The group manager's view has a row for each home, with figures of its own.
      const lead = await signIn(t, 'group_manager@casa-serena.demo', DEMO_PASSWORD);
      const csv = (await lead.get(`/groups/${home.groupId}/homes.csv`).expect(200)).text.trim().split('\n');
      expect(csv).toHaveLength(3 + 1);
      const rowOf = (name: string) => csv.find((line) => line.startsWith(name) || line.startsWith(`"${name}`));
      expect(rowOf('Casa Serena')).toBeDefined();
      expect(rowOf('Villa dei Tigli')).toBeDefined();
      expect(rowOf('Villa dei Tigli')!.slice('Villa dei Tigli'.length)).not.toEqual(rowOf('Casa Serena')!.slice('Casa Serena'.length));
      // Its report opens for the group manager; Casa Serena's manager does not reach it.
      const quarter = currentQuarter('Europe/Rome');
      await lead.get(`/reports/quarterly?homeId=${other.id}&quarter=${quarter}`).expect(200);
      const manager = await signIn(t, 'manager@casa-serena.demo', DEMO_PASSWORD);
      await manager.get(`/reports/quarterly?homeId=${home.id}&quarter=${quarter}`).expect(200);
      await manager.get(`/reports/quarterly?homeId=${other.id}&quarter=${quarter}`).expect(404);
    } finally {
      await t.close();
    }
    const restarted = await createTestApp({ env: { SEED_DEMO: 'true', NODE_ENV: 'development' }, database });
    try {
      expect(await restarted.dataSource.getRepository(Home).count()).toBe(2);
      expect(await restarted.dataSource.getRepository(User).count()).toBe(DEMO_ACCOUNTS.length);
    } finally {
      await restarted.close();
      await database.drop();
    }
  });

  it('should create no account and show no demo accounts in production', async () => {
    const t = await createTestApp({ env: { SEED_DEMO: 'true', NODE_ENV: 'production' } });
    try {
      expect(await t.dataSource.getRepository(User).count()).toBe(0);
      expect(await t.dataSource.getRepository(Home).count()).toBe(0);
      const login = await request(t.server).get('/login').expect(200);
      expect(login.text).not.toContain('casa-serena.demo');
    } finally {
      await t.close();
    }
  });

  it('should not seed when SEED_DEMO is false', async () => {
    const t = await createTestApp({ env: { SEED_DEMO: 'false', NODE_ENV: 'development' } });
    try {
      expect(await t.dataSource.getRepository(Home).count()).toBe(0);
    } finally {
      await t.close();
    }
  });
});
