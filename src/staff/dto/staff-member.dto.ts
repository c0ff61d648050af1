import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, IsUUID } from 'class-validator';
import { ListQueryDto } from '../../common/dto/list-query.dto';
import { PersonContactDto } from '../../common/dto/person-contact.dto';
import { blankToNull, IsIsoDate } from '../../common/http/form-fields';
import { JOB_ROLES, JobRole, STAFF_STATUSES, StaffStatus } from '../staff.enums';

/** The account roles a staff member can be invited with. */
export const STAFF_ACCOUNT_ROLES = ['carer', 'coordinator', 'manager'] as const;
export type StaffAccountRole = (typeof STAFF_ACCOUNT_ROLES)[number];

export const STAFF_LIST_STATUSES = [...STAFF_STATUSES, 'all'] as const;
export type StaffListStatus = (typeof STAFF_LIST_STATUSES)[number];

export class StaffMemberDto extends PersonContactDto {
  @IsIn([...JOB_ROLES])
  jobRole: JobRole;

  /** Blank: works across the whole home. */
  @IsOptional()
  @Transform(blankToNull)
  @IsUUID()
  unitId?: string | null;

  @IsOptional()
  @Transform(blankToNull)
  @IsIsoDate()
  @IsString()
  startedOn?: string | null;

  @IsIn([...STAFF_STATUSES])
  status: StaffStatus;
}

export class CreateStaffMemberDto extends StaffMemberDto {
  /** Only a user of several homes sees the home select; for the others it is their one home. */
  @IsOptional()
  @Transform(blankToNull)
  @IsUUID()
  homeId?: string | null;
}

export class StaffInvitationDto {
  @IsIn([...STAFF_ACCOUNT_ROLES])
  role: StaffAccountRole;
}

export class StaffListQuery extends ListQueryDto {
  @IsOptional()
  @Transform(blankToNull)
  @IsIn([...STAFF_LIST_STATUSES])
  status?: StaffListStatus | null;
}
