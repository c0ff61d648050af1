import { Column, Entity } from 'typeorm';
import { BaseEntity } from '../../common/entities/base.entity';

@Entity('home')
export class Home extends BaseEntity {
  @Column('varchar', { length: 120 })
  name: string;

  @Column('varchar', { length: 60, unique: true })
  slug: string;

  @Column('varchar', { length: 60, default: 'Europe/Rome' })
  timezone: string;

  @Column('varchar', { length: 5, default: 'it' })
  locale: string;

  @Column('varchar', { length: 300, nullable: true })
  address: string | null;

  /** ISO 3166-1 alpha-2; chooses the standards the quarterly report's annex cites (COUNTRIES). */
  @Column('varchar', { length: 2, default: 'IT' })
  country: string;

  /** The group of homes it is in, if any (docs/groups.md). */
  @Column('varchar', { nullable: true })
  groupId: string | null;
}
