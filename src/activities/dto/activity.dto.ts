import { asList, numberField, IsDateInBounds, IsIsoDate, OptionalIdList } from '../../common/http/form-fields';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsISO8601, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { PHASES } from '../../contributions/contributions.enums';
import { ACTIVITY_CATEGORIES, ENGAGEMENTS, INVITE_MODES, InviteMode, OCCURRENCE_SCOPES, OccurrenceScope } from '../activities.enums';
import { MONTH_POSITIONS, WEEKDAYS } from '../series/series-rule';

// class-validator runs decorators bottom-up: the most basic check sits nearest the property.

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const blankToUndefined = ({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() === '' ? undefined : trimmed({ value }));
const checkbox = ({ value }: { value: unknown }) => value === true || value === 'on' || value === 'true' || value === '1';
/** A repeated form field arrives as a string when it appears once. */

export class ActivityTypeDto {
  @Transform(trimmed)
  @MaxLength(120)
  @IsNotEmpty()
  @IsString()
  name: string;

  @IsIn([...ACTIVITY_CATEGORIES])
  category: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @MaxLength(2000)
  @IsString()
  description?: string;

  @Transform(numberField)
  @Max(600)
  @Min(5)
  @IsInt()
  defaultDurationMinutes: number;

  @IsOptional()
  @Transform(blankToUndefined)
  @MaxLength(120)
  @IsString()
  defaultLocation?: string;

  @IsOptional()
  @Transform(numberField)
  @Max(500)
  @Min(1)
  @IsInt()
  defaultCapacity?: number;

  @IsOptional()
  @Transform(asList)
  @IsIn([...PHASES], { each: true })
  @ArrayMaxSize(PHASES.length)
  @IsArray()
  usualPhases?: string[];

  @IsOptional()
  @Transform(blankToUndefined)
  @IsUUID()
  homeId?: string;
}

/** A blank title, length, place, capacity or phases is filled from the activity's type (ActivitiesService.create). */
export class ActivityDto {
  @IsUUID()
  activityTypeId: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @MaxLength(160)
  @IsString()
  title?: string;

  @IsIsoDate()
  @IsString()
  date: string;

  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/)
  @IsString()
  time: string;

  @IsOptional()
  @Transform(numberField)
  @Max(600)
  @Min(5)
  @IsInt()
  durationMinutes?: number;

  @IsOptional()
  @Transform(blankToUndefined)
  @MaxLength(120)
  @IsString()
  location?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsUUID()
  unitId?: string;

  @IsOptional()
  @Transform(numberField)
  @Max(500)
  @Min(1)
  @IsInt()
  capacity?: number;

  @IsOptional()
  @Transform(asList)
  @IsIn([...PHASES], { each: true })
  @ArrayMaxSize(PHASES.length)
  @IsArray()
  phases?: string[];

  @IsOptional()
  @Transform(blankToUndefined)
  @IsUUID()
  leadStaffId?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @MaxLength(4000)
  @IsString()
  description?: string;

  @IsOptional()
  @Transform(checkbox)
  @IsBoolean()
  visibleToFamilies?: boolean;

  /** Repeat: never (one date), weekly on chosen days, or monthly on the nth weekday (docs/planning.md, "Series"). */
  @IsOptional()
  @Transform(blankToUndefined)
  @IsIn(['never', 'weekly', 'monthly'])
  repeat?: 'never' | 'weekly' | 'monthly';

  /** Every N weeks or months; below 1 is a field error from the rule's own check. */
  @IsOptional()
  @Transform(numberField)
  @Max(99)
  @IsInt()
  interval?: number;

  @IsOptional()
  @Transform(asList)
  @IsIn([...WEEKDAYS], { each: true })
  @ArrayMaxSize(7)
  @IsArray()
  byDay?: string[];

  @IsOptional()
  @Transform(numberField)
  @IsIn([...MONTH_POSITIONS])
  monthPosition?: number;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsIn([...WEEKDAYS])
  monthDay?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsIn(['until', 'count'])
  ends?: 'until' | 'count';

  @IsOptional()
  @Transform(blankToUndefined)
  @IsIsoDate()
  @IsString()
  until?: string;

  @IsOptional()
  @Transform(numberField)
  @Max(9999)
  @IsInt()
  count?: number;

  /** New activities only: the residents invited (to every occurrence of a series, and to those added later). */
  @OptionalIdList(500)
  residentIds?: string[];

  /** On an occurrence of a series: this date only, this and the following, or the whole series. */
  @IsOptional()
  @Transform(blankToUndefined)
  @IsIn(['this', 'following', 'series'])
  scope?: 'this' | 'following' | 'series';
}

