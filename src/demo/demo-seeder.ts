import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuthService } from '../auth/auth.service';
import { PersonKind } from '../auth/auth.enums';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { UnitOfWork } from '../database/unit-of-work';
import { FamilyLink } from '../residents/entities/family-link.entity';
import { FamilyMember } from '../families/entities/family-member.entity';
import { Home } from '../homes/entities/home.entity';
import { HomesService, HomeView } from '../homes/homes.service';
import { Resident } from '../residents/entities/resident.entity';
import { StaffMember } from '../staff/entities/staff-member.entity';
import { Volunteer } from '../volunteers/entities/volunteer.entity';
import { VolunteerHistory } from '../volunteers/entities/volunteer-history.entity';
import { volunteerHistoryRow } from '../volunteers/volunteer-history';
import { DEMO_ACCOUNTS, DEMO_GROUP_NAME, DEMO_HOME_SLUG, DEMO_PASSWORD } from './demo-accounts';
import { DEMO_OTHER_HOMES, DemoData, loadDemoData } from './demo-data';
import { rebuildTallies } from '../reports/tally/headline-tally';
import { seededRandom, seedDemoProgramme } from './demo-programme';
import { seedDemoPlans } from './demo-plans';
import { seedDemoVoice } from './demo-voice';
import { DemoState } from './demo-state';

const DAY_MS = 24 * 60 * 60 * 1000;

/** A seeded home and its people's ids by their keys in the demo data. */
interface SeededHome {
  home: HomeView;
  staff: Map<string, string>;
  residents: Map<string, string>;
  families: Map<string, string>;
  volunteers: Map<string, string>;
}

function isoDate(daysFromToday: number, today = new Date()): string {
  return new Date(today.getTime() + daysFromToday * DAY_MS).toISOString().slice(0, 10);
}

/**
 * On first start with an empty database outside production (and SEED_DEMO not false), fills in the
 * demo home "Casa Serena", and beside it in its group a smaller home, "Villa dei Tigli", so a new
 * user has something real to look at, the group view included.
 */
