/** The weekly activity badge (SPEC 4): attended activities in the last 7 days. */
export type WeeklyBadge = 'inactive' | 'low' | 'moderate' | 'high';

export function weeklyBadge(attendedLast7Days: number): WeeklyBadge {
  if (attendedLast7Days <= 0) return 'inactive';
  if (attendedLast7Days <= 4) return 'low';
  if (attendedLast7Days <= 9) return 'moderate';
  return 'high';
}

/** Below the resident's weekly activity target (the dashboard's list, the activity page's suggestions and invitations). */
export function isBelowWeeklyTarget(attendedLast7Days: number, weeklyTarget: number): boolean {
  return attendedLast7Days < weeklyTarget;
}
