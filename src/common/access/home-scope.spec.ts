import type { EntityManager } from 'typeorm';
import { NotFoundError } from '../errors/domain-errors';
import { assertHomeAccess, canSeeHome, findInHomes } from './home-scope';
import type { SessionUser } from './session-user';

const HOME_A = '11111111-1111-4111-8111-111111111111';
const HOME_B = '22222222-2222-4222-8222-222222222222';

function sessionUser(overrides: Partial<SessionUser> = {}): SessionUser {
  return {
    id: '99999999-9999-4999-8999-999999999999',
    email: 'carer@example.com',
    displayName: 'Carla Carer',
    role: 'carer',
    locale: 'en',
    personKind: 'staff',
    personId: null,
    homeIds: [HOME_A],
    timezone: 'Europe/Rome',
    ...overrides,
  };
}

describe('canSeeHome', () => {
  const sut = canSeeHome;

  it('should allow a home when the user is a member of it', () => {
    expect(sut(sessionUser(), HOME_A)).toBe(true);
  });

  it('should refuse a home when the user is not a member of it', () => {
    expect(sut(sessionUser(), HOME_B)).toBe(false);
  });

  it('should refuse every home when the user belongs to none', () => {
    expect(sut(sessionUser({ homeIds: [] }), HOME_A)).toBe(false);
  });

  it('should allow each home when the user belongs to several', () => {
    const user = sessionUser({ role: 'admin', homeIds: [HOME_A, HOME_B] });

    expect([sut(user, HOME_A), sut(user, HOME_B)]).toEqual([true, true]);
  });
});

describe('assertHomeAccess', () => {
  const sut = assertHomeAccess;

  it('should not throw when the home is one of the user\'s', () => {
    expect(() => sut(sessionUser(), HOME_A)).not.toThrow();
  });

  it('should throw NotFoundError when the home belongs to someone else', () => {
    expect(() => sut(sessionUser(), HOME_B)).toThrow(NotFoundError);
  });

  it('should report the plain not-found message when access is refused', () => {
    expect(() => sut(sessionUser(), HOME_B)).toThrow(expect.objectContaining({ status: 404, detail: { key: 'errors.notFound' } }));
  });
});

describe('findInHomes', () => {
  const sut = findInHomes;
  const RECORD_ID = '33333333-3333-4333-8333-333333333333';
  const managerFinding = (record: { id: string; homeId: string } | null) => ({ findOneBy: jest.fn().mockResolvedValue(record) }) as unknown as EntityManager;

  it('should return the record when it belongs to one of the user\'s homes', async () => {
    const record = { id: RECORD_ID, homeId: HOME_A };

    await expect(sut(managerFinding(record), 'Thing', sessionUser(), RECORD_ID)).resolves.toBe(record);
  });

  it('should throw NotFoundError when there is no such record', async () => {
    await expect(sut(managerFinding(null), 'Thing', sessionUser(), RECORD_ID)).rejects.toThrow(NotFoundError);
  });

  it('should throw NotFoundError when the record belongs to another home', async () => {
    await expect(sut(managerFinding({ id: RECORD_ID, homeId: HOME_B }), 'Thing', sessionUser(), RECORD_ID)).rejects.toThrow(NotFoundError);
  });
});
