import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { AuditAction } from '../audit.enums';

export type FieldChanges = Record<string, { old: unknown; new: unknown }>;

/** Append-only; `hash` chains each entry to the one before it (`seq - 1`). */
@Entity('audit_entry')
export class AuditEntry {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index({ unique: true })
  @Column('integer')
  seq: number;

  @Index()
  @Column({ type: Date })
  at: Date;

  @Index()
  @Column('varchar', { nullable: true })
  userId: string | null;

  @Column('varchar', { length: 20, nullable: true })
  role: string | null;

  @Column('varchar', { length: 20 })
  action: AuditAction;

  @Column('varchar', { length: 40, nullable: true })
  entityType: string | null;

  @Index()
  @Column('varchar', { nullable: true })
  entityId: string | null;

  @Column('varchar', { nullable: true })
  homeId: string | null;

  @Column('simple-json', { nullable: true })
  changes: FieldChanges | null;

  @Column('varchar', { length: 64, nullable: true })
  ip: string | null;

  @Column('varchar', { length: 300, nullable: true })
  userAgent: string | null;

  @Column('varchar', { length: 64 })
  prevHash: string;

  @Column('varchar', { length: 64 })
  hash: string;
}
