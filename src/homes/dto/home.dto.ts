import { Transform } from 'class-transformer';
import { IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { trimmed } from '../../common/http/form-fields';
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
}

export class UnitDto {
  @Transform(trimmed)
  @MaxLength(120)
  @IsNotEmpty()
  @IsString()
  unitName: string;
}
