import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { asList, blankToNull, checkbox, numberField, trimmed, IsIsoDate, OptionalIdList } from '../../common/http/form-fields';

/** Goal rows the plan form offers at most. */
export const MAX_GOALS = 8;
/** A goal's choices (categories, activity types) arrive as "<row>:<value>", so one field serves every row. */
export const MAX_GOAL_CHOICES = 120;
export const MAX_PARTICIPANTS = 60;

/** A repeated form field arrives as a string when it appears once, and not at all when none is ticked. */
/** Like asList, without the blank first choice of a select. */
const asFilledList = ({ value }: { value: unknown }) =>
  value === undefined ? undefined : (Array.isArray(value) ? value : [value]).filter((item) => !(typeof item === 'string' && item.trim() === ''));

/**
 * The plan form: "what matters to me" and goal rows sent as parallel repeated fields, one entry per
 * row in page order (description, target, status); ticked categories and activity types carry
 * their row number. Rows are checked one by one by parseGoalRows, so each error sits beside its row.
 */
export class PlanDto {
  @IsOptional()
  @Transform(blankToNull)
  @MaxLength(4000)
  @IsString()
  whatMattersToMe?: string | null;

  @IsOptional()
  @Transform(asList)
  @ArrayMaxSize(MAX_GOALS)
  @IsString({ each: true })
  @IsArray()
  goalDescription?: string[];

  @IsOptional()
  @Transform(asList)
  @ArrayMaxSize(MAX_GOALS)
  @IsString({ each: true })
  @IsArray()
  goalTarget?: string[];

  @IsOptional()
  @Transform(asList)
  @ArrayMaxSize(MAX_GOALS)
  @IsString({ each: true })
  @IsArray()
  goalStatus?: string[];

  @IsOptional()
  @Transform(asList)
  @ArrayMaxSize(MAX_GOAL_CHOICES)
  @IsString({ each: true })
  @IsArray()
  goalCategories?: string[];

  @IsOptional()
  @Transform(asList)
  @ArrayMaxSize(MAX_GOAL_CHOICES)
  @IsString({ each: true })
  @IsArray()
  goalTypes?: string[];
}

export class AgreePlanDto {
  /** Blank means today, in the home's time zone. */
  @IsOptional()
  @Transform(blankToNull)
  @IsIsoDate()
  @IsString()
  agreedOn?: string | null;

  /** Blank means six months after the agreement. */
  @IsOptional()
  @Transform(blankToNull)
  @IsIsoDate()
  @IsString()
  nextReviewOn?: string | null;
}

export class PlanReviewDto {
  @Transform(trimmed)
  @IsIsoDate()
  @IsString()
  reviewedOn: string;

  @IsOptional()
  @Transform(checkbox)
  @IsBoolean()
  residentTookPart?: boolean;

  @OptionalIdList(MAX_PARTICIPANTS)
  familyMemberIds?: string[];

  @OptionalIdList(MAX_PARTICIPANTS)
  staffMemberIds?: string[];

  @IsOptional()
  @Transform(blankToNull)
  @MaxLength(4000)
  @IsString()
  notes?: string | null;

  /** Minutes each participant gave to the review; 0 when left blank. */
  @IsOptional()
  @Transform(numberField)
  @Max(600)
  @Min(0)
  @IsInt()
  minutes?: number;

  /** Blank means six months after the review. */
  @IsOptional()
  @Transform(blankToNull)
  @IsIsoDate()
  @IsString()
  nextReviewOn?: string | null;

  /** One "<goalId>:<score>" per goal, from a select per goal. */
  @IsOptional()
  @Transform(asFilledList)
  @ArrayMaxSize(MAX_GOALS)
  @Matches(/^[0-9a-fA-F-]{36}:(-2|-1|0|1|2)$/, { each: true })
  @IsString({ each: true })
  @IsArray()
  scores?: string[];
}
