import { Transform } from 'class-transformer';
import { IsIn, IsNotEmpty, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { trimmed } from '../../common/http/form-fields';
import { RETENTION_SUBJECTS, type RetentionSubject } from '../entities/retention-hold.entity';

/** The retention review's "keep": which record, and why it is kept past the period (for the audit log). */
export class KeepRecordDto {
  @IsIn(RETENTION_SUBJECTS)
  subjectType: RetentionSubject;

  @IsUUID()
  subjectId: string;

  @MaxLength(500)
  @MinLength(10)
  @IsNotEmpty()
  @IsString()
  @Transform(trimmed)
  reason: string;
}
