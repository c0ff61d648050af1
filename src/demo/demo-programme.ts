import { randomUUID } from 'node:crypto';
import { EntityManager, In } from 'typeorm';
import { Activity } from '../activities/entities/activity.entity';
import { ActivityType } from '../activities/entities/activity-type.entity';
import { ActivityCategory, Engagement } from '../activities/activities.enums';
import { HelpOffer } from '../activities/entities/help-offer.entity';
import { Participation } from '../activities/entities/participation.entity';
import { RosterEntry } from '../activities/entities/roster-entry.entity';
import { addDays, localToUtc, todayIn, utcToLocal } from '../common/time/zoned';
import { Contribution } from '../contributions/entities/contribution.entity';
import { FamilyLink } from '../residents/entities/family-link.entity';
import { Resident } from '../residents/entities/resident.entity';
import { StaffMember } from '../staff/entities/staff-member.entity';
import { Volunteer } from '../volunteers/entities/volunteer.entity';
import { readDemoFile } from './demo-data';
import { DemoLine, linesFor, lineText } from './demo-lines';

/** A small deterministic generator (mulberry32), so the demo reads the same every time it is made. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What data/demo/programme.json holds: the activity types, the weekly timetable and the words the log uses. */
interface DemoProgrammeText {
  activityTypes: { name: string; category: ActivityCategory; minutes: number; description: string }[];
  /** The weekly timetable: weekday (1 = Monday), local time, activity type (by name), unit (its index in casa-serena.json; null = whole home). */
  week: { weekday: number; time: string; type: string; unit: number | null }[];
  locations: { unit: string; home: string[] };
  cancelReason: string;
  /** Notes for the family, each for any activity or for some types (demo-lines.ts). */
  familyNotes: DemoLine[];
  staffNote: string;
  contributions: { residentLed: string; familyHelped: string; committee: string };
  offerMessage: string;
}

/** The home programme.json's words were written for. */
const PROGRAMME_HOME_NAME = 'Casa Serena';
const PAST_DAYS = 91;
const FUTURE_DAYS = 14;

export interface DemoPeople {
  homeId: string;
  /** The home's name, in place of Casa Serena's where programme.json names it ("Coro di Casa Serena"). */
  homeName: string;
  timezone: string;
  unitIds: string[];
  residentIds: string[];
  staffIds: string[];
  volunteerIds: string[];
}

/**
 * Three months of the demo home's programme, held and logged, and the next two weeks planned:
 * rosters, participation with a realistic engagement mix, staff, resident, family and volunteer
 * contributions, and help offers. Written in batches inside the seeder's transaction.
 */