/** Moving one occurrence of a series to another date or time. */
export class MoveOccurrenceDto {
  @IsIsoDate()
  @IsString()
  date: string;

  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/)
  @IsString()
  time: string;
}

export class CancelActivityDto {
  @IsOptional()
  @Transform(blankToUndefined)
  @MaxLength(500)
  @IsString()
  reason?: string;
}

/** The activity page's invitation: the residents ticked, or a whole unit, or a group; on this occurrence or the following too. */
export class RosterDto {
  @OptionalIdList(500)
  residentIds?: string[];

  @IsOptional()
  @IsIn([...INVITE_MODES])
  mode?: InviteMode;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsUUID()
  unitId?: string;

  @IsOptional()
  @IsIn([...OCCURRENCE_SCOPES])
  occurrences?: OccurrenceScope;
}

/** Taking a resident off a series' occurrence: this one only, or the following too. */
export class RosterRemoveDto {
  @IsOptional()
  @IsIn([...OCCURRENCE_SCOPES])
  occurrences?: OccurrenceScope;
}

/** One resident's entry in a participation save (API and tablet form alike). */
export class ParticipationEntryDto {
  @IsUUID()
  residentId: string;

  @IsIn([...ENGAGEMENTS])
  engagement: string;

  @IsOptional()
  @Max(5)
  @Min(1)
  @IsInt()
  moodBefore?: number | null;

  @IsOptional()
  @Max(5)
  @Min(1)
  @IsInt()
  moodAfter?: number | null;

  @IsOptional()
  @MaxLength(2000)
  @IsString()
  staffNote?: string | null;

  @IsOptional()
  @MaxLength(2000)
  @IsString()
  familyNote?: string | null;

  /**
   * When the carer tapped this entry, on the device's clock (ISO 8601 instant). The later tap of a
   * resident wins; absent, the save's own time is used (docs/offline-log.md).
   */
  @IsOptional()
  @IsDateInBounds()
  @IsISO8601({ strict: true, strictSeparator: true })
  tappedAt?: string | null;
}

export class HelpOfferDto {
  @IsOptional()
  @IsIn(['deliver', 'join'])
  kind?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @MaxLength(1000)
  @IsString()
  message?: string;
}

export class HelpOfferOnBehalfDto extends HelpOfferDto {
  @IsOptional()
  @Transform(blankToUndefined)
  @IsUUID()
  volunteerId?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsUUID()
  familyMemberId?: string;
}

export class HelpOfferResponseDto {
  @IsIn(['confirmed', 'declined'])
  status: 'confirmed' | 'declined';
}

/**
 * Today's day and unit. Unlike the calendar's, a blank unit is a choice: "Whole home" (the select's
 * empty option) shows every unit; with no unit asked for, a carer sees their own.
 */
export class TodayQuery {
  @IsOptional()
  @IsIsoDate()
  @IsString()
  date?: string;

  @IsOptional()
  @ValidateIf((query: TodayQuery) => query.unitId !== '')
  @IsUUID()
  unitId?: string;
}

export class CalendarQuery {
  @IsOptional()
  @IsIn(['week', 'month'])
  view?: 'week' | 'month';

  @IsOptional()
  @IsIsoDate()
  @IsString()
  date?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsUUID()
  unitId?: string;

  /** The printable calendar's paper (calendar.pdf only): A4 unless A3 is asked for. */
  @IsOptional()
  @IsIn(['a4', 'a3'])
  paper?: 'a4' | 'a3';
}

export class ActivitiesApiQuery {
  @IsIsoDate()
  @IsString()
  date: string;

  @IsOptional()
  @IsUUID()
  unitId?: string;
}
