import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The first answer to a write sent with an Idempotency-Key, kept so a replay gets the same answer. */
@Entity('idempotency_key')
export class IdempotencyKey {
  /** The user's id and the client's key, so two users' keys never collide. */
  @PrimaryColumn('varchar', { length: 160 })
  id: string;

  @Column('varchar')
  userId: string;

  @Column('varchar', { length: 64 })
  requestHash: string;

  @Column('integer', { nullable: true })
  statusCode: number | null;

  @Column('text', { nullable: true })
  responseBody: string | null;

  @Column({ type: Date })
  createdAt: Date;
}
