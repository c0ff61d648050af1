import { canonicalNow, CANONICAL_INSTANT, SQLITE_NOW } from './instants';
import { sqliteDateTime } from './sql';

describe('canonical instants on SQLite', () => {
  it('should make TypeORM\'s hard-coded update date canonical and leave everything else', () => {
    expect(canonicalNow('UPDATE "home" SET "name" = ?, "updatedAt" = CURRENT_TIMESTAMP WHERE "id" = ?')).toBe(
      `UPDATE "home" SET "name" = ?, "updatedAt" = ${SQLITE_NOW} WHERE "id" = ?`,
    );
    // A column's default is the migrations' business (a test checks it), not rewritten behind their back.
    const create = 'CREATE TABLE "t" ("createdAt" datetime NOT NULL DEFAULT (CURRENT_TIMESTAMP))';
    expect(canonicalNow(create)).toBe(create);
    const plain = 'SELECT * FROM home WHERE id = ?';
    expect(canonicalNow(plain)).toBe(plain);
  });

  it('should be the format TypeORM and the plain SQL helpers write for a Date', () => {
    expect(sqliteDateTime(new Date('2026-06-30T22:00:00Z'))).toBe('2026-06-30 22:00:00.000');
    expect(sqliteDateTime(new Date('2026-06-30T22:00:00Z'))).toMatch(CANONICAL_INSTANT);
    expect('2026-06-30 22:00:00').not.toMatch(CANONICAL_INSTANT);
  });
});
