import { Home } from '../src/homes/entities/home.entity';
import { createHome, createUser, TestUser } from './support/factories';
import { Agent, formToken, signIn } from './support/http';
import { createTestApp, TestApp } from './support/test-app';

describe('Homes and units (admin)', () => {
  let t: TestApp;
  let admin: TestUser;
  let agent: Agent;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createUser(t, { role: 'admin' });
    agent = await signIn(t, admin.email, admin.password);
  });

  afterAll(async () => {
    await t.close();
  });

  it('should create a home from the form and show it in the list', async () => {
    const token = await formToken(agent, '/admin/homes/new');
    const res = await agent.post('/admin/homes').type('form').send({ _csrf: token, name: 'Villa Aurora', slug: 'villa-aurora', timezone: 'Europe/Rome', locale: 'it', address: 'Via Roma 1' });
    expect(res.status).toBe(303);
    const page = await agent.get(res.headers.location).expect(200);
    expect(page.text).toContain('Home &quot;Villa Aurora&quot; created.');
    expect((await agent.get('/admin/homes')).text).toContain('villa-aurora');
  });

  it('should show the form again with what was typed and each error beside its field', async () => {
    const token = await formToken(agent, '/admin/homes/new');
    const res = await agent.post('/admin/homes').type('form').send({ _csrf: token, name: 'Casa <b>Nuova</b>', slug: 'Not A Slug', timezone: 'Europe/Rome', locale: 'it' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('value="Casa &lt;b&gt;Nuova&lt;/b&gt;"');
    expect(res.text).toContain('value="Not A Slug"');
    expect(res.text).toMatch(/id="error-slug">This does not have the expected form\.</);
    expect(res.text).not.toMatch(/id="error-name"/);
    expect(await t.dataSource.getRepository(Home).countBy({ slug: 'Not A Slug' })).toBe(0);

    const zone = await agent.post('/admin/homes').type('form').send({ _csrf: token, name: 'Casa Nuova', slug: 'casa-nuova', timezone: 'Mars/Olympus', locale: 'it' });
    expect(zone.status).toBe(422);
    expect(zone.text).toMatch(/id="error-timezone">Not a known time zone/);
    expect(zone.text).toContain('value="casa-nuova"');

    const taken = await agent.post('/admin/homes').type('form').send({ _csrf: token, name: 'Again', slug: 'villa-aurora', timezone: 'Europe/Rome', locale: 'it' });
    expect(taken.status).toBe(422);
    expect(taken.text).toMatch(/id="error-slug">Another home already uses this short name/);

    const unknownField = await agent.post('/admin/homes').type('form').send({ _csrf: token, name: 'X', slug: 'x', timezone: 'Europe/Rome', locale: 'it', isAdmin: 'true' });
    expect(unknownField.status).toBe(422);
  });

  it('should edit a home, add units, and keep the units on the page when a submission is refused', async () => {
    const home = await createHome(t, { name: 'Casa Edit' });
    let token = await formToken(agent, `/admin/homes/${home.id}`);
    await agent.post(`/admin/homes/${home.id}/units`).type('form').send({ _csrf: token, unitName: 'Nucleo Rose' }).expect(303);
    const refused = await agent.post(`/admin/homes/${home.id}/units`).type('form').send({ _csrf: token, unitName: 'Nucleo Rose' });
    expect(refused.status).toBe(422);
    expect(refused.text).toMatch(/id="error-unitName">This home already has a unit with that name/);
    expect(refused.text).toContain('<li>Nucleo Rose</li>');
    expect(refused.text).toContain('value="Casa Edit"');
    // Another home's name, in any letters' case, is taken.
    const other = await createHome(t, { name: 'Villa Omonima' });
    const sameName = await agent.post(`/admin/homes/${home.id}`).type('form').send({ _csrf: token, name: 'villa omonima', slug: home.slug, timezone: 'Europe/Rome', locale: 'it' });
    expect(sameName.status).toBe(422);
    expect(sameName.text).toMatch(/id="error-name">Another home already has this name/);
    expect(sameName.text).toContain('value="villa omonima"');
    expect(other.name).toBe('Villa Omonima');
    // The same name in other letters is the same unit.
    const sameAgain = await agent.post(`/admin/homes/${home.id}/units`).type('form').send({ _csrf: token, unitName: ' nucleo ROSE ' });
    expect(sameAgain.status).toBe(422);
    expect(sameAgain.text).toMatch(/id="error-unitName">This home already has a unit with that name/);

    token = await formToken(agent, `/admin/homes/${home.id}`);
    const bad = await agent.post(`/admin/homes/${home.id}`).type('form').send({ _csrf: token, name: '', slug: home.slug, timezone: 'Europe/Rome', locale: 'it' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('<li>Nucleo Rose</li>');
    expect(bad.text).toMatch(/id="error-name">Fill in this field/);

    await agent.post(`/admin/homes/${home.id}`).type('form').send({ _csrf: token, name: 'Casa Edited', slug: home.slug, timezone: 'Europe/London', locale: 'en' }).expect(303);
    expect(await t.dataSource.getRepository(Home).findOneByOrFail({ id: home.id })).toMatchObject({ name: 'Casa Edited', timezone: 'Europe/London', locale: 'en' });
  });

  it('should answer 404 for a home id that does not exist or is not an id', async () => {
    await agent.get('/admin/homes/4b3c2d1e-0000-4000-8000-000000000000').expect(404);
    await agent.get('/admin/homes/not-an-id').expect(404);
  });

  it.each(['manager', 'coordinator', 'carer', 'volunteer', 'family'] as const)('should refuse the admin pages to a %s', async (role) => {
    const home = await createHome(t);
    const user = await createUser(t, { role, homeIds: [home.id] });
    const other = await signIn(t, user.email, user.password);
    await other.get('/admin/homes').expect(403);
    await other.get(`/admin/homes/${home.id}`).expect(403);
    const token = await formToken(other, '/account');
    await other.post('/admin/homes').type('form').send({ _csrf: token, name: 'Sneaky', slug: 'sneaky', timezone: 'Europe/Rome', locale: 'it' }).expect(403);
    expect(await t.dataSource.getRepository(Home).countBy({ slug: 'sneaky' })).toBe(0);
  });

  it('should show each user only the homes they belong to', async () => {
    const mine = await createHome(t, { name: 'Casa Mia' });
    const theirs = await createHome(t, { name: 'Casa Altrui' });
    const manager = await createUser(t, { role: 'manager', homeIds: [mine.id] });
    const page = await (await signIn(t, manager.email, manager.password)).get('/').expect(200);
    expect(page.text).toContain('Casa Mia');
    expect(page.text).not.toContain(theirs.name);
  });
});
