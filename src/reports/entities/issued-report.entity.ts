import { Column, Entity, Unique } from 'typeorm';
import { HomeOwnedEntity } from '../../common/entities/base.entity';

/** Bytes kept as base64 text: one column type that SQLite and PostgreSQL store alike. */
const base64 = { to: (value: Buffer) => value.toString('base64'), from: (value: string) => Buffer.from(value, 'base64') };

/**
 * One issue of a home's closed quarter (issue 18): what was handed out, kept as it was. Never
 * updated; reissuing adds the next version.
 */
@Entity('issued_report')
@Unique(['homeId', 'quarter', 'version'])
export class IssuedReport extends HomeOwnedEntity {
  @Column('varchar', { length: 7 })
  quarter: string;

  @Column('integer')
  version: number;

  /** The language the PDFs were printed in. */
  @Column('varchar', { length: 5 })
  locale: string;

  /** The report model as issued (the manager's copy, with names), JSON. */
  @Column('text')
  model: string;

  @Column('varchar', { length: 64 })
  modelSha256: string;

  /** The same model as the copy without names (what coordinators read). */
  @Column('text')
  modelWithoutNames: string;

  @Column('text', { transformer: base64 })
  pdf: Buffer;

  @Column('varchar', { length: 64 })
  pdfSha256: string;

  @Column('text', { transformer: base64 })
  pdfWithoutNames: Buffer;

  @Column('varchar', { length: 64 })
  pdfWithoutNamesSha256: string;

  @Column('varchar', { nullable: true })
  issuedBy: string | null;

  @Column({ type: Date })
  issuedAt: Date;
}
