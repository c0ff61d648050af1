import { AuditService } from '../src/audit/audit.service';
import { AuditEntry } from '../src/audit/entities/audit-entry.entity';
import { createHome } from './support/factories';
import { createTestApp, TestApp } from './support/test-app';

describe('Audit chain', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  it('should chain every entry to the one before and name the first one tampered with', async () => {
    const sut = t.get(AuditService);
    await createHome(t);
    await Promise.all(Array.from({ length: 10 }, (_, i) => sut.recordNow({ action: 'view_sensitive', entityType: 'resident', entityId: `r${i}` })));
    const check = await sut.verifyChain();
    expect(check).toEqual({ ok: true, entries: 11 });

    const entries = t.dataSource.getRepository(AuditEntry);
    const fifth = await entries.findOneByOrFail({ seq: 5 });
    await entries.update({ id: fifth.id }, { entityId: 'someone-else' });
    expect(await sut.verifyChain()).toEqual({ ok: false, entries: 4, firstBroken: { seq: 5, id: fifth.id, at: fifth.at, action: 'view_sensitive' } });

    await entries.update({ id: fifth.id }, { entityId: fifth.entityId });
    expect((await sut.verifyChain()).ok).toBe(true);
    const seventh = await entries.findOneByOrFail({ seq: 7 });
    await entries.delete({ id: seventh.id });
    expect(await sut.verifyChain()).toMatchObject({ ok: false, firstBroken: { seq: 8 } });
  });

  it('should record the fields that changed, old and new', async () => {
    const home = await createHome(t, { name: 'Villa Rosa' });
    const created = await t.dataSource.getRepository(AuditEntry).findOneByOrFail({ entityId: home.id, action: 'create' });
    expect(created.changes).toMatchObject({ name: { old: null, new: 'Villa Rosa' } });
  });
});
