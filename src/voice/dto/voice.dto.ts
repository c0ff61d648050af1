import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { blankToNull, checkbox, numberField, trimmed } from '../../common/http/form-fields';
import { SUGGESTION_KINDS, SUGGESTION_STATUSES } from '../voice.enums';

// class-validator runs decorators bottom-up: the most basic check sits nearest the property.

const blankToUndefined = ({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() === '' ? undefined : trimmed({ value }));
const SCORES = [1, 2, 3, 4];
export const INBOX_TABS = [...SUGGESTION_STATUSES, 'all'] as const;
export type InboxTab = (typeof INBOX_TABS)[number];

export class InboxQuery {
  @IsOptional()
  @IsIn([...INBOX_TABS])
  status?: InboxTab;
}

/** The answer to a suggestion: the button pressed names the status. */
export class SuggestionResponseDto {
  @IsIn(['accepted', 'declined', 'done', 'new'])
  status: 'accepted' | 'declined' | 'done' | 'new';

  @IsOptional()
  @Transform(blankToUndefined)
  @MaxLength(2000)
  @IsString()
  response?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsUUID()
  linkedActivityTypeId?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsUUID()
  linkedActivityId?: string;

  /** The inbox tab to go back to. */
  @IsOptional()
  @IsIn([...INBOX_TABS])
  tab?: InboxTab;
}

export class LifeStoryApprovalDto {
  @IsOptional()
  @IsIn([...INBOX_TABS])
  tab?: InboxTab;
}

/** A resident's own suggestion, written down by staff. */
export class ResidentSuggestionDto {
  @IsIn([...SUGGESTION_KINDS])
  kind: (typeof SUGGESTION_KINDS)[number];

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

  @IsOptional()
  @Transform(checkbox)
  @IsBoolean()
  wholeHome?: boolean;
}

/** A resident's own "how did it go?", on an activity they attended or (blank) on the programme. */
export class ResidentFeedbackDto {
  @IsOptional()
  @Transform(blankToNull)
  @IsUUID()
  activityId?: string | null;

  /** Radio buttons: none chosen reads "choose one of the options". */
  @Transform(numberField)
  @IsIn([1, 2, 3, 4, 5])
  rating: number;

  @IsOptional()
  @Transform(blankToUndefined)
  @MaxLength(2000)
  @IsString()
  comment?: string;
}

/** A resident's own wellbeing check-in: three domains, 1-4 (4 = best). */
export class ResidentCheckInDto {
  @Transform(numberField)
  @IsIn(SCORES)
  doingThings: number;

  @Transform(numberField)
  @IsIn(SCORES)
  people: number;

  @Transform(numberField)
  @IsIn(SCORES)
  choice: number;

  @IsOptional()
  @Transform(blankToUndefined)
  @MaxLength(2000)
  @IsString()
  comment?: string;
}
