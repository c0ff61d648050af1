import { Column } from 'typeorm';
import { HomeOwnedEntity } from '../../common/entities/base.entity';
import type { AuthorType } from '../voice.enums';

/** Something said by a person of the home: a resident (recorded by staff), a relative, a volunteer or staff. */
export abstract class AuthoredEntity extends HomeOwnedEntity {
  @Column('varchar', { length: 12 })
  authorType: AuthorType;

  @Column('varchar', { nullable: true })
  authorResidentId: string | null;

  @Column('varchar', { nullable: true })
  authorFamilyMemberId: string | null;

  @Column('varchar', { nullable: true })
  authorVolunteerId: string | null;

  @Column('varchar', { nullable: true })
  authorStaffMemberId: string | null;

  /** The user who entered it; for a resident's own voice, the member of staff who wrote it down. */
  @Column('varchar', { nullable: true })
  recordedBy: string | null;
}
