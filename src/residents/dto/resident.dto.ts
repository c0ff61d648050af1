import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { ListQueryDto } from '../../common/dto/list-query.dto';
import { PersonNameDto } from '../../common/dto/person-contact.dto';
import { blankToNull, checkbox, trimmed, numberField, IsIsoDate } from '../../common/http/form-fields';
import { FAMILY_PORTAL_CONSENTS } from '../residents.enums';

export class ResidentDto extends PersonNameDto {
  @IsOptional()
  @Transform(blankToNull)
  @MaxLength(80)
  @IsString()
  preferredName?: string | null;

  @IsOptional()
  @Transform(blankToNull)
  @IsIsoDate()
  @IsString()
  dateOfBirth?: string | null;

  @IsOptional()
  @Transform(blankToNull)
  @MaxLength(20)
  @IsString()
  room?: string | null;

  @IsOptional()
  @Transform(blankToNull)
  @IsUUID()
  unitId?: string | null;

  @IsOptional()
  @Transform(blankToNull)
  @IsUUID()
  homeId?: string | null;

  @Transform(trimmed)
  @IsIsoDate()
  @IsString()
  admittedOn: string;

  @IsOptional()
  @Transform(blankToNull)
  @IsIn(['active', 'on_leave'])
  status?: 'active' | 'on_leave' | null;

  @Transform(numberField)
  @Max(50)
  @Min(0)
  @IsInt()
  weeklyActivityTarget: number;

  @IsOptional()
  @Transform(blankToNull)
  @MaxLength(5000)
  @IsString()
  aboutMe?: string | null;

  /** Comma-separated in the form; stored as a list of tags. */
  @IsOptional()
  @Transform(blankToNull)
  @MaxLength(1000)
  @IsString()
  interests?: string | null;

  @IsOptional()
  @Transform(blankToNull)
  @MaxLength(2000)
  @IsString()
  dislikes?: string | null;

  @IsOptional()
  @Transform(blankToNull)
  @MaxLength(2000)
  @IsString()
  communicationTips?: string | null;

  @IsOptional()
  @Transform(blankToNull)
  @MaxLength(2000)
  @IsString()
  mobilityNotes?: string | null;
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
  @Transform(blankToNull)
  @MaxLength(2000)
  @IsString()
  consentBestInterestNote?: string | null;
}

export class DischargeDto {
  @IsIn(['discharged', 'deceased'])
  outcome: 'discharged' | 'deceased';

  @Transform(trimmed)
  @IsIsoDate()
  @IsString()
  leftOn: string;
}

export class ResidentListQuery extends ListQueryDto {
  @IsOptional()
  @Transform(blankToNull)
  @IsUUID()
  unitId?: string | null;

  @IsOptional()
  @Transform(blankToNull)
  @IsIn(['current', 'active', 'on_leave', 'discharged', 'deceased', 'all'])
  status?: string | null;
}
