import { Transform } from 'class-transformer';
import { IsEmail, IsNotEmpty, IsOptional, IsString, MaxLength, ValidateBy } from 'class-validator';
import { blankToNull, trimmed } from '../http/form-fields';

/**
 * A person's name as every person record's form asks for it. class-validator and class-transformer
 * apply these decorators to the subclasses too.
 */
export abstract class PersonNameDto {
  @Transform(trimmed)
  @MaxLength(80)
  @IsNotEmpty()
  @IsString()
  firstName: string;

  @Transform(trimmed)
  @MaxLength(80)
  @IsNotEmpty()
  @IsString()
  lastName: string;
}

/** The name and the ways to reach someone: staff, volunteers and family members. */
export abstract class PersonContactDto extends PersonNameDto {
  @IsOptional()
  @Transform(blankToNull)
  @IsEmail()
  @MaxLength(254)
  @IsString()
  email?: string | null;

  // Digits with the usual marks ("+39 051 123 4567", "(051) 12-34"); "abc" is no number anyone can call.
  @IsOptional()
  @Transform(blankToNull)
  @ValidateBy({ name: 'isPhone', validator: { validate: (value: unknown) => typeof value === 'string' && /^\+?[0-9][0-9 ()./-]{3,38}$/.test(value) && /\d.*\d.*\d/.test(value) } })
  @MaxLength(40)
  @IsString()
  phone?: string | null;
}
