import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { trimmed } from '../../common/http/form-fields';
import { LOCALES } from '../../common/i18n/i18n';

export class SignInDto {
  @Transform(trimmed)
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

/** A new password, typed twice; accepting an invitation asks for nothing else. */
export class NewPasswordDto {
  @MaxLength(256)
  @IsNotEmpty()
  @IsString()
  newPassword: string;

  @MaxLength(256)
  @IsNotEmpty()
  @IsString()
  confirmPassword: string;
}

export class ChangePasswordDto extends NewPasswordDto {
  @MaxLength(256)
  @IsNotEmpty()
  @IsString()
  currentPassword: string;
}

export class LocaleDto {
  @IsIn([...LOCALES])
  locale: string;

  @IsOptional()
  @MaxLength(500)
  @IsString()
  next?: string;
}

/** "Forgot your password?": the address to send a reset link to. */
export class ForgotPasswordDto {
  @Transform(trimmed)
  @IsEmail()
  @MaxLength(254)
  @IsNotEmpty()
  @IsString()
  email: string;
}

/** A new email address for an account; it changes once the link mailed to it is opened. */
export class EmailChangeDto {
  @Transform(trimmed)
  @IsEmail()
  @MaxLength(254)
  @IsNotEmpty()
  @IsString()
  newEmail: string;
}
