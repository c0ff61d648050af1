import { Column, CreateDateColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export abstract class BaseEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @CreateDateColumn()
  createdAt: Date;

  @UpdateDateColumn()
  updatedAt: Date;
}

/** Every record but a user belongs to one home. */
export abstract class HomeOwnedEntity extends BaseEntity {
  @Column('varchar')
  homeId: string;
}

/** A person known to a home (family member, volunteer, staff member): the contact fields they share. */
export abstract class PersonEntity extends HomeOwnedEntity {
  @Column('varchar', { length: 80 })
  firstName: string;

  @Column('varchar', { length: 80 })
  lastName: string;

  @Column('varchar', { length: 254, nullable: true })
  email: string | null;

  @Column('varchar', { length: 40, nullable: true })
  phone: string | null;
}
