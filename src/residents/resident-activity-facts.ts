import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { SessionUser } from '../common/access/session-user';

/** How many weeks of participation a resident's page shows staff. */
export const PARTICIPATION_WEEKS = 12;
/** How many of a resident's latest logged activities their page lists for staff. */
export const RECENT_PARTICIPATION = 15;

/** One of a resident's own contributions as a co-producer (SPEC 2), as their page lists it for staff. */
export interface ResidentContribution {
  date: string;
  activityId: string | null;
  activityTitle: string | null;
  phase: string;
  minutes: number;
  description: string | null;
}

/** One logged activity of a resident, as their page lists it for staff. */
export interface ParticipationEntry {
  activityId: string;
  title: string;
  startsAt: Date;
  engagement: string;
  moodBefore: number | null;
  moodAfter: number | null;
  staffNote: string | null;
  familyNote: string | null;
}

/**
 * A resident's participation week by week (Monday to Sunday in the home's time zone), counted per
 * engagement level. Levels are named by the activities module (its ENGAGEMENTS, in order).
 */
export interface WeeklyParticipation {
  /** Engagement levels in the order the counts are drawn and tabled. */
  levels: readonly string[];
  /** Oldest first; the last is the week holding `today`, counted to today. */
  weeks: { weekStart: string; counts: Readonly<Record<string, number>>; total: number }[];
  /** Today in the home's time zone. */
  today: string;
}

/**
 * What residents' pages need to know from activities. Records sit below activities (activities
 * import residents, never the reverse), so the activities module supplies these facts when the app
 * starts (`ResidentActivityFacts.supply`), and the residents module reads no activity table itself.
 */
export interface ActivityFactsSource {
  /** Attended participations per resident in the 7 days before now. */
  attendanceCounts(residentIds: string[]): Promise<Map<string, number>>;
  /** Residents on a planned or held activity that this volunteer is confirmed to help with. */
  residentsAssignedTo(volunteerId: string): Promise<string[]>;
  /** The resident's participation in each of the last `weeks` weeks (this one to today). */
  weeklyParticipation(residentId: string, homeId: string, weeks: number): Promise<WeeklyParticipation>;
  /** The resident's latest logged activities, newest first (one logged ahead of its start too), cancelled ones left out. */
  recentParticipation(residentId: string, homeId: string, limit: number): Promise<ParticipationEntry[]>;
  /** The resident's own latest contributions as a co-producer, newest first, with their activities' titles. */
  recentContributions(residentId: string, homeId: string, limit: number): Promise<ResidentContribution[]>;
  /**
   * The one write a resident's record asks of activities, in its transaction: someone who has left the
   * home comes off the planned activities starting from `from` (their rosters, waiting lists and
   * series). Answers how many activities they left.
   */
  leavePlannedActivities(manager: EntityManager, user: SessionUser, residentId: string, homeId: string, from: Date): Promise<number>;
  /** The resident's latest activity attended (logged as taking part) that started at or after `from`, or null. */
  lastAttendedFrom(manager: EntityManager, residentId: string, from: Date): Promise<{ title: string; startsAt: Date } | null>;
}

@Injectable()
export class ResidentActivityFacts implements ActivityFactsSource {
  private source: ActivityFactsSource | null = null;

  supply(source: ActivityFactsSource): void {
    this.source = source;
  }

  attendanceCounts(residentIds: string[]): Promise<Map<string, number>> {
    return this.required().attendanceCounts(residentIds);
  }

  residentsAssignedTo(volunteerId: string): Promise<string[]> {
    return this.required().residentsAssignedTo(volunteerId);
  }

  weeklyParticipation(residentId: string, homeId: string, weeks: number): Promise<WeeklyParticipation> {
    return this.required().weeklyParticipation(residentId, homeId, weeks);
  }

  recentParticipation(residentId: string, homeId: string, limit: number): Promise<ParticipationEntry[]> {
    return this.required().recentParticipation(residentId, homeId, limit);
  }

  recentContributions(residentId: string, homeId: string, limit: number): Promise<ResidentContribution[]> {
    return this.required().recentContributions(residentId, homeId, limit);
  }

  leavePlannedActivities(manager: EntityManager, user: SessionUser, residentId: string, homeId: string, from: Date): Promise<number> {
    return this.required().leavePlannedActivities(manager, user, residentId, homeId, from);
  }

  lastAttendedFrom(manager: EntityManager, residentId: string, from: Date): Promise<{ title: string; startsAt: Date } | null> {
    return this.required().lastAttendedFrom(manager, residentId, from);
  }

  private required(): ActivityFactsSource {
    // The activities module is part of every app built from AppModule; a missing source is a wiring bug.
    if (!this.source) throw new Error('ResidentActivityFacts: the activities module has not supplied its facts');
    return this.source;
  }
}
