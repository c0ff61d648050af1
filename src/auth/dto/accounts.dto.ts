import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsEmail, IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { ListQueryDto } from '../../common/dto/list-query.dto';
import { blankToNull, trimmed } from '../../common/http/form-fields';
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

const asList = ({ value }: { value: unknown }) => (value === undefined || value === null ? [] : Array.isArray(value) ? value : [value]);

/** An account's groups (a group manager's; docs/groups.md): ticked boxes, one at least. */
export class AccountGroupsDto {
  @Transform(asList)
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  @ArrayNotEmpty()
  @IsArray()
  groupIds: string[];
}

/** A new group manager's account (admins only): who, and which groups they lead. */
export class NewGroupManagerDto extends AccountGroupsDto {
  @Transform(trimmed)
  @MaxLength(120)
  @IsNotEmpty()
  @IsString()
  displayName: string;

  @Transform(trimmed)
  @MaxLength(254)
  @IsEmail()
  @IsString()
  email: string;
}
