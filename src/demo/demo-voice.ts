import { randomUUID } from 'node:crypto';
import { EntityManager, In } from 'typeorm';
import { Activity } from '../activities/entities/activity.entity';
import { ActivityType } from '../activities/entities/activity-type.entity';
import { HelpOffer } from '../activities/entities/help-offer.entity';
import { Participation } from '../activities/entities/participation.entity';
import { ATTENDED } from '../activities/activities.enums';
import { Membership } from '../auth/entities/membership.entity';
import { User } from '../auth/entities/user.entity';
import { inboxLink } from '../voice/suggestions.service';
import { addDays, localToUtc, todayIn, utcToLocal } from '../common/time/zoned';
import { Contribution } from '../contributions/entities/contribution.entity';
import { FamilyMember } from '../families/entities/family-member.entity';
import { Notification } from '../notifications/entities/notification.entity';
import { FamilyLink } from '../residents/entities/family-link.entity';
import { Resident } from '../residents/entities/resident.entity';
import { StaffMember } from '../staff/entities/staff-member.entity';
import { AuthorType, SuggestionKind, SuggestionStatus, Perspective } from '../voice/voice.enums';
import { Feedback } from '../voice/entities/feedback.entity';
import { Suggestion } from '../voice/entities/suggestion.entity';
import { SuggestionHistory } from '../voice/entities/suggestion-history.entity';
import { suggestionHistoryRow, SuggestionHistoryValues } from '../voice/suggestion-history';
import { WellbeingCheckIn } from '../voice/entities/wellbeing-check-in.entity';
import { Volunteer } from '../volunteers/entities/volunteer.entity';
import { currentQuarter, previousQuarter, quarterRange } from '../common/time/quarter';
import { readDemoFile } from './demo-data';
import { insertInBatches } from './demo-programme';
import { DemoLine, lineRatings, linesFor, lineText } from './demo-lines';

export interface DemoVoicePeople {
  homeId: string;
  timezone: string;
  residentIds: string[];
  familyMemberIds: string[];
  volunteerIds: string[];
  staffIds: string[];
}

interface Said {
  kind: SuggestionKind;
  /** About the author's resident (a relative's, or the resident themself), or the whole home. */
  about: 'resident' | 'home';
  title: string;
  body: string;
  status: SuggestionStatus;
  daysAgo: number;
  /** Days from sending to the answer. */
  answeredAfter?: number;
  response?: string;
  /** The activity type an accepted idea became (by name); `activity` also links its next or last occurrence. */
  type?: string;
  activity?: boolean;
}

/**
 * What data/demo/voice.json holds: suggestions by who sends them (a family's first goes to the
 * relative with an account, so the demo family sees an answered idea and its notification),
 * comments for feedback and check-ins, and one thank-you to the whole home.
 */
interface DemoVoiceText {
  suggestions: Record<'family' | 'resident' | 'volunteer', Said[]>;
  /** Comments, each for any activity or some types, with the ratings it goes with (demo-lines.ts). */
  feedbackComments: Record<'family' | 'resident' | 'volunteer', (DemoLine | null)[]>;
  thanks: string;
  checkInComments: Record<Perspective, (string | null)[]>;
}

/**
 * The voice of the demo home: suggestions from families, residents (recorded by staff) and a
 * volunteer in every state of an answer, feedback on activities held, and wellbeing check-ins for
 * last quarter and this one from the three perspectives for about half the residents. Written with
 * the seeder's EntityManager after the programme, with the contributions each makes. Notifications
 * are added for the accounts that exist by then.
 */