@Injectable()
export class DemoSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger('Demo');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly unitOfWork: UnitOfWork,
    private readonly homes: HomesService,
    private readonly auth: AuthService,
    private readonly state: DemoState,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.isProduction || !this.config.seedDemo) return;
    const manager = this.unitOfWork.manager;
    if ((await manager.count(Home)) === 0) {
      await this.seed(loadDemoData(), DEMO_OTHER_HOMES.map((name) => loadDemoData(name)));
      this.logger.log(`Demo home "${DEMO_HOME_SLUG}" created; sign in as ${DEMO_ACCOUNTS[1].email} / ${DEMO_PASSWORD}`);
    }
    if (await manager.existsBy(Home, { slug: DEMO_HOME_SLUG })) this.state.markActive();
  }

  /**
   * Casa Serena with its accounts, plans and voice, and the group's other homes (`otherHomes`) with
   * their people and programme, all in one group. The plans' and voice's words are written from
   * Casa Serena's residents and families, so the other homes have none yet: a home newer to Insieme.
   */
  async seed(data: DemoData, otherHomes: DemoData[] = []): Promise<void> {
    // Hashed before the unit of work, which would hold every other write meanwhile; a salt each.
    const passwordHashes = await Promise.all(DEMO_ACCOUNTS.map(() => this.auth.hashPassword(DEMO_PASSWORD)));
    await this.unitOfWork.transaction(async (m) => {
      const group = await this.homes.createGroup(null, { name: DEMO_GROUP_NAME, reachedThreshold: 60 }, m);
      const { home, staff, residents, families, volunteers } = await this.seedHome(m, data, group.id, 20261128);
      // Plans name the programme's activity types, so they come after it.
      await seedDemoPlans(m, { homeId: home.id, timezone: home.timezone, residentIds: [...residents.values()], staffIds: [...staff.values()] }, seededRandom(7));

      const people: Record<PersonKind, Map<string, string>> = { staff, family: families, volunteer: volunteers };
      for (const [i, account] of DEMO_ACCOUNTS.entries()) {
        if (account.role === 'group_manager') {
          // The provider's operations lead: nobody's staff record in a home, a reader of the group's.
          await this.auth.createUser(
            { email: account.email, displayName: 'Elena Ferri', role: account.role, passwordHash: passwordHashes[i], homeIds: [], groupIds: [group.id], locale: 'it' },
            m,
          );
          continue;
        }
        const personKey = account.role === 'admin' ? undefined : data.accountPeople[account.role];
        const personKind: PersonKind | null =
          account.role === 'admin' ? null : account.role === 'family' ? 'family' : account.role === 'volunteer' ? 'volunteer' : 'staff';
        const personId = personKind && personKey ? required(people[personKind], personKey) : null;
        const displayName = this.displayName(data, personKind, personKey) ?? 'Marco Galli';
        await this.auth.createUser(
          { email: account.email, displayName, role: account.role, passwordHash: passwordHashes[i], homeIds: [home.id], locale: 'it', personKind, personId },
          m,
        );
      }
      // After the accounts, so the demo's notifications reach them.
      await seedDemoVoice(m, {
        homeId: home.id, timezone: home.timezone, residentIds: [...residents.values()], familyMemberIds: [...families.values()],
        volunteerIds: [...volunteers.values()], staffIds: [...staff.values()],
      }, seededRandom(20261129));
      const others: string[] = [];
      for (const [i, other] of otherHomes.entries()) others.push((await this.seedHome(m, other, group.id, 20261128 + i + 1)).home.id);
      // The programme was written straight to its tables: the group view's summary is counted from them.
      await rebuildTallies(m, [home.id, ...others]);
    });
  }

  /** A home of the group with its units, people and programme. */
  private async seedHome(m: EntityManager, data: DemoData, groupId: string, programmeSeed: number): Promise<SeededHome> {
    const home = await this.homes.create(null, { ...data.home, groupId }, m);
    const units = new Map<string, string>();
    for (const name of data.units) units.set(name, (await this.homes.addUnit(null, home.id, { unitName: name }, m)).id);
    const unitId = (name?: string) => (name ? (units.get(name) ?? null) : null);
    const staff = await this.insertAll(m, StaffMember, data.staff, (s) => ({
      homeId: home.id, firstName: s.firstName, lastName: s.lastName, email: s.email ?? null, phone: s.phone ?? null,
      jobRole: s.jobRole, unitId: unitId(s.unit), startedOn: isoDate(-s.startedDaysAgo), status: 'active' as const,
    }));
    const residents = await this.insertAll(m, Resident, data.residents, (r) => ({
      homeId: home.id, firstName: r.firstName, lastName: r.lastName, preferredName: r.preferredName ?? null,
      dateOfBirth: r.dateOfBirth, room: r.room, unitId: unitId(r.unit), admittedOn: isoDate(-r.admittedDaysAgo),
      leftOn: r.leftDaysAgo === undefined ? null : isoDate(-r.leftDaysAgo), status: r.status ?? 'active',
      aboutMe: r.aboutMe, interests: r.interests, dislikes: r.dislikes ?? null, communicationTips: r.communicationTips ?? null,
      mobilityNotes: r.mobilityNotes ?? null, weeklyActivityTarget: r.weeklyActivityTarget ?? 5, photoFile: null,
      consentPhotos: r.consent.photos, consentFamilyPortal: r.consent.familyPortal, consentVolunteerProfile: r.consent.volunteerProfile,
      consentRecordedBy: null, consentRecordedAt: new Date(Date.now() - r.admittedDaysAgo * DAY_MS),
      consentBestInterestNote: r.consent.bestInterestNote ?? null,
    }));
    const families = await this.insertAll(m, FamilyMember, data.families, (f) => ({
      homeId: home.id, firstName: f.firstName, lastName: f.lastName, email: f.email ?? null, phone: f.phone ?? null, archivedAt: null,
    }));
    for (const family of data.families) {
      for (const link of family.links) {
        await m.insert(FamilyLink, m.create(FamilyLink, {
          homeId: home.id, familyMemberId: families.get(family.key), residentId: required(residents, link.resident),
          relationship: link.relationship, primaryContact: link.primaryContact, access: link.access, active: link.active ?? true,
        }));
      }
    }
    const volunteers = await this.insertAll(m, Volunteer, data.volunteers, (v) => ({
      homeId: home.id, firstName: v.firstName, lastName: v.lastName, email: v.email ?? null, phone: v.phone ?? null,
      association: v.association ?? null, skills: v.skills, availability: v.availability ?? null,
      backgroundCheckReference: v.backgroundCheckReference ?? null,
      backgroundCheckOn: v.backgroundCheckDaysAgo === undefined ? null : isoDate(-v.backgroundCheckDaysAgo),
      backgroundCheckExpiresOn: v.backgroundCheckExpiresInDays === undefined ? null : isoDate(v.backgroundCheckExpiresInDays),
      trainingNotes: v.trainingNotes ?? null, startedOn: v.startedDaysAgo === undefined ? null : isoDate(-v.startedDaysAgo),
      status: v.status ?? 'active',
    }));
    // Each volunteer's history starts with the record as made (issue 18 item 2b).
    const madeVolunteers = await m.findBy(Volunteer, { homeId: home.id });
    if (madeVolunteers.length > 0) await m.insert(VolunteerHistory, madeVolunteers.map((v) => volunteerHistoryRow(v, v.createdAt)));

    await seedDemoProgramme(m, {
      homeId: home.id, homeName: home.name, timezone: home.timezone, unitIds: [...units.values()], residentIds: [...residents.values()],
      staffIds: [...staff.values()], volunteerIds: [...volunteers.values()],
    }, programmeSeed);
    return { home, staff, residents, families, volunteers };
  }

  private async insertAll<T extends { key: string }, E extends { id: string }>(
    m: EntityManager, entity: new () => E, rows: T[], build: (row: T) => Partial<E>,
  ): Promise<Map<string, string>> {
    const ids = new Map<string, string>();
    for (const row of rows) {
      const record = m.create(entity, build(row) as E);
      await m.insert(entity, record as never);
      ids.set(row.key, record.id);
    }
    return ids;
  }

  private displayName(data: DemoData, kind: PersonKind | null, key: string | undefined): string | undefined {
    const list = kind === 'staff' ? data.staff : kind === 'family' ? data.families : kind === 'volunteer' ? data.volunteers : [];
    const person = list.find((p) => p.key === key);
    return person ? `${person.firstName} ${person.lastName}` : undefined;
  }
}

function required(ids: Map<string, string>, key: string): string {
  const id = ids.get(key);
  if (!id) throw new Error(`Demo data refers to unknown key "${key}"`);
  return id;
}
