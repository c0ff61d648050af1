import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, IsUUID } from 'class-validator';
import { ListQueryDto } from '../../common/dto/list-query.dto';
import { blankToNull } from '../../common/http/form-fields';
import { ACCOUNT_STATES, type AccountState } from '../accounts.service';
import { ROLES, type Role } from '../auth.enums';

/** The accounts list's filters (a GET form: every field may be left out). */
export class AccountsQueryDto extends ListQueryDto {
  @IsOptional()
  @Transform(blankToNull)
  @IsUUID()
  @IsString()
  homeId?: string | null;

  @IsOptional()
  @Transform(blankToNull)
  @IsIn([...ROLES])
  role?: Role | null;

  @IsOptional()
  @Transform(blankToNull)
  @IsIn([...ACCOUNT_STATES])
  status?: AccountState | null;
}

/** A role change; the service checks which roles this account may take. */
export class AccountRoleDto {
  @IsIn([...ROLES])
  @IsString()
  role: Role;
}
