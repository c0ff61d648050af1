import { Transform } from 'class-transformer';
import { IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { LOCALES } from '../../common/i18n/i18n';

// class-validator runs decorators bottom-up and stops at the first failure: the most basic check
// sits nearest the property, so a missing value reads "fill in this field", not "too long".

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class HomeDto {
  @Transform(trim)
  @MaxLength(120)
  @IsNotEmpty()
  @IsString()
  name: string;

  @Transform(trim)
  @MaxLength(60)
  @Matches(/^[a-z0-9]+(-[a-z0-9]+)*$/)
  @IsString()
  slug: string;

  @Transform(trim)
  @MaxLength(60)
  @Matches(/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+){0,2}$/)
  @IsString()
  timezone: string;

  @IsIn([...LOCALES])
  locale: string;

  @IsOptional()
  @Transform(trim)
  @MaxLength(300)
  @IsString()
  address?: string;
}

export class UnitDto {
  @Transform(trim)
  @MaxLength(120)
  @IsNotEmpty()
  @IsString()
  unitName: string;
}
