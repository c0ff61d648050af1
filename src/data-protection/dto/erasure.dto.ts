import { Transform } from 'class-transformer';
import { IsBoolean, IsNotEmpty, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { checkbox, trimmed } from '../../common/http/form-fields';

/** The erasure form: why (kept in the audit log, so it must not name the resident) and an explicit tick. */
export class ErasureDto {
  @MaxLength(500)
  @MinLength(10)
  @IsNotEmpty()
  @IsString()
  @Transform(trimmed)
  reason: string;

  /** A checkbox: absent when not ticked; the service asks for it to be ticked. */
  @IsOptional()
  @Transform(checkbox)
  @IsBoolean()
  confirm?: boolean;
}
