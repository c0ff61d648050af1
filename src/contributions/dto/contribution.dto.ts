import { numberField, IsIsoDate } from '../../common/http/form-fields';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { ACTOR_TYPES, PHASES } from '../contributions.enums';

const blankToUndefined = ({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() === '' ? undefined : typeof value === 'string' ? value.trim() : value);

// class-validator runs decorators bottom-up: the most basic check sits nearest the property.

/** What can change on a recorded contribution: its minutes and description. */
export class ContributionUpdateDto {
  @Transform(numberField)
  @Max(1440)
  @Min(0)
  @IsInt()
  minutes: number;

  @IsOptional()
  @Transform(blankToUndefined)
  @MaxLength(1000)
  @IsString()
  description?: string;
}

/** A new contribution: who, in which phase, and for how long. */
export class ContributionDto extends ContributionUpdateDto {
  @IsIn([...PHASES])
  phase: string;

  @IsIn([...ACTOR_TYPES])
  actorType: string;

  /** The resident, family member, volunteer or staff member, as the actor type says. */
  @IsUUID()
  personId: string;

  /** Programme-wide contributions only: their own date. */
  @IsOptional()
  @Transform(blankToUndefined)
  @IsIsoDate()
  @IsString()
  date?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsUUID()
  homeId?: string;
}
