import { Column, Entity } from 'typeorm';
import { BaseEntity } from '../../common/entities/base.entity';
import type { Role, PersonKind } from '../auth.enums';

@Entity('user')
export class User extends BaseEntity {
  /** Stored lower-cased, so uniqueness is case-insensitive on every database. */
  @Column('varchar', { length: 254, unique: true })
  email: string;

  @Column('varchar', { length: 120 })
  displayName: string;

  @Column('varchar', { length: 200, nullable: true })
  passwordHash: string | null;

  @Column('varchar', { length: 20 })
  role: Role;

  @Column('varchar', { length: 20, nullable: true })
  personKind: PersonKind | null;

  @Column('varchar', { length: 36, nullable: true })
  personId: string | null;

  @Column('varchar', { length: 5, default: 'en' })
  locale: string;

  @Column({ type: Date, nullable: true })
  disabledAt: Date | null;

  /** Why it is disabled: on its own by an admin or manager, or because the person's record was archived (only then does un-archiving re-enable it). */
  @Column('varchar', { length: 10, nullable: true })
  disabledReason: 'admin' | 'archive' | null;

  @Column({ type: Date, nullable: true })
  lastLoginAt: Date | null;
}
