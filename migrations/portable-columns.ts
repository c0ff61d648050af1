import { QueryRunner, TableColumnOptions, TableForeignKeyOptions } from 'typeorm';
import { SQLITE_NOW } from '../src/database/instants';

/**
 * Column builders that give the same table on SQLite and PostgreSQL. Only the type names differ
 * (uuid and timestamptz exist on PostgreSQL only), and SQLite's now: everything else is TypeORM's
 * portable Table API. A timestamp column made by hand must default to SQLITE_NOW on SQLite too (a
 * test checks every one after migrating).
 */
export function columns(queryRunner: QueryRunner) {
  const postgres = queryRunner.connection.options.type === 'postgres';
  const uuidType = postgres ? 'uuid' : 'varchar';
  const instantType = postgres ? 'timestamptz' : 'datetime';
  // SQLite's CURRENT_TIMESTAMP has no fraction, and instants are compared as text there: one format (src/database/instants.ts).
  const now = postgres ? 'CURRENT_TIMESTAMP' : SQLITE_NOW;
  return {
    id: (): TableColumnOptions => ({ name: 'id', type: uuidType, isPrimary: true, isGenerated: true, generationStrategy: 'uuid' }),
    /** An increasing integer key (serial on PostgreSQL, AUTOINCREMENT on SQLite): orders rows as they were written. */
    sequence: (): TableColumnOptions => ({ name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' }),
    timestamps: (): TableColumnOptions[] => [
      { name: 'createdAt', type: instantType, default: now },
      { name: 'updatedAt', type: instantType, default: now },
    ],
    ref: (name: string, nullable = false): TableColumnOptions => ({ name, type: uuidType, isNullable: nullable }),
    instant: (name: string, nullable = true): TableColumnOptions => ({ name, type: instantType, isNullable: nullable }),
    /** An instant that defaults to now, in the canonical format on SQLite (as timestamps() writes). */
    instantNow: (name: string): TableColumnOptions => ({ name, type: instantType, default: now }),
    varchar: (name: string, length: number, nullable = false, defaultValue?: string): TableColumnOptions => ({
      name, type: 'varchar', length: String(length), isNullable: nullable,
      ...(defaultValue === undefined ? {} : { default: `'${defaultValue}'` }),
    }),
    text: (name: string, nullable = true): TableColumnOptions => ({ name, type: 'text', isNullable: nullable }),
    date: (name: string, nullable = true): TableColumnOptions => ({ name, type: 'date', isNullable: nullable }),
    integer: (name: string, defaultValue?: number, nullable = false): TableColumnOptions => ({
      name, type: 'integer', isNullable: nullable, ...(defaultValue === undefined ? {} : { default: defaultValue }),
    }),
    boolean: (name: string, defaultValue: boolean): TableColumnOptions => ({ name, type: 'boolean', default: defaultValue }),
  };
}

export function foreignKey(column: string, table: string, onDelete: 'CASCADE' | 'RESTRICT' | 'SET NULL' = 'RESTRICT'): TableForeignKeyOptions {
  return { columnNames: [column], referencedTableName: table, referencedColumnNames: ['id'], onDelete };
}
