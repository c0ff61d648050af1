import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../common/entities/base.entity';

/** A one-time link that lets a new user set their own password. Only the token's hash is stored. */
@Entity('invitation')
export class Invitation extends BaseEntity {
  @Index()
  @Column('varchar')
  userId: string;

  @Index({ unique: true })
  @Column('varchar', { length: 64 })
  tokenHash: string;

  @Column({ type: Date })
  expiresAt: Date;

  @Column({ type: Date, nullable: true })
  usedAt: Date | null;

  @Column('varchar', { nullable: true })
  createdBy: string | null;
}
