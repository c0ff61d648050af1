import { Transform } from 'class-transformer';
import { IsDefined, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { numberField } from '../../common/http/form-fields';
import { ResidentCheckInDto } from '../../voice/dto/voice.dto';

// class-validator runs decorators bottom-up: the most basic check sits nearest the property.

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const blankToUndefined = ({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() === '' ? undefined : trimmed({ value }));

export const SUGGESTION_FORM_KINDS = ['activity_idea', 'plan_change', 'life_story'] as const;
export const HELP_FORM_KINDS = ['deliver', 'join'] as const;

/**
 * "Suggest an idea". `residentId` is the relative the idea is about, or blank for the whole home; the
 * page checks it is the relative whose page the form is on, so a forged id is simply not found.
 */
export class SuggestionFormDto {
  @IsOptional()
  @Transform(blankToUndefined)
  @IsUUID()
  residentId?: string;

  @IsIn([...SUGGESTION_FORM_KINDS])
  kind: string;

  @Transform(trimmed)
  @MaxLength(160)
  @IsNotEmpty()
  @IsString()
  title: string;

  @Transform(trimmed)
  @MaxLength(4000)
  @IsNotEmpty()
  @IsString()
  body: string;
}

/** "Offer to help / join" on one coming activity. */
export class OfferFormDto {
  @IsUUID()
  activityId: string;

  @IsIn([...HELP_FORM_KINDS])
  kind: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @MaxLength(1000)
  @IsString()
  message?: string;
}

/** "How did it go?": on one activity, or (volunteers only; blank) on the programme as a whole. */
/** A rating and a comment, as the volunteer's and the relative's "How did it go?" forms both take them. */
abstract class RatingFormDto {
  @Transform(numberField)
  @Max(5)
  @Min(1)
  @IsInt()
  // No star chosen reads "required", not "enter a whole number" beside five stars.
  @IsDefined()
  rating: number;

  @IsOptional()
  @Transform(blankToUndefined)
  @MaxLength(2000)
  @IsString()
  comment?: string;
}

/** A volunteer's feedback: on an activity they helped with, or on the programme as a whole (no activity). */
export class FeedbackFormDto extends RatingFormDto {
  @IsOptional()
  @Transform(blankToUndefined)
  @IsUUID()
  activityId?: string;
}

/** A relative's feedback, always on an activity their relative attended: a form sent with neither names both at once. */
export class RelativeFeedbackFormDto extends RatingFormDto {
  @Transform(blankToUndefined)
  @IsUUID()
  @IsDefined()
  activityId: string;
}

/** The family's quarterly wellbeing check-in: the same three domains, 1-4, as a resident's own. */
export class CheckInFormDto extends ResidentCheckInDto {}
