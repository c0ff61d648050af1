import { Column, Entity } from 'typeorm';
import { PlannedActivityFields } from './planned-activity.entity';

/** An occurrence moved off the date its rule gave it (the rule's date, and the activity now elsewhere). */
export interface MovedOccurrence {
  from: string;
  activityId: string;
}

/**
 * A recurring series (docs/planning.md, "Series"): an RFC 5545 rule from a local start date and time
 * in the home's zone, the template its occurrences share, its exceptions, and how far its
 * occurrences exist as `activity` rows (`activity.seriesId` links each to its series).
 */
@Entity('activity_series')
export class ActivitySeries extends PlannedActivityFields {
  /** The RRULE (FREQ=…;INTERVAL=…;BYDAY=…;UNTIL=…|COUNT=…), without DTSTART: that is startDate and startTime. */
  @Column('text')
  rule: string;

  /** Local date (YYYY-MM-DD) and time (HH:MM) of the rule's start, in `timezone`. */
  @Column('varchar', { length: 10 })
  startDate: string;

  @Column('varchar', { length: 5 })
  startTime: string;

  @Column('varchar', { length: 64 })
  timezone: string;

  /** The local date of the rule's last occurrence (every rule ends: on a date or after N times). */
  @Column('varchar', { length: 10 })
  endsOn: string;

  /** Occurrences exist as activities up to this local date (included). */
  @Column('varchar', { length: 10 })
  materialisedUntil: string;

  /** The residents each new occurrence invites (the roster an edit of the series last copied). */
  @Column('simple-json', { default: '[]' })
  rosterResidentIds: string[];

  /** Exceptions: the rule's dates left out (EXDATE), and occurrences moved to another date or time. */
  @Column('simple-json', { default: '[]' })
  skippedDates: string[];

  @Column('simple-json', { default: '[]' })
  movedOccurrences: MovedOccurrence[];
}
