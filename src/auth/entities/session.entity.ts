import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Server-side session, kept in our own database so every app process shares it. */
@Entity('session')
export class SessionRecord {
  @PrimaryColumn('varchar', { length: 128 })
  sid: string;

  @Column('text')
  data: string;

  @Index()
  @Column({ type: Date })
  expiresAt: Date;

  @Index()
  @Column('varchar', { nullable: true })
  userId: string | null;
}
