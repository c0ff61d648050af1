import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsBoolean, IsNotEmpty, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { checkbox, trimmed } from '../../common/http/form-fields';

/** A data-protection decision's reason, kept in the audit log: 10 to 500 characters (erasure, keeping a record). */
// In the order TypeScript applies stacked decorators (the bottom one first), so the checks run as they did written on the field.
export const ReasonText = () => applyDecorators(Transform(trimmed), IsString(), IsNotEmpty(), MinLength(10), MaxLength(500));

/** The erasure form: why (kept in the audit log, so it must not name the resident) and an explicit tick. */
export class ErasureDto {
  @ReasonText()
  reason: string;

  /** A checkbox: absent when not ticked; the service asks for it to be ticked. */
  @IsOptional()
  @Transform(checkbox)
  @IsBoolean()
  confirm?: boolean;
}
