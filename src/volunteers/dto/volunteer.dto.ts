import { Transform, Type } from 'class-transformer';
import { IsDateString, IsEmail, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { VOLUNTEER_STATUSES, VolunteerStatus } from '../entities/volunteer.entity';

// class-validator runs decorators bottom-up and stops at the first failure: the most basic check
// sits nearest the property, so a missing value reads "fill in this field", not "too long".

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
/** An optional form field left blank means "none". */
const blankToNull = ({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() === '' ? null : trimmed({ value }));
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export const VOLUNTEER_LIST_STATUSES = ['current', ...VOLUNTEER_STATUSES, 'all'] as const;
export type VolunteerListStatus = (typeof VOLUNTEER_LIST_STATUSES)[number];

export class VolunteerDto {
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

  @IsOptional()
  @Transform(blankToNull)
  @MaxLength(120)
  @IsString()
  association?: string | null;

  /** Comma-separated in the form; the service turns it into tags. */
  @IsOptional()
  @Transform(blankToNull)
  @MaxLength(1000)
  @IsString()
  skills?: string | null;

  @IsOptional()
  @Transform(blankToNull)
  @MaxLength(1000)
  @IsString()
  availability?: string | null;

  @IsOptional()
  @Transform(blankToNull)
  @MaxLength(60)
  @IsString()
  backgroundCheckReference?: string | null;

  // The pattern keeps the plain date form; IsDateString (strict) then refuses days that do not exist.
  @IsOptional()
  @Transform(blankToNull)
  @IsDateString({ strict: true })
  @Matches(ISO_DATE)
  @IsString()
  backgroundCheckOn?: string | null;

  @IsOptional()
  @Transform(blankToNull)
  @IsDateString({ strict: true })
  @Matches(ISO_DATE)
  @IsString()
  backgroundCheckExpiresOn?: string | null;

  @IsOptional()
  @Transform(blankToNull)
  @MaxLength(2000)
  @IsString()
  trainingNotes?: string | null;

  @IsOptional()
  @Transform(blankToNull)
  @IsDateString({ strict: true })
  @Matches(ISO_DATE)
  @IsString()
  startedOn?: string | null;

  @IsIn([...VOLUNTEER_STATUSES])
  status: VolunteerStatus;
}

export class CreateVolunteerDto extends VolunteerDto {
  /** Only a user of several homes sees the home select; for the others it is their one home. */
  @IsOptional()
  @Transform(blankToNull)
  @IsUUID()
  homeId?: string | null;
}

export class VolunteerListQuery {
  @IsOptional()
  @Transform(blankToNull)
  @MaxLength(100)
  @IsString()
  q?: string | null;

  @IsOptional()
  @Transform(blankToNull)
  @IsIn([...VOLUNTEER_LIST_STATUSES])
  status?: VolunteerListStatus | null;

  @IsOptional()
  @Type(() => Number)
  @Max(100000)
  @Min(1)
  @IsInt()
  page?: number;
}
