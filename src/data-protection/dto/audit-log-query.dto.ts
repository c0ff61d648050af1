import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { AUDIT_ACTIONS, AuditAction } from '../../audit/audit.enums';
import { blankToNull, numberField } from '../../common/http/form-fields';

/**
 * The audit log's filters, from the page's address. The dates are checked by the service, so a date
 * typed wrong comes back beside its field with the rest of the filters kept.
 */
export class AuditLogQueryDto {
  /** A person the entries are about: part of a resident's, relative's, volunteer's, staff member's or account's name. */
  @IsOptional()
  @Transform(blankToNull)
  @MaxLength(100)
  @IsString()
  person?: string | null;

  /** Who did it: part of an account's name or email. */
  @IsOptional()
  @Transform(blankToNull)
  @MaxLength(100)
  @IsString()
  user?: string | null;

  @IsOptional()
  @Transform(blankToNull)
  @IsIn([...AUDIT_ACTIONS])
  action?: AuditAction | null;

  @IsOptional()
  @Transform(blankToNull)
  @MaxLength(40)
  @IsString()
  from?: string | null;

  @IsOptional()
  @Transform(blankToNull)
  @MaxLength(40)
  @IsString()
  to?: string | null;

  /** The page after: entries older than this one (its place in the chain). */
  @IsOptional()
  @Transform(numberField)
  @Max(Number.MAX_SAFE_INTEGER)
  @Min(1)
  @IsInt()
  before?: number;
}
