import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { blankToNull, numberField, trimmed } from '../../common/http/form-fields';
import { LOCALES } from '../../common/i18n/i18n';
import { COUNTRIES } from '../homes.enums';

export class HomeDto {
  @Transform(trimmed)
  @MaxLength(120)
  @IsNotEmpty()
  @IsString()
  name: string;

  @Transform(trimmed)
  @MaxLength(60)
  @Matches(/^[a-z0-9]+(-[a-z0-9]+)*$/)
  @IsString()
  slug: string;

  @Transform(trimmed)
  @MaxLength(60)
  @Matches(/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+){0,2}$/)
  @IsString()
  timezone: string;

  @IsIn([...LOCALES])
  locale: string;

  /** Chooses the standards the quarterly report cites; a form always sends it, a trusted caller may leave it to the default. */
  @IsOptional()
  @IsIn([...COUNTRIES])
  country?: string;

  @IsOptional()
  @Transform(trimmed)
  @MaxLength(300)
  @IsString()
  address?: string;

  /** The group the home is in; blank: none. Left out by a trusted caller: unchanged. */
  @IsOptional()
  @Transform(blankToNull)
  @IsUUID()
  groupId?: string | null;
}

/** A group's settings (docs/groups.md): its name and the residents-reached threshold the group view flags homes below. */
export class GroupSettingsDto {
  @Transform(trimmed)
  @MaxLength(120)
  @IsNotEmpty()
  @IsString()
  name: string;

  /** A whole percentage; blank: no flag. */
  @IsOptional()
  @Transform(numberField)
  @Max(100)
  @Min(0)
  @IsInt()
  reachedThreshold?: number | null;
}

export class UnitDto {
  @Transform(trimmed)
  @MaxLength(120)
  @IsNotEmpty()
  @IsString()
  unitName: string;
}
