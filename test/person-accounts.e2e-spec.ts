import request from 'supertest';
import { User } from '../src/auth/entities/user.entity';
import { createHome, createUser } from './support/factories';
import { createFamilyMember } from './support/family-factories';
import { csrfFrom, formToken, signIn } from './support/http';
import { createStaffMember, createVolunteer } from './support/people-factories';
import { createTestApp, TestApp } from './support/test-app';

/** A person invited to an account loses it when their record is archived. */
describe('Accounts of archived people', () => {
  let t: TestApp;
  let homeId: string;

  beforeAll(async () => {
    t = await createTestApp();
    homeId = (await createHome(t)).id;
  });

  afterAll(async () => {
    await t.close();
  });

  async function inviteAndAccept(path: string, extra: Record<string, string> = {}) {
    const manager = await createUser(t, { role: 'manager', homeIds: [homeId] });
    const staff = await signIn(t, manager.email, manager.password);
    let token = await formToken(staff, path);
    const invited = await staff.post(`${path}/${path.startsWith('/families') ? 'invitation' : 'invite'}`).type('form').send({ _csrf: token, ...extra });
    expect(invited.status).toBe(303);
    const page = await staff.get(invited.headers.location).expect(200);
    const link = /\/invitations\/[A-Za-z0-9_-]{20,}/.exec(page.text)![0];
    const person = request.agent(t.server);
    const form = await person.get(link).expect(200);
    await person.post(link).type('form').send({ _csrf: csrfFrom(form.text), newPassword: 'my own long password', confirmPassword: 'my own long password' }).expect(303);
    await person.get('/account').expect(200);
    token = await formToken(staff, path);
    return { staff, person, token };
  }

  it.each([
    ['family member', async () => `/families/${(await createFamilyMember(t, homeId)).id}`, {}],
    ['volunteer', async () => `/volunteers/${(await createVolunteer(t, homeId)).id}`, {}],
    ['staff member', async () => `/staff/${(await createStaffMember(t, homeId)).id}`, { role: 'carer' }],
  ])('should sign out and lock out an archived %s', async (_label, makePath, extra) => {
    const path = await makePath();
    const { staff, person, token } = await inviteAndAccept(path, extra as Record<string, string>);
    const archived = await staff.post(`${path}/archive`).type('form').send({ _csrf: token });
    expect([303]).toContain(archived.status);
    const next = await person.get('/account');
    expect(next.status).toBe(303);
    expect(next.headers.location).toMatch(/^\/login/);
    const user = await t.dataSource.getRepository(User).findOneByOrFail({ personId: path.split('/')[2] });
    expect(user.disabledAt).not.toBeNull();
    const again = request.agent(t.server);
    const login = await formToken(again);
    const res = await again.post('/login').type('form').send({ _csrf: login, email: user.email, password: 'my own long password' });
    expect(res.status).toBe(422);
  });
});
