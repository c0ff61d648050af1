import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One failed sign-in, counted per account and per address for throttling. */
@Entity('login_attempt')
@Index(['scope', 'key', 'at'])
export class LoginAttempt {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('varchar', { length: 10 })
  scope: 'email' | 'ip';

  @Column('varchar', { length: 254 })
  key: string;

  @CreateDateColumn()
  at: Date;
}
