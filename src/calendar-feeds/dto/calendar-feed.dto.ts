import { IsString, IsUUID, MaxLength } from 'class-validator';

/** A new feed: one of the form's choices (`home:<id>`, `unit:<id>`, `resident:<id>`). */
export class CalendarFeedDto {
  @IsString()
  @MaxLength(80)
  calendar: string;
}

/** Which of one's own feeds to remove. */
export class RevokeCalendarFeedDto {
  @IsUUID()
  feedId: string;
}
