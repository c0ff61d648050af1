import { Column, Entity } from 'typeorm';
import { PersonEntity } from '../../common/entities/base.entity';
import type { VolunteerStatus } from '../volunteers.enums';

@Entity('volunteer')
export class Volunteer extends PersonEntity {
  @Column('varchar', { length: 120, nullable: true })
  association: string | null;

  @Column('simple-json')
  skills: string[];

  @Column('text', { nullable: true })
  availability: string | null;

  @Column('varchar', { length: 60, nullable: true })
  backgroundCheckReference: string | null;

  @Column('date', { nullable: true })
  backgroundCheckOn: string | null;

  @Column('date', { nullable: true })
  backgroundCheckExpiresOn: string | null;

  @Column('text', { nullable: true })
  trainingNotes: string | null;

  @Column('date', { nullable: true })
  startedOn: string | null;

  @Column('varchar', { length: 10, default: 'active' })
  status: VolunteerStatus;
}
