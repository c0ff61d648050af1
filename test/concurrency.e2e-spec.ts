import { Unit } from '../src/homes/entities/unit.entity';
import { AuditService } from '../src/audit/audit.service';
import { createHome, createUser } from './support/factories';
import { formToken, signIn } from './support/http';
import { createTestApp, TestApp } from './support/test-app';

describe('Concurrent writes', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  it('should accept 50 concurrent writes with no error and nothing lost or doubled', async () => {
    const home = await createHome(t);
    const admin = await createUser(t, { role: 'admin' });
    const agent = await signIn(t, admin.email, admin.password);
    const token = await formToken(agent, `/admin/homes/${home.id}`);
    const names = Array.from({ length: 50 }, (_, i) => `Unit ${String(i).padStart(2, '0')}`);
    const responses = await Promise.all(
      names.map((name) => agent.post(`/admin/homes/${home.id}/units`).type('form').send({ _csrf: token, unitName: name })),
    );
    expect(responses.map((r) => r.status)).toEqual(names.map(() => 303));
    const stored = await t.dataSource.getRepository(Unit).find({ where: { homeId: home.id }, order: { name: 'ASC' } });
    expect(stored.map((u) => u.name)).toEqual(names);
    // Each write was audited in its own transaction, and the chain is still one unbroken line.
    expect(await t.get(AuditService).verifyChain()).toMatchObject({ ok: true });
  });
});
