import { Column, Entity } from 'typeorm';
import { BaseEntity } from '../../common/entities/base.entity';
import type { MailStatus } from '../mail.enums';

/**
 * One mail of the outbox, written in the recipient's language when it was queued and sent later by
 * the worker. `claimToken` and `claimedUntil` are the lease of the worker sending it.
 */
@Entity('mail_outbox')
export class MailMessage extends BaseEntity {
  @Column('varchar', { nullable: true })
  homeId: string | null;

  @Column('varchar', { length: 254 })
  toAddress: string;

  @Column('varchar', { length: 5 })
  locale: string;

  @Column('varchar', { length: 40 })
  template: string;

  @Column('varchar', { length: 300 })
  subject: string;

  @Column('text')
  textBody: string;

  @Column('text')
  htmlBody: string;

  @Column('varchar', { length: 10 })
  status: MailStatus;

  @Column('integer', { default: 0 })
  attempts: number;

  @Column({ type: Date })
  nextAttemptAt: Date;

  @Column('varchar', { length: 36, nullable: true })
  claimToken: string | null;

  @Column({ type: Date, nullable: true })
  claimedUntil: Date | null;

  @Column({ type: Date, nullable: true })
  sentAt: Date | null;

  @Column('varchar', { length: 500, nullable: true })
  lastError: string | null;
}
