import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One failed sign-in or reset request, as counted before issue 17. No longer written: LoginThrottle
 * keeps counters in `login_throttle` and its `prune` clears what is left here.
 */
@Entity('login_attempt')
@Index(['scope', 'key', 'at'])
export class LoginAttempt {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('varchar', { length: 10 })
  scope: 'email' | 'ip' | 'reset_mail' | 'reset_ip';

  @Column('varchar', { length: 254 })
  key: string;

  @CreateDateColumn()
  at: Date;
}
