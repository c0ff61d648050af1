import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { LOCALES } from '../../common/i18n/i18n';

// class-validator runs decorators bottom-up and stops at the first failure: the most basic check
// sits nearest the property, so a missing value reads "fill in this field", not "too long".

export class SignInDto {
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsEmail()
  @MaxLength(254)
  @IsNotEmpty()
  @IsString()
  email: string;

  @MaxLength(256)
  @IsNotEmpty()
  @IsString()
  password: string;

  /** Where to go after signing in; only a path on this site is followed. */
  @IsOptional()
  @MaxLength(500)
  @IsString()
  next?: string;
}

export class ChangePasswordDto {
  @MaxLength(256)
  @IsNotEmpty()
  @IsString()
  currentPassword: string;

  @MaxLength(256)
  @IsNotEmpty()
  @IsString()
  newPassword: string;

  @MaxLength(256)
  @IsNotEmpty()
  @IsString()
  confirmPassword: string;
}

export class LocaleDto {
  @IsIn([...LOCALES])
  locale: string;

  @IsOptional()
  @MaxLength(500)
  @IsString()
  next?: string;
}

export class AcceptInvitationDto {
  @MaxLength(256)
  @IsNotEmpty()
  @IsString()
  newPassword: string;

  @MaxLength(256)
  @IsNotEmpty()
  @IsString()
  confirmPassword: string;
}
