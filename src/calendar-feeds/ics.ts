import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';

/** One activity as a calendar app gets it. */
export interface FeedEvent {
  /** The activity's id: its UID stays the same as long as the activity exists. */
  id: string;
  title: string;
  start: Date;
  end: Date;
  location: string | null;
  description: string | null;
  url: string;
  cancelled: boolean;
}

/** How long a calendar app is asked to wait between two reads (REFRESH-INTERVAL, X-PUBLISHED-TTL). */
export const FEED_TTL_SECONDS = 60 * 60;

/**
 * An iCalendar (RFC 5545) document of the activities, written by ical-generator. Times are UTC
 * instants (`…Z`), which every calendar app shows in its own zone; the home's zone is named
 * (X-WR-TIMEZONE) for apps that show the calendar's own. A cancelled activity stays in the feed with
 * STATUS:CANCELLED, so a subscriber's copy says so instead of silently losing it.
 */
export function icsOf(calendar: { name: string; zone: string; host: string }, events: readonly FeedEvent[], now = new Date()): string {
  const cal = ical({
    name: calendar.name,
    prodId: { company: 'Insieme', product: 'Activities', language: 'EN' },
    method: ICalCalendarMethod.PUBLISH,
    ttl: FEED_TTL_SECONDS,
    x: { 'X-WR-TIMEZONE': calendar.zone },
  });
  for (const event of events) {
    cal.createEvent({
      id: `${event.id}@${calendar.host}`,
      start: event.start,
      end: event.end,
      stamp: now,
      summary: event.title,
      location: event.location,
      description: event.description,
      url: event.url,
      status: event.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    });
  }
  return cal.toString();
}
