import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The one row that holds the end of the audit chain. Updating it first in every audit write takes a
 * row lock on PostgreSQL, so entries from several processes still form one line. Its `keyed` column
 * (1 once entries are HMAC-keyed with AUDIT_KEY) is read and written in SQL only: the first
 * migration inserts this row through this entity, before that column exists.
 */
@Entity('audit_head')
export class AuditHead {
  @PrimaryColumn('integer')
  id: number;

  @Column('integer')
  seq: number;

  @Column('varchar', { length: 64 })
  hash: string;
}
