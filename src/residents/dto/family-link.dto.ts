import { Expose, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsString, IsUUID } from 'class-validator';
import { checkbox } from '../../common/http/form-fields';
import { FAMILY_ACCESS, FamilyAccess } from '../residents.enums';

/**
 * What a family member is to the resident. A fixed list, so it can be shown in either language and
 * counted; a value stored before the list existed is still shown as written.
 */
export const RELATIONSHIPS = [
  'wife', 'husband', 'partner', 'daughter', 'son', 'daughter_in_law', 'son_in_law', 'grandchild', 'niece_nephew',
  'sister', 'brother', 'other_relative', 'friend', 'legal_representative', 'other',
] as const;
export type Relationship = (typeof RELATIONSHIPS)[number];

export function isRelationship(value: string): value is Relationship {
  return (RELATIONSHIPS as readonly string[]).includes(value);
}

/**
 * The "add a link" form on a family member's page. A checkbox sends its value only when ticked, so
 * @Expose runs the transform for a missing one too, which makes it false.
 */
export class AddFamilyLinkDto {
  @IsUUID()
  @IsString()
  residentId: string;

  @IsIn([...RELATIONSHIPS])
  @IsString()
  relationship: Relationship;

  @IsIn([...FAMILY_ACCESS])
  @IsString()
  access: FamilyAccess;

  @Expose()
  @Transform(checkbox)
  @IsBoolean()
  primaryContact: boolean;
}

/**
 * The edit form shown beside each existing link. Its field names differ from the add form's, so a
 * rejected edit does not fill the add form on the same page with what was typed.
 */
export class UpdateFamilyLinkDto {
  @IsIn([...RELATIONSHIPS])
  @IsString()
  linkRelationship: Relationship;

  @IsIn([...FAMILY_ACCESS])
  @IsString()
  linkAccess: FamilyAccess;

  @Expose()
  @Transform(checkbox)
  @IsBoolean()
  linkPrimaryContact: boolean;

  /** Unticking it ends the link: links are never deleted, so who could see a resident stays on record. */
  @Expose()
  @Transform(checkbox)
  @IsBoolean()
  linkActive: boolean;
}
