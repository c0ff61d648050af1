import { Transform } from 'class-transformer';
import { IsBoolean, IsEmail, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';

// class-validator runs decorators bottom-up and stops at the first failure: the most basic check
// sits nearest the property, so a missing value reads "fill in this field", not "too long".

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
/** An optional field left empty is stored as null, not as an empty string. */
const emptyToNull = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() || null : value);

/** Digits, spaces and the punctuation people write phone numbers with ("+39 02 123 4567"). */
const PHONE = /^\+?[0-9][0-9 ()./-]{2,38}$/;

export class FamilyMemberDto {
  @Transform(trim)
  @MaxLength(80)
  @IsNotEmpty()
  @IsString()
  firstName: string;

  @Transform(trim)
  @MaxLength(80)
  @IsNotEmpty()
  @IsString()
  lastName: string;

  @IsOptional()
  @Transform(emptyToNull)
  @IsEmail()
  @MaxLength(254)
  @IsString()
  email?: string | null;

  @IsOptional()
  @Transform(emptyToNull)
  @Matches(PHONE)
  @MaxLength(40)
  @IsString()
  phone?: string | null;
}

/** A new family member also says which home they belong to (asked only of users of several homes). */
export class CreateFamilyMemberDto extends FamilyMemberDto {
  @IsOptional()
  @Transform(emptyToNull)
  @IsUUID()
  @IsString()
  homeId?: string | null;
}

/** The list's search form (a GET form, so every field is optional). */
export class FamilyListQueryDto {
  @IsOptional()
  @Transform(emptyToNull)
  @MaxLength(100)
  @IsString()
  q?: string | null;

  /** The "include archived" checkbox. */
  @IsOptional()
  @Transform(({ value }) => value === '1' || value === 'on' || value === 'true')
  @IsBoolean()
  archived?: boolean;

  @IsOptional()
  @Transform(({ value }) => (value === '' || value === undefined ? undefined : Number(value)))
  @Max(100000)
  @Min(1)
  @IsInt()
  page?: number;

  @IsOptional()
  @Transform(emptyToNull)
  @IsUUID()
  @IsString()
  homeId?: string | null;
}
