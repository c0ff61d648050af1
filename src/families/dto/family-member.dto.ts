import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { SearchQueryDto } from '../../common/dto/list-query.dto';
import { PersonContactDto } from '../../common/dto/person-contact.dto';
import { blankToNull, checkbox } from '../../common/http/form-fields';

/** Digits, spaces and the punctuation people write phone numbers with ("+39 02 123 4567"). */
const PHONE = /^\+?[0-9][0-9 ()./-]{2,38}$/;

export class FamilyMemberDto extends PersonContactDto {
  /**
   * Relatives' numbers are also checked for their form. class-validator uses a redeclared property's
   * checks instead of the inherited ones, so all of them are listed; the blank-to-null transform is
   * inherited.
   */
  @IsOptional()
  @Matches(PHONE)
  @MaxLength(40)
  @IsString()
  declare phone?: string | null;
}

/** A new family member also says which home they belong to (asked only of users of several homes). */
export class CreateFamilyMemberDto extends FamilyMemberDto {
  @IsOptional()
  @Transform(blankToNull)
  @IsUUID()
  @IsString()
  homeId?: string | null;
}

/** The list's search form (a GET form, so every field is optional). */
export class FamilyListQueryDto extends SearchQueryDto {
  /** The "include archived" checkbox. */
  @IsOptional()
  @Transform(checkbox)
  @IsBoolean()
  archived?: boolean;

  @IsOptional()
  @Transform(({ value }) => (value === '' || value === undefined ? undefined : Number(value)))
  @Max(100000)
  @Min(1)
  @IsInt()
  page?: number;

  @IsOptional()
  @Transform(blankToNull)
  @IsUUID()
  @IsString()
  homeId?: string | null;
}
