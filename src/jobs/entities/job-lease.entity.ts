import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Who may run a scheduled job (`name`) until when: one row per job, taken by one conditional upsert. */
@Entity('job_lease')
export class JobLease {
  @PrimaryColumn('varchar', { length: 60 })
  name: string;

  @Column('varchar', { length: 100 })
  holder: string;

  @Column({ type: Date })
  expiresAt: Date;
}
