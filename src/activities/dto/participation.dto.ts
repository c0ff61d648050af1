import { ValidationError } from '../../common/errors/domain-errors';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { asList, checkbox, OptionalIdList } from '../../common/http/form-fields';
import { ENGAGEMENTS } from '../activities.enums';
import { ParticipationEntryDto } from './activity.dto';


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
    .filter((entry) => {
      if (entry.engagement !== '') return true;
      // A mood or a note with no way of taking part chosen would be dropped without a word: refused, so the form comes back as typed.
      const noted = entry.moodBefore !== null || entry.moodAfter !== null || entry.staffNote !== null || entry.familyNote !== null;
      if (noted) throw new ValidationError({ engagement: { key: 'activities.noteWithoutEngagementForm' } });
      return false;
    });
}

/**
 * The log form's moods arrive as one radio group per tile and mood, `moodBefore-<residentId>` and
 * `moodAfter-<residentId>` (a radio group needs a name of its own). They become the parallel
 * `moodBefore` and `moodAfter` lists, in the order of `residentId`, as the rest of the form sends;
 * a tile whose group sent nothing counts as "not noted". A group named for a resident not in the
 * form is left in place, so validation refuses it by name. A body without such groups is unchanged.
 */
export function foldMoodRadios(body: Record<string, unknown>): Record<string, unknown> {
  const grouped = Object.keys(body).filter((name) => MOOD_GROUP.test(name));
  if (grouped.length === 0) return body;
  const residentIds = asList({ value: body.residentId }) as unknown[] | undefined;
  const ids = (residentIds ?? []).filter((id): id is string => typeof id === 'string');
  const folded: Record<string, unknown> = { ...body };
  for (const field of ['moodBefore', 'moodAfter'] as const) {
    if (!grouped.some((name) => name.startsWith(`${field}-`))) continue;
    folded[field] = ids.map((id) => folded[`${field}-${id}`] ?? '');
    for (const id of ids) delete folded[`${field}-${id}`];
  }
  return folded;
}

const MOOD_GROUP = /^mood(Before|After)-/;

/** POST /activities/:id/log/residents: the residents ticked, or a whole group by one button. */
export class AddResidentsDto {
  @OptionalIdList(500)
  residentId?: string[];

  /** "Add the whole unit" or "Add those who like …": the group, resolved by the server. */
  @IsOptional()
  @IsIn(['unit', 'likes'])
  scope?: 'unit' | 'likes';
}

