import { EntityManager, EntityTarget, FindOptionsWhere, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { NotFoundError, ValidationError } from '../errors/domain-errors';
import type { SessionUser } from './session-user';

/**
 * The one rule for homes: a user sees records of the homes they belong to (an admin's homeIds hold
 * every home). Services scope every query with it, so a record of another home is simply not found.
 */
export function scopeToHomes<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  user: SessionUser,
  column = `${query.alias}.homeId`,
): SelectQueryBuilder<T> {
  if (user.homeIds.length === 0) return query.andWhere('1 = 0');
  return query.andWhere(`${column} IN (:...scopeHomeIds)`, { scopeHomeIds: user.homeIds });
}

export function canSeeHome(user: SessionUser, homeId: string): boolean {
  return user.homeIds.includes(homeId);
}

/** Throws NotFoundError (never Forbidden) so ids of other homes cannot be probed. */
export function assertHomeAccess(user: SessionUser, homeId: string): void {
  if (!canSeeHome(user, homeId)) throw new NotFoundError();
}

/** A record by id, if it belongs to one of the user's homes; otherwise not found. */
export async function findInHomes<T extends ObjectLiteral & { id: string; homeId: string }>(
  m: EntityManager,
  entity: EntityTarget<T>,
  user: SessionUser,
  id: string,
): Promise<T> {
  const record = await m.findOneBy(entity, { id } as FindOptionsWhere<T>);
  if (!record) throw new NotFoundError();
  assertHomeAccess(user, record.homeId);
  return record;
}

/**
 * The home a new record goes into: the one asked for (if the user belongs to it), or the user's only
 * home. A user of several homes must choose.
 */
export function resolveHomeId(user: SessionUser, requested?: string | null): string {
  if (requested) {
    assertHomeAccess(user, requested);
    return requested;
  }
  if (user.homeIds.length === 1) return user.homeIds[0];
  throw new ValidationError({ homeId: { key: 'validation.chooseHome' } });
}