export async function seedDemoVoice(m: EntityManager, people: DemoVoicePeople, random: () => number): Promise<void> {
  const text = readDemoFile<DemoVoiceText>('voice.json');
  const { homeId, timezone } = people;
  const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)];
  const now = Date.now();
  const today = todayIn(timezone);
  const daysAgo = (days: number, hour = 10) => new Date(Math.min(now - 60_000, localToUtc(addDays(today, -days), `${String(hour).padStart(2, '0')}:00`, timezone).getTime()));
  const localDate = (instant: Date) => utcToLocal(instant, timezone).date;

  const residents = await m.findBy(Resident, { id: In(people.residentIds), homeId });
  const current = residents.filter((r) => r.status === 'active' || r.status === 'on_leave');
  const residentById = new Map(residents.map((r) => [r.id, r]));
  const staff = await m.findBy(StaffMember, { id: In(people.staffIds), homeId });
  const coordinator = staff.find((s) => s.jobRole === 'activity_coordinator') ?? staff[0];
  const users = await m.find(User, { where: { personId: In([...people.familyMemberIds, ...people.volunteerIds, ...people.staffIds]) } });
  const userOf = (personId: string | null | undefined) => users.find((u) => u.personId === personId) ?? null;
  const answerer = userOf(coordinator?.id)?.id ?? null;
  const types = await m.findBy(ActivityType, { homeId });

  // Relatives who may contribute, those with an account first (so the demo family sees their own).
  const links = (people.familyMemberIds.length === 0 ? [] : await m.findBy(FamilyLink, { homeId, active: true, access: 'contribute', familyMemberId: In(people.familyMemberIds) }))
    .filter((l) => { const r = residentById.get(l.residentId); return r !== undefined && r.consentFamilyPortal !== 'none' && current.includes(r); })
    .sort((a, b) => Number(userOf(b.familyMemberId) !== null) - Number(userOf(a.familyMemberId) !== null));

  // Activities held in the last six weeks, and who attended each.
  const held = (await m.find(Activity, { where: { homeId, status: 'completed' }, order: { startsAt: 'DESC' } })).filter((a) => a.startsAt.getTime() > now - 42 * 24 * 60 * 60 * 1000);
  const attendance = held.length === 0 ? [] : await m.findBy(Participation, { activityId: In(held.map((a) => a.id)), engagement: In([...ATTENDED]) });
  const attendedBy = (residentId: string) => {
    const ids = new Set(attendance.filter((p) => p.residentId === residentId).map((p) => p.activityId));
    return held.filter((a) => ids.has(a.id));
  };

  const suggestions: Partial<Suggestion>[] = [];
  const feedback: Partial<Feedback>[] = [];
  const checkIns: Partial<WellbeingCheckIn>[] = [];
  const contributions: Partial<Contribution>[] = [];
  const notifications: Partial<Notification>[] = [];

  const author = (type: AuthorType, personId: string, recordedBy: string | null) => ({
    authorType: type, authorResidentId: type === 'resident' ? personId : null, authorFamilyMemberId: type === 'family' ? personId : null,
    authorVolunteerId: type === 'volunteer' ? personId : null, authorStaffMemberId: type === 'staff' ? personId : null, recordedBy,
  });
  const contribution = (type: AuthorType, personId: string, fields: Partial<Contribution>): Partial<Contribution> => ({
    id: randomUUID(), homeId, minutes: 0, description: null, recordedBy: answerer, actorType: type,
    residentId: type === 'resident' ? personId : null, familyMemberId: type === 'family' ? personId : null,
    volunteerId: type === 'volunteer' ? personId : null, staffMemberId: type === 'staff' ? personId : null, ...fields,
  });

  // Suggestions ------------------------------------------------------------------------------
  const say = (said: Said, type: AuthorType, personId: string, residentId: string | null, recordedBy: string | null) => {
    const createdAt = daysAgo(said.daysAgo, 9 + Math.floor(random() * 9));
    const respondedAt = said.status === 'new' ? null : daysAgo(Math.max(0, said.daysAgo - (said.answeredAfter ?? 1)), 16);
    const linkedType = said.type ? (types.find((t) => t.name === said.type) ?? null) : null;
    const linkedActivity = linkedType && said.activity
      // The first time it was held after the idea was accepted.
      ? ([...held].reverse().find((a) => a.activityTypeId === linkedType.id && respondedAt !== null && a.startsAt > respondedAt) ?? null)
      : null;
    const suggestion: Partial<Suggestion> = {
      id: randomUUID(), homeId, ...author(type, personId, recordedBy), residentId: said.about === 'resident' ? residentId : null,
      kind: said.kind, title: said.title, body: said.body, status: said.status, response: said.response ?? null,
      respondedBy: respondedAt ? answerer : null, respondedAt, linkedActivityTypeId: linkedType?.id ?? null, linkedActivityId: linkedActivity?.id ?? null,
      lifeStoryAppliedAt: null, createdAt, updatedAt: respondedAt ?? createdAt,
    };
    suggestions.push(suggestion);
    if (said.kind === 'activity_idea' && (said.status === 'accepted' || said.status === 'done') && respondedAt) {
      contributions.push(contribution(type, personId, {
        activityId: linkedActivity?.id ?? null, date: localDate(respondedAt), phase: 'co_commissioning', source: 'suggestion', sourceId: suggestion.id, description: said.title,
      }));
    }
    const authorUser = type === 'resident' ? null : userOf(personId);
    if (authorUser && respondedAt) {
      notifications.push({
        id: randomUUID(), userId: authorUser.id, homeId, kind: 'suggestion', messageKey: `notifications.messages.suggestion.${said.status}`,
        params: { title: said.title, response: said.response ?? '' }, readAt: null, createdAt: respondedAt,
        link: type === 'family' ? (suggestion.residentId ? `/portal/residents/${suggestion.residentId}` : '/portal') : type === 'volunteer' ? '/volunteer' : null,
      });
    }
    return suggestion;
  };

  text.suggestions.family.forEach((said, index) => {
    const link = links[index % Math.max(1, links.length)];
    if (link) say(said, 'family', link.familyMemberId, link.residentId, userOf(link.familyMemberId)?.id ?? null);
  });
  text.suggestions.resident.forEach((said, index) => {
    const resident = current[(index * 5 + 2) % Math.max(1, current.length)];
    if (resident) say(said, 'resident', resident.id, resident.id, answerer);
  });
  text.suggestions.volunteer.forEach((said) => {
    const volunteerId = people.volunteerIds[0];
    if (volunteerId) say(said, 'volunteer', volunteerId, null, userOf(volunteerId)?.id ?? null);
  });

  // Feedback ---------------------------------------------------------------------------------
  const feedbackOn = (activity: Activity, type: 'family' | 'resident' | 'volunteer', personId: string, recordedBy: string | null) => {
    const createdAt = new Date(Math.min(now - 60_000, activity.startsAt.getTime() + (20 + Math.floor(random() * 30)) * 60 * 60 * 1000));
    // A comment that fits the activity (its title is its type's name in the demo), with a rating that fits the comment.
    const line = pick(linesFor(text.feedbackComments[type], activity.title));
    const ratings = lineRatings(line);
    const row: Partial<Feedback> = {
      id: randomUUID(), homeId, ...author(type, personId, recordedBy), activityId: activity.id, rating: ratings ? pick(ratings) : rating(random()), comment: lineText(line), createdAt, updatedAt: createdAt,
    };
    feedback.push(row);
    contributions.push(contribution(type, personId, {
      activityId: activity.id, date: localDate(activity.startsAt), phase: 'co_assessment', source: 'feedback', sourceId: row.id, recordedBy,
    }));
  };
  for (const link of links.slice(0, 10)) {
    const attended = attendedBy(link.residentId).slice(0, 12);
    const chosen = new Set<Activity>();
    for (let i = 0; i < 1 + Math.floor(random() * 2) && attended.length > 0; i += 1) chosen.add(pick(attended));
    for (const activity of chosen) feedbackOn(activity, 'family', link.familyMemberId, userOf(link.familyMemberId)?.id ?? null);
  }
  for (const resident of current.filter((_, i) => i % 5 === 1).slice(0, 4)) {
    const attended = attendedBy(resident.id);
    if (attended.length > 0) feedbackOn(pick(attended.slice(0, 8)), 'resident', resident.id, answerer);
  }
  const helped = people.volunteerIds.length === 0 || held.length === 0 ? [] : await m.findBy(HelpOffer, {
    activityId: In(held.map((a) => a.id)), volunteerId: In(people.volunteerIds), status: 'confirmed',
  });
  for (const offer of helped.slice(0, 3)) {
    const activity = held.find((a) => a.id === offer.activityId)!;
    feedbackOn(activity, 'volunteer', offer.volunteerId!, userOf(offer.volunteerId)?.id ?? null);
  }
  const grateful = links[links.length - 1];
  if (grateful) {
    const createdAt = daysAgo(12, 20);
    const row: Partial<Feedback> = {
      id: randomUUID(), homeId, ...author('family', grateful.familyMemberId, userOf(grateful.familyMemberId)?.id ?? null), activityId: null, rating: 5,
      comment: text.thanks, createdAt, updatedAt: createdAt,
    };
    feedback.push(row);
    contributions.push(contribution('family', grateful.familyMemberId, { activityId: null, date: localDate(createdAt), phase: 'co_assessment', source: 'feedback', sourceId: row.id }));
  }

  // Wellbeing check-ins ----------------------------------------------------------------------
  const thisQuarter = currentQuarter(timezone);
  const lastQuarter = previousQuarter(thisQuarter);
  const quarterDates: [string, string][] = [
    [lastQuarter, addDays(quarterRange(lastQuarter).last, -(5 + Math.floor(random() * 20)))],
    // This quarter: a day in the last ten, but not before the quarter began.
    [thisQuarter, maxDate(addDays(today, -Math.floor(random() * 10)), quarterRange(thisQuarter).first)],
  ];
  const relativeOf = new Map<string, string>();
  for (const link of links) if (!relativeOf.has(link.residentId)) relativeOf.set(link.residentId, link.familyMemberId);
  for (const resident of current.filter(() => random() < 0.5)) {
    const base = 2 + Math.floor(random() * 2);
    for (const [index, [quarter, date]] of quarterDates.entries()) {
      const at = localToUtc(date, `${10 + index}:30`, timezone);
      const perspectives: [Perspective, AuthorType, string | null][] = [
        ['resident', 'resident', resident.id],
        ['family', 'family', relativeOf.get(resident.id) ?? null],
        ['staff', 'staff', coordinator?.id ?? null],
      ];
      for (const [perspective, actorType, personId] of perspectives) {
        if (!personId) continue;
        const score = () => Math.max(1, Math.min(4, base + index * (random() < 0.4 ? 1 : 0) + (random() < 0.2 ? -1 : 0)));
        const recordedBy = perspective === 'family' ? (userOf(personId)?.id ?? null) : answerer;
        const row: Partial<WellbeingCheckIn> = {
          id: randomUUID(), homeId, residentId: resident.id, quarter, perspective,
          familyMemberId: perspective === 'family' ? personId : null, staffMemberId: perspective === 'staff' ? personId : null,
          doingThings: score(), people: score(), choice: score(), comment: pick(text.checkInComments[perspective]), recordedBy,
          createdAt: at, updatedAt: at,
        };
        checkIns.push(row);
        contributions.push(contribution(actorType, personId, { activityId: null, date, phase: 'co_assessment', source: 'check_in', sourceId: row.id, recordedBy }));
      }
    }
  }

  // Coordinators and managers hear of what is waiting for them.
  const inboxUsers = await m.createQueryBuilder(User, 'u').innerJoin(Membership, 'ms', 'ms.userId = u.id AND ms.homeId = :homeId', { homeId })
    .where('u.role IN (:...roles)', { roles: ['manager', 'coordinator'] }).getMany();
  for (const user of inboxUsers) {
    for (const s of suggestions.filter((x) => x.status === 'new')) {
      notifications.push({
        id: randomUUID(), userId: user.id, homeId, kind: 'suggestion', messageKey: `notifications.messages.newSuggestion.${s.kind}`,
        params: { name: await authorName(m, s), title: s.title! }, link: inboxLink(s.id!), readAt: null, createdAt: s.createdAt,
      });
    }
  }

  await insertInBatches(m, Suggestion, suggestions);
  // Each suggestion's history starts with it as seeded, from when it was received (issue 18 item 2b).
  await insertInBatches(m, SuggestionHistory, suggestions.map((s) => suggestionHistoryRow(s as SuggestionHistoryValues, s.createdAt ?? new Date())));
  await insertInBatches(m, Feedback, feedback);
  await insertInBatches(m, WellbeingCheckIn, checkIns);
  await insertInBatches(m, Contribution, contributions);
  await insertInBatches(m, Notification, notifications);
}

function maxDate(a: string, b: string): string {
  return a > b ? a : b;
}

/** Mostly good, sometimes so-so: how families rate what the home offers. */
function rating(r: number): number {
  if (r < 0.45) return 5;
  if (r < 0.82) return 4;
  if (r < 0.95) return 3;
  return 2;
}

async function authorName(m: EntityManager, s: Partial<Suggestion>): Promise<string> {
  const person = s.authorFamilyMemberId ? await m.findOneBy(FamilyMember, { id: s.authorFamilyMemberId })
    : s.authorVolunteerId ? await m.findOneBy(Volunteer, { id: s.authorVolunteerId })
      : s.authorResidentId ? await m.findOneBy(Resident, { id: s.authorResidentId }) : null;
  return person ? `${person.firstName} ${person.lastName}` : '—';
}
