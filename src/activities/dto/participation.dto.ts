import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { ENGAGEMENTS } from '../activities.enums';
import { ParticipationEntryDto } from './activity.dto';

const asList = ({ value }: { value: unknown }) => (value === undefined ? undefined : Array.isArray(value) ? value : [value]);
const checkbox = ({ value }: { value: unknown }) => value === true || value === 'on' || value === 'true' || value === '1';

/** PUT /api/activities/:id/participation */
export class ParticipationSaveDto {
  @ValidateNested({ each: true })
  @Type(() => ParticipationEntryDto)
  @ArrayMaxSize(200)
  @ArrayMinSize(1)
  @IsArray()
  entries: ParticipationEntryDto[];

  @IsOptional()
  @IsBoolean()
  complete?: boolean;
}

/**
 * The tablet log form: one tile per resident, sent as parallel repeated fields (residentId,
 * engagement, mood before/after, notes), in the same order. A tile left untouched sends engagement "".
 */
export class ParticipationFormDto {
  @Transform(asList)
  @ArrayMaxSize(200)
  @IsUUID('all', { each: true })
  @IsArray()
  residentId: string[];

  @Transform(asList)
  @ArrayMaxSize(200)
  @IsIn(['', ...ENGAGEMENTS], { each: true })
  @IsArray()
  engagement: string[];

  @IsOptional()
  @Transform(asList)
  @ArrayMaxSize(200)
  @IsIn(['', '1', '2', '3', '4', '5'], { each: true })
  @IsArray()
  moodBefore?: string[];

  @IsOptional()
  @Transform(asList)
  @ArrayMaxSize(200)
  @IsIn(['', '1', '2', '3', '4', '5'], { each: true })
  @IsArray()
  moodAfter?: string[];

  @IsOptional()
  @Transform(asList)
  @ArrayMaxSize(200)
  @MaxLength(2000, { each: true })
  @IsString({ each: true })
  @IsArray()
  staffNote?: string[];

  @IsOptional()
  @Transform(asList)
  @ArrayMaxSize(200)
  @MaxLength(2000, { each: true })
  @IsString({ each: true })
  @IsArray()
  familyNote?: string[];

  @IsOptional()
  @Transform(checkbox)
  @IsBoolean()
  complete?: boolean;
}

/** The form's parallel lists as entries; untouched tiles are left out. */
export function entriesFromForm(form: ParticipationFormDto): ParticipationEntryDto[] {
  const mood = (list: string[] | undefined, i: number) => (list?.[i] ? Number(list[i]) : null);
  const note = (list: string[] | undefined, i: number) => (list?.[i]?.trim() ? list[i].trim() : null);
  return form.residentId
    .map((residentId, i) => ({
      residentId,
      engagement: form.engagement[i] ?? '',
      moodBefore: mood(form.moodBefore, i),
      moodAfter: mood(form.moodAfter, i),
      staffNote: note(form.staffNote, i),
      familyNote: note(form.familyNote, i),
    }))
    .filter((entry) => entry.engagement !== '');
}

export class AddResidentDto {
  @IsUUID()
  residentId: string;
}

