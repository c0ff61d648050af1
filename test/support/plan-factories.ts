import { ActivityCategory } from '../../src/activities/activities.enums';
import { Participation } from '../../src/activities/entities/participation.entity';
import { AuthService } from '../../src/auth/auth.service';
import type { SessionUser } from '../../src/common/access/session-user';
import { ActivityPlan } from '../../src/plans/entities/activity-plan.entity';
import { PlanGoal } from '../../src/plans/entities/plan-goal.entity';
import type { Resident } from '../../src/residents/entities/resident.entity';
import { createActivity, createActivityType } from './activity-factories';
import type { TestApp } from './test-app';

export interface PlanWithGoals {
  plan: ActivityPlan;
  goals: PlanGoal[];
}

/** A plan of a resident with goals, written straight to the tables: agreed, six months to review, by default. */
export async function createPlan(
  t: TestApp,
  resident: Pick<Resident, 'id' | 'homeId'>,
  overrides: Partial<ActivityPlan> & { goals?: Partial<PlanGoal>[] } = {},
): Promise<PlanWithGoals> {
  const { goals: goalOverrides, ...fields } = overrides;
  const plans = t.dataSource.getRepository(ActivityPlan);
  const previous = await plans.count({ where: { residentId: resident.id } });
  const plan = plans.create({
    homeId: resident.homeId, residentId: resident.id, version: previous + 1, status: 'agreed',
    whatMattersToMe: 'Singing the songs of the rice fields, and being useful.', agreedOn: '2026-01-15', nextReviewOn: '2099-07-15', createdBy: null,
    ...fields,
  });
  await plans.insert(plan);
  const repo = t.dataSource.getRepository(PlanGoal);
  const goals = (goalOverrides ?? [{ description: 'Sing with the choir', categories: ['creative'] }, { description: 'Walk in the garden', categories: ['physical'] }])
    .map((goal, position) => repo.create({
      homeId: resident.homeId, planId: plan.id, description: `Goal ${position + 1}`, categories: [], activityTypeIds: [], targetPerWeek: 2, status: 'active', position,
      ...goal,
    }));
  if (goals.length > 0) await repo.insert(goals);
  // Read back: a several-row insert on SQLite may hand the generated ids back to the wrong objects.
  return { plan, goals: await repo.find({ where: { planId: plan.id }, order: { position: 'ASC' } }) };
}

/** An activity of a category that a resident attended (or not), `hoursAgo` hours ago. */
export async function createAttendance(
  t: TestApp,
  resident: Pick<Resident, 'id' | 'homeId'>,
  category: ActivityCategory,
  options: { hoursAgo?: number; engagement?: Participation['engagement']; activityTypeId?: string } = {},
): Promise<{ activityTypeId: string }> {
  const activityTypeId = options.activityTypeId ?? (await createActivityType(t, resident.homeId, { category })).id;
  const activity = await createActivity(t, resident.homeId, {
    activityTypeId, startsAt: new Date(Date.now() - (options.hoursAgo ?? 2) * 60 * 60 * 1000), status: 'completed', residentIds: [resident.id],
  });
  await t.dataSource.getRepository(Participation).insert({
    homeId: resident.homeId, activityId: activity.id, residentId: resident.id, engagement: options.engagement ?? 'active',
    moodBefore: null, moodAfter: null, staffNote: null, familyNote: null, recordedBy: null, recordedAt: new Date(),
  });
  return { activityTypeId };
}

/** The signed-in user as services see them, for calling a service the way a request would. */
export async function sessionUserOf(t: TestApp, userId: string): Promise<SessionUser> {
  const user = await t.get(AuthService).findSessionUser(userId);
  if (!user) throw new Error(`No session user ${userId}`);
  return user;
}
