import { Transform } from 'class-transformer';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { trimmed } from '../../common/http/form-fields';
import { SignInDto } from '../dto/auth.dto';

/** A code from the authenticator (6 digits) or a recovery code (xxxxx-xxxxx). */
export class MfaCodeDto {
  @Transform(trimmed)
  @MaxLength(40)
  @IsNotEmpty()
  @IsString()
  code: string;
}

/** API sign-in: a user with MFA sends the code with the password (no second request, no half-signed session). */
export class ApiSignInDto extends SignInDto {
  @Transform(trimmed)
  @IsOptional()
  @MaxLength(40)
  @IsString()
  code?: string;
}
