import { Transform } from 'class-transformer';
import { IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { trimmed } from '../../common/http/form-fields';

export class EnrolDeviceDto {
  @Transform(trimmed)
  @MaxLength(80)
  @IsNotEmpty()
  @IsString()
  name: string;

  @IsUUID()
  @IsString()
  unitId: string;
}

/** The PIN's shape (exactly six digits) is the service's check, so the error names it plainly. */
export class PinDto {
  @MaxLength(64)
  @IsString()
  pin: string;

  /** Where to go after switching in; only a path on this site is followed. */
  @IsOptional()
  @MaxLength(500)
  @IsString()
  next?: string;
}

export class ApiPinDto {
  @IsUUID()
  @IsString()
  userId: string;

  @MaxLength(64)
  @IsString()
  pin: string;
}

export class SetPinDto {
  @MaxLength(64)
  @IsString()
  pin: string;

  @MaxLength(64)
  @IsString()
  confirmPin: string;

  /** Named apart from the password form's `currentPassword` on the same page. */
  @MaxLength(256)
  @IsNotEmpty()
  @IsString()
  password: string;
}
