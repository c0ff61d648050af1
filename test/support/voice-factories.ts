import { Activity } from '../../src/activities/entities/activity.entity';
import { HelpOffer } from '../../src/activities/entities/help-offer.entity';
import { Participation } from '../../src/activities/entities/participation.entity';
import { Engagement } from '../../src/activities/activities.enums';
import { AuthService } from '../../src/auth/auth.service';
import type { SessionUser } from '../../src/common/access/session-user';
import { Suggestion } from '../../src/voice/entities/suggestion.entity';
import type { TestUser } from './factories';
import type { TestApp } from './test-app';

/** The signed-in user as services see it, for calling them directly (as the portal's controllers do). */
export async function sessionUserOf(t: TestApp, user: Pick<TestUser, 'id'>): Promise<SessionUser> {
  const sessionUser = await t.get(AuthService).findSessionUser(user.id);
  if (!sessionUser) throw new Error(`No session user for ${user.id}`);
  return sessionUser;
}

/** How a resident took part in an activity, written straight to the table. */
export async function createParticipation(t: TestApp, activity: Pick<Activity, 'id' | 'homeId'>, residentId: string, engagement: Engagement = 'active'): Promise<Participation> {
  const repo = t.dataSource.getRepository(Participation);
  const row = repo.create({
    homeId: activity.homeId, activityId: activity.id, residentId, engagement, moodBefore: null, moodAfter: null, staffNote: null, familyNote: null,
    recordedBy: null, recordedAt: new Date(),
  });
  await repo.insert(row);
  return row;
}

/** A help offer, confirmed by default, written straight to the table. */
export async function createHelpOffer(
  t: TestApp, activity: Pick<Activity, 'id' | 'homeId'>, person: { volunteerId?: string; familyMemberId?: string }, status: HelpOffer['status'] = 'confirmed',
): Promise<HelpOffer> {
  return t.dataSource.getRepository(HelpOffer).save({
    homeId: activity.homeId, activityId: activity.id, offererType: person.volunteerId ? 'volunteer' : 'family', volunteerId: person.volunteerId ?? null,
    familyMemberId: person.familyMemberId ?? null, kind: 'deliver', status, message: null, respondedBy: null, respondedAt: null, createdBy: null,
  });
}

/** A suggestion from a relative, new by default, written straight to the table. */
export async function createSuggestion(
  t: TestApp, homeId: string, overrides: Partial<Suggestion> & { authorFamilyMemberId?: string | null } = {},
): Promise<Suggestion> {
  return t.dataSource.getRepository(Suggestion).save({
    homeId, residentId: null, authorType: 'family', authorResidentId: null, authorFamilyMemberId: null, authorVolunteerId: null, authorStaffMemberId: null,
    recordedBy: null, kind: 'activity_idea', title: 'Un pomeriggio di ballo liscio', body: 'Mia madre ballava ogni domenica: potremmo fare una festa danzante.',
    status: 'new', response: null, respondedBy: null, respondedAt: null, linkedActivityTypeId: null, linkedActivityId: null, lifeStoryAppliedAt: null,
    ...overrides,
  });
}
