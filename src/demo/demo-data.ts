import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JobRole } from '../staff/staff.enums';
import type { Relationship } from '../residents/dto/family-link.dto';
import type { FamilyAccess, FamilyPortalConsent, ResidentStatus } from '../residents/residents.enums';
import type { VolunteerStatus } from '../volunteers/volunteers.enums';
import { PROJECT_ROOT } from '../common/paths';

/**
 * A demo home as written in data/demo (casa-serena.json, and the group's other homes). Dates that
 * must stay current are relative to today.
 */
export interface DemoData {
  home: { name: string; slug: string; timezone: string; locale: string; address: string; country: string };
  units: string[];
  staff: {
    key: string; firstName: string; lastName: string; email?: string; phone?: string; jobRole: JobRole;
    unit?: string; startedDaysAgo: number;
  }[];
  residents: {
    key: string; firstName: string; lastName: string; preferredName?: string; dateOfBirth: string; room: string;
    unit: string; admittedDaysAgo: number; status?: ResidentStatus; leftDaysAgo?: number; aboutMe: string;
    interests: string[]; dislikes?: string; communicationTips?: string; mobilityNotes?: string; weeklyActivityTarget?: number;
    consent: { photos: boolean; familyPortal: FamilyPortalConsent; volunteerProfile: boolean; bestInterestNote?: string };
  }[];
  families: {
    key: string; firstName: string; lastName: string; email?: string; phone?: string;
    links: { resident: string; relationship: Relationship; primaryContact: boolean; access: FamilyAccess; active?: boolean }[];
  }[];
  volunteers: {
    key: string; firstName: string; lastName: string; email?: string; phone?: string; association?: string;
    skills: string[]; availability?: string; backgroundCheckReference?: string; backgroundCheckDaysAgo?: number;
    backgroundCheckExpiresInDays?: number; trainingNotes?: string; startedDaysAgo?: number; status?: VolunteerStatus;
  }[];
  /** Which person record each demo account stands for (staff, family or volunteer key). */
  accountPeople: Partial<Record<'manager' | 'coordinator' | 'carer' | 'volunteer' | 'family', string>>;
}

const DEMO_DIR = join(PROJECT_ROOT, 'data', 'demo');

/** The group's other demo homes, beside Casa Serena, so the group view compares homes (docs/groups.md). */
export const DEMO_OTHER_HOMES = ['villa-dei-tigli.json'];

export function loadDemoData(name = 'casa-serena.json'): DemoData {
  return readDemoFile<DemoData>(name);
}

/** One of the demo's data files in data/demo (programme.json, plans.json, voice.json), as its seeder declares it. */
export function readDemoFile<T>(name: string): T {
  return JSON.parse(readFileSync(join(DEMO_DIR, name), 'utf8')) as T;
}
