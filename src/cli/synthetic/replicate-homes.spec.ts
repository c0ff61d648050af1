import { copyId } from './replicate-homes';
import { generateHome } from './synthetic-home';

describe('copyId', () => {
  const home = generateHome({ number: 1, residents: 20, days: 30, futureDays: 7, seed: 42, now: new Date('2026-11-28T12:00:00Z'), passwordHash: 'hash' });
  const ids = [home.home.id!, ...home.residents.map((r) => r.id!), ...home.activities.map((a) => a.id!), ...home.participation.map((p) => p.id!)];

  it('should keep a version-4 UUID when it maps one into a copy', () => {
    const sut = copyId(ids[0], '0123456789ab');
    expect(sut).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-0123456789ab$/);
    expect(sut.slice(0, 24)).toBe(ids[0].slice(0, 24));
  });

  it('should give every id of a generated home a distinct copy, and other copies under another suffix', () => {
    const first = ids.map((id) => copyId(id, 'aaaaaaaaaaaa'));
    const second = ids.map((id) => copyId(id, 'bbbbbbbbbbbb'));
    expect(new Set(first).size).toBe(ids.length);
    expect(new Set([...ids, ...first, ...second]).size).toBe(ids.length * 3);
  });
});
