import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { declareRequestFields } from '../src/common/http/request-fields';
import { createActivity } from './support/activity-factories';
import { createHome, createUser } from './support/factories';
import { apiSignIn, csrfFrom, signIn } from './support/http';
import { createResident } from './support/resident-factories';
import { createTestApp, TestApp } from './support/test-app';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

/**
 * src/common/http/request-fields.ts declares, before Express runs, every property a request and its
 * response are later given (V8 adds a property to an object whose prototype was replaced some 30
 * times slower). This walks the kinds of request the app answers and fails on any property added that
 * is not declared there, so the list stays whole as the code changes; and on a declared name that
 * Express answers with a getter, which the declaration would hide.
 */
describe('Fields every request is given, declared before Express sees it', () => {
  let t: TestApp;
  const added = { req: new Set<string>(), res: new Set<string>() };
  const declared = (() => {
    const req = {} as Record<string, unknown>;
    const res = {} as Record<string, unknown>;
    declareRequestFields(req as unknown as IncomingMessage, res as unknown as ServerResponse);
    return { req: new Set(Object.keys(req)), res: new Set(Object.keys(res)) };
  })();

  beforeAll(async () => {
    t = await createTestApp();
    // Runs first (prepended after the app's own), so it sees the plain objects Node made.
    (t.server as import('node:http').Server).prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
      const before = { req: new Set(Object.keys(req)), res: new Set(Object.keys(res)) };
      res.on('finish', () => {
        for (const key of Object.keys(req)) if (!before.req.has(key) && !declared.req.has(key)) added.req.add(key);
        for (const key of Object.keys(res)) if (!before.res.has(key) && !declared.res.has(key)) added.res.add(key);
      });
    });
  });

  afterAll(async () => {
    await t.close();
  });

  it('are declared for pages, forms, the API, uploads, static files, the worker and refusals alike', async () => {
    const home = await createHome(t);
    const manager = await createUser(t, { role: 'manager', homeIds: [home.id] });
    const resident = await createResident(t, home.id);
    const activity = await createActivity(t, home.id, { residentIds: [resident.id] });
    const anonymous = request(t.server);
    await anonymous.get('/login').expect(200);
    await anonymous.post('/login').type('form').send({ email: 'x' }).expect(403);
    await anonymous.get('/health').expect(200);
    await anonymous.get('/static/css/app.css').expect(200);
    await anonymous.get('/sw.js');
    await anonymous.get('/offline').expect(200);
    await anonymous.get('/no-such-page');
    await anonymous.get('/today').set('Cookie', 'insieme.device=forged; insieme.sid=s%3Aforged.sig');

    const agent = await signIn(t, manager.email, manager.password);
    for (const path of ['/', '/today', `/activities/${activity.id}/log`, `/residents/${resident.id}`, '/calendar', '/account', '/reports']) await agent.get(path);
    const page = await agent.get(`/residents/${resident.id}`);
    await agent.post(`/residents/${resident.id}/photo`).field('_csrf', csrfFrom(page.text)).attach('photo', PNG, { filename: 'p.png', contentType: 'image/png' });
    await agent.post('/account/email').type('form').send({ _csrf: csrfFrom((await agent.get('/account')).text), newEmail: 'not an address' });

    const api = await apiSignIn(t, manager.email, manager.password);
    await api.agent.get('/api/activities');
    await api.agent.put(`/api/activities/${activity.id}/participation`).set('X-CSRF-Token', api.csrfToken).set('Idempotency-Key', randomUUID())
      .send({ entries: [{ residentId: resident.id, engagement: 'active' }] }).expect(200);
    await api.agent.put(`/api/activities/${activity.id}/participation`).set('X-CSRF-Token', api.csrfToken).send({ entries: 'no' });

    expect({ req: [...added.req], res: [...added.res] }).toEqual({ req: [], res: [] });
  });

  it('are plain data: none is a name Express answers with a getter', () => {
    const express = t.app.getHttpAdapter().getInstance() as { request: object; response: object };
    const accessors = (proto: object | null, names: Set<string>) => {
      const found: string[] = [];
      for (let p = proto; p; p = Object.getPrototypeOf(p) as object | null) {
        for (const name of names) {
          const descriptor = Object.getOwnPropertyDescriptor(p, name);
          if (descriptor && (descriptor.get || descriptor.set)) found.push(name);
        }
      }
      return found;
    };
    expect(accessors(express.request, declared.req)).toEqual([]);
    expect(accessors(express.response, declared.res)).toEqual([]);
  });
});
