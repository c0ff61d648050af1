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
}
