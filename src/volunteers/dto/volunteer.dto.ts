import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { ListQueryDto } from '../../common/dto/list-query.dto';
import { PersonContactDto } from '../../common/dto/person-contact.dto';
import { blankToNull, IsIsoDate } from '../../common/http/form-fields';
import { VOLUNTEER_STATUSES, VolunteerStatus } from '../volunteers.enums';

export const VOLUNTEER_LIST_STATUSES = ['current', ...VOLUNTEER_STATUSES, 'all'] as const;
export type VolunteerListStatus = (typeof VOLUNTEER_LIST_STATUSES)[number];

export class VolunteerDto extends PersonContactDto {
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

  @IsOptional()
  @Transform(blankToNull)
  @IsIsoDate()
  @IsString()
  backgroundCheckOn?: string | null;

  @IsOptional()
  @Transform(blankToNull)
  @IsIsoDate()
  @IsString()
  backgroundCheckExpiresOn?: string | null;

  @IsOptional()
  @Transform(blankToNull)
  @MaxLength(2000)
  @IsString()
  trainingNotes?: string | null;

  @IsOptional()
  @Transform(blankToNull)
  @IsIsoDate()
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

export class VolunteerListQuery extends ListQueryDto {
  @IsOptional()
  @Transform(blankToNull)
  @IsIn([...VOLUNTEER_LIST_STATUSES])
  status?: VolunteerListStatus | null;
}
