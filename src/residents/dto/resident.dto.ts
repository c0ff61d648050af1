import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { FAMILY_PORTAL_CONSENTS } from '../entities/resident.entity';

// class-validator runs decorators bottom-up and stops at the first failure: the most basic check
// sits nearest the property.

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
/** An optional form field left blank means "none". */
const blankToUndefined = ({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() === '' ? undefined : trimmed({ value }));
const checkbox = ({ value }: { value: unknown }) => value === 'on' || value === 'true' || value === true || value === '1';
const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export class ResidentDto {
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
  @Transform(blankToUndefined)
  @MaxLength(80)
  @IsString()
  preferredName?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @Matches(ISO_DATE)
  @IsString()
  dateOfBirth?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @MaxLength(20)
  @IsString()
  room?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsUUID()
  unitId?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsUUID()
  homeId?: string;

  @Transform(trimmed)
  @Matches(ISO_DATE)
  @IsString()
  admittedOn: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsIn(['active', 'on_leave'])
  status?: 'active' | 'on_leave';

  @Type(() => Number)
  @Max(50)
  @Min(0)
  @IsInt()
  weeklyActivityTarget: number;

  @IsOptional()
  @Transform(blankToUndefined)
  @MaxLength(5000)
  @IsString()
  aboutMe?: string;

  /** Comma-separated in the form; stored as a list of tags. */
  @IsOptional()
  @Transform(blankToUndefined)
  @MaxLength(1000)
  @IsString()
  interests?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @MaxLength(2000)
  @IsString()
  dislikes?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @MaxLength(2000)
  @IsString()
  communicationTips?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @MaxLength(2000)
  @IsString()
  mobilityNotes?: string;
}

export class ConsentDto {
  /** A checkbox: absent when not ticked. */
  @IsOptional()
  @Transform(checkbox)
  @IsBoolean()
  consentPhotos?: boolean;

  @IsIn([...FAMILY_PORTAL_CONSENTS])
  consentFamilyPortal: string;

  @IsOptional()
  @Transform(checkbox)
  @IsBoolean()
  consentVolunteerProfile?: boolean;

  @IsOptional()
  @Transform(blankToUndefined)
  @MaxLength(2000)
  @IsString()
  consentBestInterestNote?: string;
}

export class DischargeDto {
  @IsIn(['discharged', 'deceased'])
  outcome: 'discharged' | 'deceased';

  @Transform(trimmed)
  @Matches(ISO_DATE)
  @IsString()
  leftOn: string;
}

export class ResidentListQuery {
  @IsOptional()
  @Transform(blankToUndefined)
  @MaxLength(100)
  @IsString()
  q?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsUUID()
  unitId?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsIn(['current', 'active', 'on_leave', 'discharged', 'deceased', 'all'])
  status?: string;

  @IsOptional()
  @Type(() => Number)
  @Max(100000)
  @Min(1)
  @IsInt()
  page?: number;
}
