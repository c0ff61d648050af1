import { Brackets, ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/** Follows every LIKE built from `likePattern`: the same escape character on SQLite and PostgreSQL. */
export const LIKE_ESCAPE = "ESCAPE '\\'";

/**
 * A LIKE pattern for text containing `term`, lower-cased to be compared with LOWER(...) (PostgreSQL's
 * LIKE is case-sensitive, SQLite's is not). `%`, `_` and `\` are escaped, so they match themselves.
 */
export function likePattern(term: string): string {
  return `%${term.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Keeps the rows where at least one of the expressions, lower-cased, contains `term`. */
export function whereAnyContains<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  expressions: readonly string[],
  term: string,
  parameter = 'like',
): SelectQueryBuilder<T> {
  const pattern = likePattern(term);
  return query.andWhere(
    new Brackets((where) =>
      expressions.forEach((expression) => where.orWhere(`LOWER(${expression}) LIKE :${parameter} ${LIKE_ESCAPE}`, { [parameter]: pattern })),
    ),
  );
}

/** Every word typed (the first five) must appear in one of the columns, so "rossi mar" finds Maria Rossi. */
export function whereEveryWordIn<T extends ObjectLiteral>(query: SelectQueryBuilder<T>, columns: readonly string[], text: string): SelectQueryBuilder<T> {
  text.split(/\s+/).filter(Boolean).slice(0, 5).forEach((word, i) => whereAnyContains(query, columns, word, `like${i}`));
  return query;
}

export interface Page<T> {
  rows: T[];
  total: number;
  page: number;
  pages: number;
}

/**
 * One page of a list of people: a page past the end shows the last one, and the id after the names
 * keeps namesakes in the same order from page to page. The query's main alias must have lastName,
 * firstName and id.
 */
export async function pageOf<T extends ObjectLiteral>(query: SelectQueryBuilder<T>, requestedPage: number | undefined, pageSize: number): Promise<Page<T>> {
  const total = await query.getCount();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(requestedPage ?? 1, pages);
  const rows = await query
    .orderBy(`${query.alias}.lastName`, 'ASC')
    .addOrderBy(`${query.alias}.firstName`, 'ASC')
    .addOrderBy(`${query.alias}.id`, 'ASC')
    .skip((page - 1) * pageSize)
    .take(pageSize)
    .getMany();
  return { rows, total, page, pages };
}
