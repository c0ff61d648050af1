import { IsIn, IsUUID } from 'class-validator';
import { RETENTION_SUBJECTS, type RetentionSubject } from '../entities/retention-hold.entity';
import { ReasonText } from './erasure.dto';

/** The retention review's "keep": which record, and why it is kept past the period (for the audit log). */
export class KeepRecordDto {
  @IsIn(RETENTION_SUBJECTS)
  subjectType: RetentionSubject;

  @IsUUID()
  subjectId: string;

  @ReasonText()
  reason: string;
}
