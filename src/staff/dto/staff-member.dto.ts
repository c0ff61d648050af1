import { Transform, Type } from 'class-transformer';
import { IsDateString, IsEmail, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { JOB_ROLES, JobRole, STAFF_STATUSES, StaffStatus } from '../entities/staff-member.entity';

// class-validator runs decorators bottom-up and stops at the first failure: the most basic check
// sits nearest the property, so a missing value reads "fill in this field", not "too long".

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
/** An optional form field left blank means "none". */
const blankToNull = ({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() === '' ? null : trimmed({ value }));
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The account roles a staff member can be invited with. */
export const STAFF_ACCOUNT_ROLES = ['carer', 'coordinator', 'manager'] as const;
export type StaffAccountRole = (typeof STAFF_ACCOUNT_ROLES)[number];

export const STAFF_LIST_STATUSES = [...STAFF_STATUSES, 'all'] as const;
export type StaffListStatus = (typeof STAFF_LIST_STATUSES)[number];

export class StaffMemberDto {
  @Transform(trimmed)
  @MaxLength(80)
  @IsNotEmpty()
  @IsString()
  firstName: string;

  @Transform(trimmed)
  @MaxLength(80)
  @IsNotEmpty()
  @IsString()
  lastName: string;

  @IsOptional()
  @Transform(blankToNull)
  @IsEmail()
  @MaxLength(254)
  @IsString()
  email?: string | null;

  @IsOptional()
  @Transform(blankToNull)
  @MaxLength(40)
  @IsString()
  phone?: string | null;

  @IsIn([...JOB_ROLES])
  jobRole: JobRole;

  /** Blank: works across the whole home. */
  @IsOptional()
  @Transform(blankToNull)
  @IsUUID()
  unitId?: string | null;

  // The pattern keeps the plain date form; IsDateString (strict) then refuses days that do not exist.
  @IsOptional()
  @Transform(blankToNull)
  @IsDateString({ strict: true })
  @Matches(ISO_DATE)
  @IsString()
  startedOn?: string | null;

  @IsIn([...STAFF_STATUSES])
  status: StaffStatus;
}

export class CreateStaffMemberDto extends StaffMemberDto {
  /** Only a user of several homes sees the home select; for the others it is their one home. */
  @IsOptional()
  @Transform(blankToNull)
  @IsUUID()
  homeId?: string | null;
}

export class StaffInvitationDto {
  @IsIn([...STAFF_ACCOUNT_ROLES])
  role: StaffAccountRole;
}

export class StaffListQuery {
  @IsOptional()
  @Transform(blankToNull)
  @MaxLength(100)
  @IsString()
  q?: string | null;

  @IsOptional()
  @Transform(blankToNull)
  @IsIn([...STAFF_LIST_STATUSES])
  status?: StaffListStatus | null;

  @IsOptional()
  @Type(() => Number)
  @Max(100000)
  @Min(1)
  @IsInt()
  page?: number;
}
