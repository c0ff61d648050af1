import { Column, Entity, Index, PrimaryColumn, ValueTransformer } from 'typeorm';

/** PostgreSQL gives a bigint back as text; the counter's instants are milliseconds since 1970. */
const epochMs: ValueTransformer = { to: (value: number) => value, from: (value: string | number) => Number(value) };

/**
 * One throttling counter: for a (account, client address) pair, a client address, or an account
 * (LoginThrottle); for asking for reset mails, an email or a client address. A row per key, updated in place, so a reservation is a locked upsert of a few rows
 * rather than a count over many.
 */
@Entity('login_throttle')
@Index(['lastAt'])
export class LoginThrottleCounter {
  @PrimaryColumn('varchar', { length: 10 })
  scope: 'pair' | 'ip' | 'account' | 'reset_mail' | 'reset_ip';

  @PrimaryColumn('varchar', { length: 400 })
  key: string;

  /** Failures counted: in the current window (ip, account), or since the pair was last forgiven (pair). */
  @Column('integer')
  failures: number;

  @Column('bigint', { transformer: epochMs })
  windowStart: number;

  @Column('bigint', { transformer: epochMs })
  lastAt: number;

  /** Until when a pair may not try again (0 when it may). */
  @Column('bigint', { transformer: epochMs })
  blockedUntil: number;
}
