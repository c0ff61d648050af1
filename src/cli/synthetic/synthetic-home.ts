import { Activity } from '../../activities/entities/activity.entity';
import { ActivityType } from '../../activities/entities/activity-type.entity';
import { HelpOffer } from '../../activities/entities/help-offer.entity';
import { Participation } from '../../activities/entities/participation.entity';
import { Engagement } from '../../activities/activities.enums';
import { RosterEntry } from '../../activities/entities/roster-entry.entity';
import { Membership } from '../../auth/entities/membership.entity';
import { User } from '../../auth/entities/user.entity';
import { Role } from '../../auth/auth.enums';
import { localToUtc, utcToLocal } from '../../common/time/zoned';
import { Contribution } from '../../contributions/entities/contribution.entity';
import { ActorType, Phase } from '../../contributions/contributions.enums';
import { seededRandom } from '../../demo/demo-programme';
import { FamilyMember } from '../../families/entities/family-member.entity';
import { Home } from '../../homes/entities/home.entity';
import { Unit } from '../../homes/entities/unit.entity';
import { ActivityPlan } from '../../plans/entities/activity-plan.entity';
import { GoalAttainment } from '../../plans/entities/goal-attainment.entity';
import { PlanGoal } from '../../plans/entities/plan-goal.entity';
import { PlanReview } from '../../plans/entities/plan-review.entity';
import { FamilyLink } from '../../residents/entities/family-link.entity';
import { Resident } from '../../residents/entities/resident.entity';
import { ResidentStatus } from '../../residents/residents.enums';
import { StaffMember } from '../../staff/entities/staff-member.entity';
import { JobRole } from '../../staff/staff.enums';
import { AuthorType, SuggestionKind, SuggestionStatus, Perspective } from '../../voice/voice.enums';
import { Feedback } from '../../voice/entities/feedback.entity';
import { Suggestion } from '../../voice/entities/suggestion.entity';
import { WellbeingCheckIn } from '../../voice/entities/wellbeing-check-in.entity';
import { Volunteer } from '../../volunteers/entities/volunteer.entity';
import { VolunteerStatus } from '../../volunteers/volunteers.enums';
import { quarterOf, quarterRange } from '../../common/time/quarter';
import {
  ACTIVITY_TYPES, FAMILY_NOTES, FEEDBACK_COMMENTS, FIRST_NAMES_F, FIRST_NAMES_M, GOALS, HOME_NAMES, INTERESTS, LAST_NAMES, SKILLS,
  SUGGESTION_TITLES, TOWNS, YOUNGER_NAMES,
} from './synthetic-names';

export const SYNTHETIC_TIMEZONE = 'Europe/Rome';
/** The accounts of each synthetic home, all with the one synthetic password. */
export const SYNTHETIC_ROLES = ['manager', 'coordinator', 'carer', 'volunteer', 'family'] as const satisfies readonly Role[];

export interface HomeSpec {
  /** 1-based number of the home; names it (synthetic-1, …) and seeds its generator. */
  number: number;
  residents: number;
  days: number;
  futureDays: number;
  seed: number;
  now: Date;
  passwordHash: string;
}

/** Every row of one synthetic home, in the order the tables must be written. */
export interface SyntheticHome {
  home: Partial<Home>;
  units: Partial<Unit>[];
  staff: Partial<StaffMember>[];
  volunteers: Partial<Volunteer>[];
  residents: Partial<Resident>[];
  families: Partial<FamilyMember>[];
  links: Partial<FamilyLink>[];
  users: Partial<User>[];
  memberships: Partial<Membership>[];
  types: Partial<ActivityType>[];
  activities: Partial<Activity>[];
  roster: Partial<RosterEntry>[];
  participation: Partial<Participation>[];
  offers: Partial<HelpOffer>[];
  plans: Partial<ActivityPlan>[];
  goals: Partial<PlanGoal>[];
  reviews: Partial<PlanReview>[];
  attainments: Partial<GoalAttainment>[];
  suggestions: Partial<Suggestion>[];
  feedback: Partial<Feedback>[];
  checkIns: Partial<WellbeingCheckIn>[];
  contributions: Partial<Contribution>[];
}

export function homeSlug(number: number): string {
  return `synthetic-${number}`;
}

export function syntheticEmail(role: Role, number: number): string {
  return `${role}@${homeSlug(number)}.synthetic`;
}

const DAY_MS = 86_400_000;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function word(fraction: number): number {
  return Math.floor(fraction * 0x1_0000_0000) >>> 0;
}

function hex8(n: number): string {
  return HEX[(n >>> 24) & 0xff] + HEX[(n >>> 16) & 0xff] + HEX[(n >>> 8) & 0xff] + HEX[n & 0xff];
}
const HOUR_MS = 3_600_000;

