import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { LOCALES } from '../../common/i18n/i18n';

export class SignInDto {
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @IsNotEmpty()
  @MaxLength(254)
  @IsEmail()
  email: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  password: string;

  /** Where to go after signing in; only a path on this site is followed. */
  @IsOptional()
  @IsString()
  @MaxLength(500)
  next?: string;
}

export class ChangePasswordDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  currentPassword: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  newPassword: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  confirmPassword: string;
}

export class LocaleDto {
  @IsIn([...LOCALES])
  locale: string;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  next?: string;
}