export async function seedDemoProgramme(m: EntityManager, people: DemoPeople, seed = 20261128): Promise<void> {
  const text = JSON.parse(JSON.stringify(readDemoFile<DemoProgrammeText>('programme.json')).replaceAll(PROGRAMME_HOME_NAME, JSON.stringify(people.homeName).slice(1, -1))) as DemoProgrammeText;
  const random = seededRandom(seed);
  const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)];
  const { homeId, timezone } = people;
  const residents = await m.findBy(Resident, { id: In(people.residentIds) });
  const staff = await m.findBy(StaffMember, { id: In(people.staffIds) });
  const volunteers = (await m.findBy(Volunteer, { id: In(people.volunteerIds) })).filter((v) => v.status === 'active');
  const today = todayIn(timezone);
  const validVolunteers = volunteers.filter((v) => !v.backgroundCheckExpiresOn || v.backgroundCheckExpiresOn >= today);
  const links = await m.findBy(FamilyLink, { homeId, active: true, access: 'contribute' });
  const relativesOf = new Map<string, string[]>();
  for (const link of links) relativesOf.set(link.residentId, [...(relativesOf.get(link.residentId) ?? []), link.familyMemberId]);
  const coordinator = staff.find((s) => s.jobRole === 'activity_coordinator') ?? staff[0];

  const types = text.activityTypes.map((t) => m.create(ActivityType, {
    id: randomUUID(), homeId, name: t.name, category: t.category, description: t.description, defaultDurationMinutes: t.minutes,
    defaultLocation: null, defaultCapacity: null, usualPhases: ['co_delivery'], active: true,
  }));
  await m.insert(ActivityType, types);

  const activities: Activity[] = [];
  const roster: Partial<RosterEntry>[] = [];
  const participation: Partial<Participation>[] = [];
  const offers: Partial<HelpOffer>[] = [];
  const contributions: Partial<Contribution>[] = [];
  const now = new Date();

  for (let day = -PAST_DAYS; day <= FUTURE_DAYS; day += 1) {
    const date = addDays(today, day);
    const weekday = utcToLocal(localToUtc(date, '12:00', timezone), timezone).weekday;
    for (const slot of text.week) {
      if (slot.weekday !== weekday) continue;
      const type = required(types.find((t) => t.name === slot.type), slot.type);
      const startsAt = localToUtc(date, slot.time, timezone);
      const unitId = slot.unit === null ? null : (people.unitIds[slot.unit] ?? null);
      const past = startsAt.getTime() + type.defaultDurationMinutes * 60_000 < now.getTime();
      // About one past activity in twenty was called off (rain, illness, a lead on leave).
      const cancelled = past && random() < 0.05;
      const lead = unitId ? (staff.find((s) => s.unitId === unitId && s.jobRole === 'care_assistant') ?? coordinator) : coordinator;
      const activity = m.create(Activity, {
        id: randomUUID(), homeId, activityTypeId: type.id, title: type.name, startsAt, durationMinutes: type.defaultDurationMinutes,
        location: unitId ? text.locations.unit : pick(text.locations.home), unitId, capacity: null, phases: type.usualPhases,
        leadStaffId: lead?.id ?? null, status: cancelled ? 'cancelled' : past ? 'completed' : 'planned', description: type.description,
        seriesId: null, visibleToFamilies: true, completedAt: past && !cancelled ? new Date(startsAt.getTime() + type.defaultDurationMinutes * 60_000) : null,
        cancelReason: cancelled ? text.cancelReason : null,
      });
      activities.push(activity);

      const eligible = residents.filter((r) => r.admittedOn <= date && (unitId === null || r.unitId === unitId) && r.status !== 'discharged');
      const invited = eligible.filter(() => random() < (unitId === null ? 0.55 : 0.8)).slice(0, 14);
      for (const resident of invited) roster.push({ id: randomUUID(), homeId, activityId: activity.id, residentId: resident.id });
      if (!past || cancelled) continue;

      for (const resident of invited) {
        const onLeave = resident.status === 'on_leave' && day > -14;
        const engagement: Engagement = onLeave ? 'absent' : weightedEngagement(random());
        const attended = engagement === 'active' || engagement === 'passive' || engagement === 'disengaged';
        participation.push({
          id: randomUUID(), homeId, activityId: activity.id, residentId: resident.id, engagement,
          moodBefore: attended && random() < 0.5 ? 2 + Math.floor(random() * 3) : null,
          moodAfter: attended && random() < 0.5 ? 3 + Math.floor(random() * 3) : null,
          familyNote: engagement === 'active' && random() < 0.08 ? lineText(pick(linesFor(text.familyNotes, type.name))) : null,
          staffNote: engagement === 'disengaged' && random() < 0.3 ? text.staffNote : null,
          recordedBy: null, recordedAt: new Date(startsAt.getTime() + type.defaultDurationMinutes * 60_000),
        });
        // Residents who help run the session co-deliver it; some helped design it.
        if (engagement === 'active' && random() < 0.06) {
          contributions.push(contribution(homeId, activity.id, date, 'resident', resident.id, 'co_delivery', type.defaultDurationMinutes, text.contributions.residentLed));
        }
        const relatives = relativesOf.get(resident.id) ?? [];
        if (relatives.length > 0 && random() < 0.04) {
          contributions.push(contribution(homeId, activity.id, date, 'family', relatives[0], 'co_delivery', type.defaultDurationMinutes, text.contributions.familyHelped));
        }
      }
      if (lead) contributions.push(contribution(homeId, activity.id, date, 'staff', lead.id, 'co_delivery', type.defaultDurationMinutes, null));
      if (validVolunteers.length > 0 && random() < 0.35) {
        const volunteer = pick(validVolunteers);
        const offerId = randomUUID();
        offers.push({
          id: offerId, homeId, activityId: activity.id, offererType: 'volunteer', volunteerId: volunteer.id, familyMemberId: null, kind: 'deliver',
          status: 'confirmed', message: null, respondedBy: null, respondedAt: new Date(startsAt.getTime() - 3 * 24 * 60 * 60 * 1000), createdBy: null,
        });
        contributions.push({ ...contribution(homeId, activity.id, date, 'volunteer', volunteer.id, 'co_delivery', type.defaultDurationMinutes, null), source: 'help_offer', sourceId: offerId });
      }
    }
  }
  // Upcoming: a few offers waiting for an answer.
  for (const activity of activities.filter((a) => a.status === 'planned').slice(0, 6)) {
    if (validVolunteers.length === 0) break;
    offers.push({
      id: randomUUID(), homeId, activityId: activity.id, offererType: 'volunteer', volunteerId: pick(validVolunteers).id, familyMemberId: null,
      kind: 'deliver', status: 'offered', message: text.offerMessage, respondedBy: null, respondedAt: null, createdBy: null,
    });
  }
  // The residents' committee plans the programme each month: programme-wide co-commissioning.
  for (let month = 0; month < 3; month += 1) {
    const date = addDays(today, -PAST_DAYS + 7 + month * 30);
    for (const resident of residents.slice(0, 4)) contributions.push(contribution(homeId, null, date, 'resident', resident.id, 'co_commissioning', 60, text.contributions.committee));
    if (coordinator) contributions.push(contribution(homeId, null, date, 'staff', coordinator.id, 'co_commissioning', 60, text.contributions.committee));
  }

  await insertInBatches(m, Activity, activities);
  await insertInBatches(m, RosterEntry, roster);
  await insertInBatches(m, Participation, participation);
  await insertInBatches(m, HelpOffer, offers);
  await insertInBatches(m, Contribution, contributions);
}

/** A realistic mix: most take part, some watch, a few are present but not engaged, decline or are away. */
function weightedEngagement(r: number): Engagement {
  if (r < 0.55) return 'active';
  if (r < 0.78) return 'passive';
  if (r < 0.86) return 'disengaged';
  if (r < 0.94) return 'declined';
  return 'absent';
}

function contribution(
  homeId: string, activityId: string | null, date: string, actorType: Contribution['actorType'], personId: string,
  phase: Contribution['phase'], minutes: number, description: string | null,
): Partial<Contribution> {
  return {
    id: randomUUID(), homeId, activityId, date, actorType, phase, minutes, description, source: 'manual', sourceId: null, recordedBy: null,
    residentId: actorType === 'resident' ? personId : null, familyMemberId: actorType === 'family' ? personId : null,
    volunteerId: actorType === 'volunteer' ? personId : null, staffMemberId: actorType === 'staff' ? personId : null,
  };
}

/** SQLite allows at most 32766 bound parameters a statement; 200 rows a batch stays well under it. */
export async function insertInBatches<T extends object>(m: EntityManager, entity: new () => T, rows: Partial<T>[], size = 200): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await m.insert(entity, rows.slice(i, i + size) as never);
}

function required<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new Error(`Demo data refers to unknown activity type "${name}"`);
  return value;
}