/** ISO date arithmetic without a time zone: dates here are the home's local calendar days. */
function plusDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

function plusMonths(date: string, months: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}

/**
 * A local time on a date as a UTC instant. The zone's offset is read once a day, at noon: clocks
 * change in the small hours, never during the programme, so it holds for every session of the day.
 */
function localInstant(offsets: Map<string, number>, date: string, time: string, zone: string): Date {
  let offset = offsets.get(date);
  if (offset === undefined) {
    offset = Date.parse(`${date}T12:00:00Z`) - localToUtc(date, '12:00', zone).getTime();
    offsets.set(date, offset);
  }
  return new Date(Date.parse(`${date}T${time}:00Z`) - offset);
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

interface ResidentFacts {
  id: string;
  unitIndex: number;
  admittedOn: string;
  leftOn: string | null;
  status: ResidentStatus;
  /** How likely the resident is to attend what they are invited to (60-90%). */
  attendance: number;
  relatives: string[];
  contributingRelatives: string[];
}

/**
 * One home's worth of realistic records, from a seeded generator so the same spec always gives the
 * same rows (ids included). Beds are filled over time: each bed's current resident, and before them
 * those who left (discharged or died) within the period, so admissions and departures are spread
 * through it. The programme runs 1-3 activities a day in each unit plus whole-home events, `days`
 * back and `futureDays` ahead.
 */
export function generateHome(spec: HomeSpec): SyntheticHome {
  const random = seededRandom(spec.seed * 7919 + spec.number * 104_729);
  const idRandom = seededRandom(spec.seed * 31 + spec.number * 1_000_003);
  const uuid = (): string => {
    const a = word(idRandom());
    const b = word(idRandom());
    const c = word(idRandom());
    const d = word(idRandom());
    // Version 4 and the RFC 4122 variant, as randomUUID() makes them.
    return `${hex8(a)}-${HEX[(b >>> 24) & 0xff]}${HEX[(b >>> 16) & 0xff]}-4${HEX[(b >>> 8) & 0xff].slice(1)}${HEX[b & 0xff]}-` +
      `${HEX[((c >>> 24) & 0x3f) | 0x80]}${HEX[(c >>> 16) & 0xff]}-${HEX[(c >>> 8) & 0xff]}${HEX[c & 0xff]}${hex8(d)}`;
  };
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const chance = (p: number) => random() < p;
  const between = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const some = <T>(list: readonly T[], n: number): T[] => {
    const copy = [...list];
    const out: T[] = [];
    while (out.length < n && copy.length > 0) out.push(copy.splice(Math.floor(random() * copy.length), 1)[0]);
    return out;
  };

  const zone = SYNTHETIC_TIMEZONE;
  const offsets = new Map<string, number>();
  const instant = (date: string, time: string) => localInstant(offsets, date, time, zone);
  const now = spec.now;
  const today = utcToLocal(now, zone).date;
  const firstDay = plusDays(today, -spec.days);
  const homeId = uuid();
  const out: SyntheticHome = {
    home: {
      id: homeId, name: `${pick(HOME_NAMES)} ${pick(LAST_NAMES)} ${spec.number}`, slug: homeSlug(spec.number), timezone: zone, locale: 'it', country: 'IT',
      address: `Via ${pick(LAST_NAMES)} ${between(1, 120)}, ${pick(TOWNS)}`, createdAt: new Date(`${firstDay}T08:00:00Z`),
    },
    units: [], staff: [], volunteers: [], residents: [], families: [], links: [], users: [], memberships: [], types: [], activities: [],
    roster: [], participation: [], offers: [], plans: [], goals: [], reviews: [], attainments: [], suggestions: [], feedback: [],
    checkIns: [], contributions: [],
  };
  const contribution = (fields: {
    activityId: string | null; date: string; actorType: ActorType; personId: string; phase: Phase; minutes: number;
    source?: Contribution['source']; sourceId?: string | null; description?: string | null; recordedBy?: string | null; at?: Date;
  }): void => {
    out.contributions.push({
      id: uuid(), homeId, activityId: fields.activityId, date: fields.date, actorType: fields.actorType, phase: fields.phase, minutes: fields.minutes,
      residentId: fields.actorType === 'resident' ? fields.personId : null, familyMemberId: fields.actorType === 'family' ? fields.personId : null,
      volunteerId: fields.actorType === 'volunteer' ? fields.personId : null, staffMemberId: fields.actorType === 'staff' ? fields.personId : null,
      description: fields.description ?? null, source: fields.source ?? 'manual', sourceId: fields.sourceId ?? null, recordedBy: fields.recordedBy ?? null,
      createdAt: fields.at, updatedAt: fields.at,
    });
  };

  // Units: about fifteen beds each.
  const unitCount = Math.max(1, Math.round(spec.residents / 15));
  for (let u = 0; u < unitCount; u += 1) out.units.push({ id: uuid(), homeId, name: `Nucleo ${String.fromCharCode(65 + (u % 26))}${u >= 26 ? Math.floor(u / 26) : ''}`, active: true });
  const unitIds = out.units.map((u) => u.id!);

  // Staff: carers and a nurse on each unit, floating carers, coordinators, a physiotherapist and the manager.
  // Staff, volunteers and relatives are of the residents' children's generation.
  const person = () => ({ firstName: pick(YOUNGER_NAMES), lastName: pick(LAST_NAMES) });
  const addStaff = (jobRole: JobRole, unitId: string | null): Partial<StaffMember> => {
    const p = person();
    const row: Partial<StaffMember> = {
      id: uuid(), homeId, ...p, email: `${p.firstName}.${p.lastName}.${out.staff.length}@${homeSlug(spec.number)}.synthetic`.toLowerCase(), phone: null,
      jobRole, unitId, startedOn: plusDays(today, -between(30, 4000)), status: chance(0.04) ? 'left' : 'active',
    };
    out.staff.push(row);
    return row;
  };
  const manager = addStaff('manager', null);
  const coordinators = [addStaff('activity_coordinator', null), addStaff('activity_coordinator', null)];
  addStaff('physiotherapist', null);
  const floater = addStaff('care_assistant', null);
  addStaff('care_assistant', null);
  const unitCarers: string[][] = unitIds.map((unitId, u) => {
    const carers = [addStaff('care_assistant', unitId), addStaff('care_assistant', unitId), addStaff('care_assistant', unitId)];
    if (u % 2 === 0) addStaff('nurse', unitId);
    return carers.map((c) => c.id!);
  });
  for (const s of [manager, ...coordinators, floater]) s.status = 'active';
  const activeStaff = out.staff.filter((s) => s.status === 'active').map((s) => s.id!);

  // Volunteers, with background checks of every age (some expiring, a few expired).
  const volunteerCount = Math.max(3, Math.round(spec.residents / 8));
  for (let v = 0; v < volunteerCount; v += 1) {
    const p = person();
    const checkOn = plusDays(today, -between(10, 1200));
    const status: VolunteerStatus = v === 0 ? 'active' : pick(['active', 'active', 'active', 'active', 'active', 'active', 'active', 'active', 'paused', 'left']);
    out.volunteers.push({
      id: uuid(), homeId, ...p, email: `vol.${p.firstName}.${v}@${homeSlug(spec.number)}.synthetic`.toLowerCase(), phone: null,
      association: pick(['AVO', 'Auser', 'Parrocchia', null]), skills: some(SKILLS, between(1, 3)), availability: pick(['martedì pomeriggio', 'giovedì mattina', 'sabato', null]),
      backgroundCheckReference: `CHK-${spec.number}-${v}`, backgroundCheckOn: checkOn, backgroundCheckExpiresOn: plusMonths(checkOn, 36), trainingNotes: null,
      startedOn: plusDays(checkOn, between(0, 30)), status,
    });
  }
  const activeVolunteers = out.volunteers.filter((v) => v.status === 'active' && v.backgroundCheckExpiresOn! >= today).map((v) => v.id!);

  // Residents: each bed's current occupant, and before them those who left within the period.
  const facts: ResidentFacts[] = [];
  const addResident = (bed: number, admittedOn: string, leftOn: string | null, status: ResidentStatus): void => {
    const female = chance(0.68);
    const firstName = female ? pick(FIRST_NAMES_F) : pick(FIRST_NAMES_M);
    const unitIndex = bed % unitCount;
    const portal = pick(['full', 'full', 'full', 'full', 'full', 'full', 'summary', 'summary', 'summary', 'none'] as const);
    const row: Partial<Resident> = {
      id: uuid(), homeId, firstName, lastName: pick(LAST_NAMES), preferredName: chance(0.15) ? firstName.slice(0, 4) : null,
      dateOfBirth: plusDays('1930-01-01', between(0, 365 * 20)), room: `${1 + Math.floor(bed / 40)}${String(bed % 40).padStart(2, '0')}`,
      unitId: unitIds[unitIndex], admittedOn, leftOn, status, aboutMe: `Nato/a a ${pick(TOWNS)}. Ha lavorato come ${pick(['sarta', 'ferroviere', 'maestra', 'contadino', 'commerciante', 'operaio', 'infermiera'])}.`,
      interests: some(INTERESTS, between(2, 4)), dislikes: chance(0.3) ? 'Il rumore e la confusione' : null, communicationTips: chance(0.3) ? 'Parlare lentamente, dal lato destro' : null,
      mobilityNotes: chance(0.4) ? 'Carrozzina' : null, weeklyActivityTarget: between(3, 7), photoFile: null, consentPhotos: chance(0.7),
      consentFamilyPortal: portal, consentVolunteerProfile: chance(0.6), consentRecordedBy: null,
      consentRecordedAt: new Date(`${admittedOn}T10:00:00Z`), consentBestInterestNote: null,
      createdAt: new Date(`${admittedOn}T09:00:00Z`),
    };
    out.residents.push(row);
    facts.push({ id: row.id!, unitIndex, admittedOn, leftOn, status, attendance: 0.6 + random() * 0.3, relatives: [], contributingRelatives: [] });
  };
  for (let bed = 0; bed < spec.residents; bed += 1) {
    // Stays are long-tailed: most a year or two, some many years.
    let admitted = plusDays(today, -Math.floor(random() ** 1.3 * 1800));
    addResident(bed, admitted, null, chance(0.04) ? 'on_leave' : 'active');
    while (admitted > firstDay) {
      const leftOn = plusDays(admitted, -between(1, 20));
      const stay = 20 + Math.floor(-Math.log(1 - random()) * 600);
      admitted = plusDays(leftOn, -stay);
      addResident(bed, admitted, leftOn, chance(0.65) ? 'deceased' : 'discharged');
    }
  }

  // Families: one or two relatives for most residents; many may contribute through the portal.
  const relationshipsOf = ['daughter', 'son', 'daughter', 'son', 'wife', 'husband', 'grandchild', 'niece_nephew', 'sister', 'daughter_in_law'] as const;
  for (const resident of facts) {
    const count = pick([0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 3]);
    for (let k = 0; k < count; k += 1) {
      const p = person();
      const familyId = uuid();
      out.families.push({
        id: familyId, homeId, ...p, email: `fam.${out.families.length}@${homeSlug(spec.number)}.synthetic`, phone: '+39 051 555 0100',
        archivedAt: resident.leftOn && daysBetween(resident.leftOn, today) > 90 ? new Date(`${plusDays(resident.leftOn, 60)}T10:00:00Z`) : null,
        createdAt: new Date(`${resident.admittedOn}T10:00:00Z`),
      });
      const access = chance(0.6) ? 'contribute' : 'view';
      out.links.push({
        id: uuid(), homeId, familyMemberId: familyId, residentId: resident.id, relationship: pick(relationshipsOf), primaryContact: k === 0, access, active: true,
      });
      resident.relatives.push(familyId);
      if (access === 'contribute') resident.contributingRelatives.push(familyId);
    }
  }

  // Accounts: one for each role, standing for a person of the home; all share the synthetic password.
  const current = facts.filter((r) => r.leftOn === null);
  const familyAccount = current.find((r) => r.contributingRelatives.length > 0 && out.residents.find((x) => x.id === r.id)!.consentFamilyPortal === 'full');
  const accountPeople: Record<(typeof SYNTHETIC_ROLES)[number], { kind: User['personKind']; id: string | null; name: string }> = {
    manager: { kind: 'staff', id: manager.id!, name: `${manager.firstName} ${manager.lastName}` },
    coordinator: { kind: 'staff', id: coordinators[0].id!, name: `${coordinators[0].firstName} ${coordinators[0].lastName}` },
    // A floating carer, with no unit of their own: Today opens on the whole home.
    carer: { kind: 'staff', id: floater.id!, name: `${floater.firstName} ${floater.lastName}` },
    volunteer: { kind: 'volunteer', id: activeVolunteers[0] ?? out.volunteers[0].id!, name: 'Volontario' },
    family: { kind: 'family', id: familyAccount?.contributingRelatives[0] ?? null, name: 'Familiare' },
  };
  const userIds = new Map<string, string>();
  for (const role of SYNTHETIC_ROLES) {
    const who = accountPeople[role];
    if (role === 'family' && !who.id) continue;
    const id = uuid();
    userIds.set(role, id);
    out.users.push({
      id, email: syntheticEmail(role, spec.number), displayName: who.name, passwordHash: spec.passwordHash, role, personKind: who.kind, personId: who.id,
      locale: 'it', disabledAt: null, lastLoginAt: null,
    });
    out.memberships.push({ id: uuid(), userId: id, homeId });
  }
  const carerUser = userIds.get('carer')!;
  const coordinatorUser = userIds.get('coordinator')!;

  // Activity types and the programme.
  const types = ACTIVITY_TYPES.map((t) => ({ ...t, id: uuid() }));
  for (const t of types) {
    out.types.push({
      id: t.id, homeId, name: t.name, category: t.category, description: null, defaultDurationMinutes: t.minutes, defaultLocation: null, defaultCapacity: null,
      usualPhases: ['co_delivery'], active: true,
    });
  }
  const unitTypes = types.filter((t) => !t.homeWide);
  const homeWideTypes = types.filter((t) => t.homeWide);
  const unitSlots = ['10:00', '11:00', '15:00', '16:30', '17:30'];

  for (let day = -spec.days; day <= spec.futureDays; day += 1) {
    const date = plusDays(today, day);
    const present = facts.filter((r) => r.admittedOn <= date && (r.leftOn === null || r.leftOn >= date));
    const byUnit: ResidentFacts[][] = unitIds.map(() => []);
    for (const r of present) byUnit[r.unitIndex].push(r);
    const weekday = new Date(`${date}T12:00:00Z`).getUTCDay();
    const sessions: { type: (typeof types)[number]; time: string; unitIndex: number | null }[] = [];
    for (let u = 0; u < unitCount; u += 1) {
      const count = pick([1, 2, 2, 2, 3, 3]);
      for (const time of some(unitSlots, count)) sessions.push({ type: pick(unitTypes), time, unitIndex: u });
    }
    const homeWide = weekday === 0 || weekday === 6 ? ['16:00'] : ['10:30', '15:30'];
    for (const time of homeWide) sessions.push({ type: weekday === 0 && time === '16:00' ? homeWideTypes[2] : pick(homeWideTypes), time, unitIndex: null });

    for (const session of sessions) {
      const { type, unitIndex } = session;
      const startsAt = instant(date, session.time);
      const endsAt = new Date(startsAt.getTime() + type.minutes * 60_000);
      const past = endsAt.getTime() < now.getTime();
      const cancelled = past && chance(0.04);
      const unitId = unitIndex === null ? null : unitIds[unitIndex];
      const lead = unitIndex === null ? pick(coordinators).id! : pick(unitCarers[unitIndex]);
      const activityId = uuid();
      out.activities.push({
        id: activityId, homeId, activityTypeId: type.id, title: type.name, startsAt, durationMinutes: type.minutes,
        location: unitId ? 'Soggiorno del nucleo' : pick(['Salone', 'Giardino', 'Cappella', 'Sala polivalente']), unitId, capacity: null, phases: ['co_delivery'], leadStaffId: lead,
        status: cancelled ? 'cancelled' : past ? 'completed' : 'planned', description: null, seriesId: null, visibleToFamilies: chance(0.92),
        completedAt: past && !cancelled ? endsAt : null, cancelReason: cancelled ? 'Annullata per maltempo' : null,
        createdAt: new Date(startsAt.getTime() - 14 * DAY_MS),
      });
      const pool = unitIndex === null ? present : byUnit[unitIndex];
      // Whole-home events fill the hall: up to a quarter of the beds.
      const invited = pool.filter(() => chance(unitIndex === null ? 0.22 : 0.72)).slice(0, Math.max(30, Math.round(spec.residents / 4)));
      for (const r of invited) out.roster.push({ id: uuid(), homeId, activityId, residentId: r.id, createdAt: new Date(startsAt.getTime() - 2 * DAY_MS) });

      if (!past) {
        if (activeVolunteers.length > 0 && chance(0.1)) {
          out.offers.push({
            id: uuid(), homeId, activityId, offererType: 'volunteer', volunteerId: pick(activeVolunteers), familyMemberId: null, kind: 'deliver', status: 'offered',
            message: 'Posso dare una mano.', respondedBy: null, respondedAt: null, createdBy: null, createdAt: new Date(now.getTime() - between(1, 48) * HOUR_MS),
          });
        }
        continue;
      }
      if (cancelled) continue;

      const at = endsAt;
      let activeCount = 0;
      for (const r of invited) {
        const onLeave = r.status === 'on_leave' && day > -10;
        let engagement: Engagement;
        if (!onLeave && random() < r.attendance) {
          const e = random();
          engagement = e < 0.6 ? 'active' : e < 0.88 ? 'passive' : 'disengaged';
        } else {
          engagement = onLeave || chance(0.45) ? 'absent' : 'declined';
        }
        const attended = engagement === 'active' || engagement === 'passive' || engagement === 'disengaged';
        if (engagement === 'active') activeCount += 1;
        out.participation.push({
          id: uuid(), homeId, activityId, residentId: r.id, engagement,
          moodBefore: attended && chance(0.6) ? between(2, 4) : null, moodAfter: attended && chance(0.6) ? between(3, 5) : null,
          staffNote: engagement === 'disengaged' && chance(0.3) ? 'Stanco/a oggi, da riproporre.' : null,
          familyNote: engagement === 'active' && chance(0.06) ? pick(FAMILY_NOTES) : null,
          recordedBy: carerUser, recordedAt: at, createdAt: at, updatedAt: at,
        });
        // Residents who help run a session co-deliver it; relatives sometimes join in and help.
        if (engagement === 'active' && chance(0.05)) contribution({ activityId, date, actorType: 'resident', personId: r.id, phase: 'co_delivery', minutes: type.minutes, description: 'Ha aiutato a condurre l\'attività', at });
        if (attended && r.contributingRelatives.length > 0 && chance(0.02)) {
          contribution({ activityId, date, actorType: 'family', personId: r.contributingRelatives[0], phase: 'co_delivery', minutes: type.minutes, at });
        }
      }
      contribution({ activityId, date, actorType: 'staff', personId: lead, phase: 'co_delivery', minutes: type.minutes, at });
      // Residents chose or planned some sessions with the coordinator.
      if (invited.length > 0 && chance(0.04)) {
        contribution({ activityId, date, actorType: 'resident', personId: pick(invited).id, phase: 'co_design', minutes: 30, description: 'Ha scelto il programma', at });
      }
      if (activeVolunteers.length > 0 && chance(unitIndex === null ? 0.6 : 0.25)) {
        const offerId = uuid();
        const volunteerId = pick(activeVolunteers);
        out.offers.push({
          id: offerId, homeId, activityId, offererType: 'volunteer', volunteerId, familyMemberId: null, kind: 'deliver', status: 'confirmed', message: null,
          respondedBy: coordinatorUser, respondedAt: new Date(startsAt.getTime() - 3 * DAY_MS), createdBy: null, createdAt: new Date(startsAt.getTime() - 5 * DAY_MS),
        });
        contribution({ activityId, date, actorType: 'volunteer', personId: volunteerId, phase: 'co_delivery', minutes: type.minutes, source: 'help_offer', sourceId: offerId, at });
      }
      const relativesHere = invited.flatMap((r) => r.contributingRelatives);
      if (relativesHere.length > 0 && chance(0.03)) {
        const offerId = uuid();
        const familyMemberId = pick(relativesHere);
        out.offers.push({
          id: offerId, homeId, activityId, offererType: 'family', volunteerId: null, familyMemberId, kind: pick(['deliver', 'join'] as const), status: 'confirmed',
          message: 'Vengo volentieri.', respondedBy: coordinatorUser, respondedAt: new Date(startsAt.getTime() - 2 * DAY_MS), createdBy: null,
          createdAt: new Date(startsAt.getTime() - 4 * DAY_MS),
        });
        contribution({ activityId, date, actorType: 'family', personId: familyMemberId, phase: 'co_delivery', minutes: type.minutes, source: 'help_offer', sourceId: offerId, at });
      }
      // "How did it go?": now and then from a relative, a resident (written down by a carer) or a volunteer.
      if (activeCount > 0 && chance(0.08)) {
        const givenAt = new Date(at.getTime() + between(1, 30) * HOUR_MS);
        const byFamily = relativesHere.length > 0 && chance(0.5);
        const authorType: AuthorType = byFamily ? 'family' : chance(0.8) ? 'resident' : 'staff';
        const authorId = byFamily ? pick(relativesHere) : authorType === 'resident' ? pick(invited).id : lead;
        const feedbackId = uuid();
        out.feedback.push({
          id: feedbackId, homeId, activityId, authorType, authorResidentId: authorType === 'resident' ? authorId : null,
          authorFamilyMemberId: authorType === 'family' ? authorId : null, authorVolunteerId: null, authorStaffMemberId: authorType === 'staff' ? authorId : null,
          recordedBy: authorType === 'resident' ? carerUser : null, rating: pick([3, 4, 4, 5, 5, 5, 2]), comment: pick(FEEDBACK_COMMENTS),
          createdAt: givenAt, updatedAt: givenAt,
        });
        contribution({ activityId, date, actorType: authorType, personId: authorId, phase: 'co_assessment', minutes: 0, source: 'feedback', sourceId: feedbackId, at: givenAt });
      }
    }

    // The residents' committee plans next month's programme: programme-wide co-commissioning.
    if (day < 0 && date.endsWith('-25')) {
      const at = instant(date, '11:00');
      for (const r of some(present, Math.min(6, present.length))) contribution({ activityId: null, date, actorType: 'resident', personId: r.id, phase: 'co_commissioning', minutes: 60, description: 'Comitato ospiti: programma del mese', at });
      const relatives = present.flatMap((r) => r.contributingRelatives);
      for (const f of some(relatives, Math.min(2, relatives.length))) contribution({ activityId: null, date, actorType: 'family', personId: f, phase: 'co_commissioning', minutes: 60, description: 'Comitato ospiti: programma del mese', at });
      contribution({ activityId: null, date, actorType: 'staff', personId: coordinators[0].id!, phase: 'co_commissioning', minutes: 60, at });
      if (activeVolunteers.length > 0) contribution({ activityId: null, date, actorType: 'volunteer', personId: pick(activeVolunteers), phase: 'co_design', minutes: 60, description: 'Idee per il programma', at });
    }

    // Suggestions arrive every few days (more in a bigger home).
    if (day <= 0 && chance(Math.min(0.9, 0.3 * (spec.residents / 120)))) {
      const createdAt = instant(date, pick(['09:30', '14:00', '18:45', '20:10']));
      const author = random();
      const about = pick(present.length > 0 ? present : facts);
      let authorType: AuthorType;
      let authorId: string;
      if (author < 0.45 && about.contributingRelatives.length > 0) [authorType, authorId] = ['family', pick(about.contributingRelatives)];
      else if (author < 0.75) [authorType, authorId] = ['resident', about.id];
      else if (author < 0.85 && activeVolunteers.length > 0) [authorType, authorId] = ['volunteer', pick(activeVolunteers)];
      else [authorType, authorId] = ['staff', pick(activeStaff)];
      const kind: SuggestionKind = authorType === 'volunteer' || authorType === 'staff' ? 'activity_idea' : pick(['activity_idea', 'activity_idea', 'plan_change', 'life_story']);
      const age = -day;
      const status: SuggestionStatus = age < 3 ? 'new' : pick(age > 14 ? ['accepted', 'accepted', 'done', 'declined', 'new'] : ['new', 'new', 'accepted', 'declined']);
      const respondedAt = status === 'new' ? null : new Date(createdAt.getTime() + between(1, Math.min(10, Math.max(1, age))) * DAY_MS - HOUR_MS);
      const suggestionId = uuid();
      out.suggestions.push({
        id: suggestionId, homeId, residentId: kind === 'activity_idea' ? null : about.id, authorType,
        authorResidentId: authorType === 'resident' ? authorId : null, authorFamilyMemberId: authorType === 'family' ? authorId : null,
        authorVolunteerId: authorType === 'volunteer' ? authorId : null, authorStaffMemberId: authorType === 'staff' ? authorId : null,
        recordedBy: authorType === 'resident' ? carerUser : null, kind, title: pick(SUGGESTION_TITLES), body: 'Proposta raccolta durante la settimana.', status,
        response: respondedAt ? (status === 'declined' ? 'Per ora non è possibile, ne riparliamo.' : 'Grazie, la mettiamo in programma.') : null,
        respondedBy: respondedAt ? coordinatorUser : null, respondedAt, linkedActivityTypeId: status === 'accepted' || status === 'done' ? (kind === 'activity_idea' ? pick(types).id : null) : null,
        linkedActivityId: null, lifeStoryAppliedAt: null, createdAt, updatedAt: respondedAt ?? createdAt,
      });
      if (respondedAt && status !== 'declined') {
        contribution({
          activityId: null, date: utcToLocal(respondedAt, zone).date, actorType: authorType, personId: authorId, phase: 'co_commissioning', minutes: 0,
          source: 'suggestion', sourceId: suggestionId, recordedBy: coordinatorUser, at: respondedAt,
        });
      }
    }
  }

  // Plans: agreed a few weeks after admission, reviewed about every six months with GAS scores;
  // a few reviews fall overdue, and the newest residents' first plans are still drafts.
  for (const r of facts) {
    const end = r.leftOn ?? today;
    const firstAgreed = plusDays(r.admittedOn, between(14, 28));
    if (firstAgreed > end) {
      if (r.leftOn === null && chance(0.7)) {
        const planId = uuid();
        out.plans.push({ id: planId, homeId, residentId: r.id, version: 1, status: 'draft', whatMattersToMe: 'Da completare con la famiglia.', agreedOn: null, nextReviewOn: null, createdBy: coordinatorUser });
        addGoals(planId);
      }
      continue;
    }
    // Plan history before the period is summed up by the version number of the plan in force at its start.
    let agreedOn = firstAgreed;
    let version = 1;
    while (plusMonths(agreedOn, 6) < firstDay) {
      agreedOn = plusMonths(agreedOn, 6);
      version += 1;
    }
    const overdueLate = chance(0.08);
    for (;;) {
      const planId = uuid();
      const nextReviewOn = plusMonths(agreedOn, 6);
      const reviewOn = plusDays(nextReviewOn, between(-12, 10));
      const reviewed = reviewOn <= end && !(overdueLate && reviewOn > plusDays(today, -120));
      out.plans.push({
        id: planId, homeId, residentId: r.id, version, status: reviewed ? 'archived' : 'agreed', whatMattersToMe: `Le cose che contano: ${pick(INTERESTS)}, ${pick(INTERESTS)}.`,
        agreedOn, nextReviewOn, createdBy: coordinatorUser, createdAt: new Date(`${agreedOn}T10:00:00Z`),
      });
      const goalIds = addGoals(planId);
      if (!reviewed) break;
      const reviewId = uuid();
      const tookPart = chance(0.7);
      const family = some(r.contributingRelatives, chance(0.6) ? 1 : 0);
      const staffIds = [coordinators[0].id!, ...(chance(0.5) ? [unitCarers[r.unitIndex][0]] : [])];
      const at = new Date(`${reviewOn}T14:00:00Z`);
      out.reviews.push({
        id: reviewId, homeId, planId, reviewedOn: reviewOn, residentTookPart: tookPart, familyMemberIds: family, staffMemberIds: staffIds, notes: null,
        recordedBy: coordinatorUser, createdAt: at, updatedAt: at,
      });
      for (const goalId of goalIds) out.attainments.push({ id: uuid(), homeId, reviewId, goalId, score: pick([-2, -1, -1, 0, 0, 0, 0, 1, 1, 2]), createdAt: at });
      const minutes = pick([30, 45, 60]);
      if (tookPart) contribution({ activityId: null, date: reviewOn, actorType: 'resident', personId: r.id, phase: 'co_design', minutes, source: 'plan_review', sourceId: reviewId, at });
      for (const f of family) contribution({ activityId: null, date: reviewOn, actorType: 'family', personId: f, phase: 'co_design', minutes, source: 'plan_review', sourceId: reviewId, at });
      for (const s of staffIds) contribution({ activityId: null, date: reviewOn, actorType: 'staff', personId: s, phase: 'co_design', minutes, source: 'plan_review', sourceId: reviewId, at });
      agreedOn = reviewOn;
      version += 1;
      if (r.leftOn !== null && agreedOn >= r.leftOn) break;
    }
  }

  function addGoals(planId: string): string[] {
    const ids: string[] = [];
    some(GOALS, between(2, 3)).forEach((goal, position) => {
      const id = uuid();
      const typeIds = types.filter((t) => t.category === goal.category).map((t) => t.id);
      out.goals.push({
        id, homeId, planId, description: goal.text, categories: [goal.category], activityTypeIds: chance(0.6) ? typeIds : [], targetPerWeek: between(1, 3),
        status: 'active', position,
      });
      ids.push(id);
    });
    return ids;
  }

  // Wellbeing check-ins each quarter, from the resident, a relative and staff.
  for (let quarterStart = quarterRange(quarterOf(firstDay)).first; quarterStart <= today; quarterStart = plusMonths(quarterStart, 3)) {
    const quarter = quarterOf(quarterStart);
    const { last } = quarterRange(quarter);
    const date = plusDays(quarterStart, 40) < today ? plusDays(quarterStart, 40) : today;
    const at = instant(date, '15:00');
    for (const r of facts) {
      if (r.admittedOn > date || (r.leftOn !== null && r.leftOn < quarterStart) || date > last) continue;
      const perspectives: [Perspective, ActorType, string][] = [];
      if (chance(0.5)) perspectives.push(['resident', 'resident', r.id]);
      if (r.contributingRelatives.length > 0 && chance(0.35)) perspectives.push(['family', 'family', r.contributingRelatives[0]]);
      if (chance(0.8)) perspectives.push(['staff', 'staff', unitCarers[r.unitIndex][0]]);
      for (const [perspective, actorType, personId] of perspectives) {
        const id = uuid();
        const score = () => pick([1, 2, 2, 3, 3, 3, 3, 4, 4]);
        out.checkIns.push({
          id, homeId, residentId: r.id, quarter, perspective, familyMemberId: perspective === 'family' ? personId : null, staffMemberId: perspective === 'staff' ? personId : null,
          doingThings: score(), people: score(), choice: score(), comment: null, recordedBy: perspective === 'family' ? null : carerUser, createdAt: at, updatedAt: at,
        });
        contribution({ activityId: null, date, actorType, personId, phase: 'co_assessment', minutes: 0, source: 'check_in', sourceId: id, recordedBy: carerUser, at });
      }
    }
  }
  return out;
}

/** Rows in one home, by table, for the summary the command prints. */
export function rowCounts(home: SyntheticHome): Record<string, number> {
  return Object.fromEntries(Object.entries(home).map(([key, value]) => [key, Array.isArray(value) ? value.length : 1]));
}
