import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { AuditService, diffFields } from '../audit/audit.service';
import { assertHomeAccess } from '../common/access/home-scope';
import type { SessionUser } from '../common/access/session-user';
import { NotFoundError, ValidationError } from '../common/errors/domain-errors';
import { DEFAULT_LOCALE } from '../common/i18n/i18n';
import { placeholders, sqlRow, sqlRows } from '../database/sql';
import { SummaryUpkeep } from '../database/summary-upkeep';
import { UnitOfWork } from '../database/unit-of-work';
import { GroupSettingsDto, HomeDto, UnitDto } from './dto/home.dto';
import { HomeGroup } from './entities/home-group.entity';
import { Home } from './entities/home.entity';
import { DEFAULT_COUNTRY } from './homes.enums';
import { Unit } from './entities/unit.entity';
import { DEFAULT_TIMEZONE, PlaceRow, Places, placesOf, placesSql, unitChoicesOf, UnitChoices } from './places';

export interface HomeView {
  id: string;
  name: string;
  slug: string;
  timezone: string;
  locale: string;
  address: string | null;
  /** ISO 3166-1 alpha-2 (COUNTRIES). */
  country: string;
  groupId: string | null;
}

export interface GroupView {
  id: string;
  name: string;
  /** Flag homes whose residents reached are below this percentage (null: no flag). */
  reachedThreshold: number | null;
  homeCount: number;
}

/** Admins reach every group; a group manager theirs; nobody else any. */
export function canSeeGroup(user: Pick<SessionUser, 'role' | 'groupIds'>, groupId: string): boolean {
  return user.role === 'admin' || (user.role === 'group_manager' && (user.groupIds ?? []).includes(groupId));
}

export interface UnitView {
  id: string;
  name: string;
  active: boolean;
}

const HOME_FIELDS = ['name', 'slug', 'timezone', 'locale', 'address', 'country', 'groupId'] as const;
const GROUP_FIELDS = ['name', 'reachedThreshold'] as const;

function isValidTimezone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

@Injectable()
export class HomesService {
  constructor(
    @InjectRepository(Home) private readonly homes: Repository<Home>,
    @InjectRepository(Unit) private readonly units: Repository<Unit>,
    @InjectRepository(HomeGroup) private readonly groups: Repository<HomeGroup>,
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditService,
    private readonly summaryUpkeep: SummaryUpkeep,
  ) {}

  async allHomeIds(): Promise<string[]> {
    return (await sqlRows<{ id: string }>(this.homes.manager, 'SELECT id FROM home ORDER BY name, id')).map((home) => home.id);
  }

  async timezoneOf(homeId: string | undefined): Promise<string> {
    if (!homeId) return DEFAULT_TIMEZONE;
    return (await sqlRow<{ timezone: string }>(this.homes.manager, 'SELECT timezone FROM home WHERE id = ?', [homeId]))?.timezone ?? DEFAULT_TIMEZONE;
  }

  /** A home's name, or null for no such home. */
  async nameOf(homeId: string): Promise<string | null> {
    return (await sqlRow<{ name: string }>(this.homes.manager, 'SELECT name FROM home WHERE id = ?', [homeId]))?.name ?? null;
  }

  /** What a mail about a home needs: its name, zone (for times) and language (for someone without one); defaults for none. */
  async mailFacts(homeId: string | null | undefined): Promise<{ name: string; timezone: string; locale: string }> {
    const home = homeId ? await sqlRow<{ name: string; timezone: string; locale: string }>(this.homes.manager, 'SELECT name, timezone, locale FROM home WHERE id = ?', [homeId]) : undefined;
    return { name: home?.name ?? 'Insieme', timezone: home?.timezone ?? DEFAULT_TIMEZONE, locale: home?.locale ?? DEFAULT_LOCALE };
  }

  async listForUser(user: SessionUser): Promise<HomeView[]> {
    if (user.homeIds.length === 0) return [];
    const homes = await this.homes.find({ where: { id: In(user.homeIds) }, order: { name: 'ASC' } });
    return homes.map(toHomeView);
  }

  async get(user: SessionUser, id: string): Promise<{ home: HomeView; units: UnitView[] }> {
    assertHomeAccess(user, id);
    const home = await this.homes.findOneBy({ id });
    if (!home) throw new NotFoundError();
    const units = await this.units.find({ where: { homeId: id }, order: { name: 'ASC' } });
    return { home: toHomeView(home), units: units.map((u) => ({ id: u.id, name: u.name, active: u.active })) };
  }

  /** The time zones of several homes in one query; inside a transaction, pass its manager. */
  async timezones(homeIds: string[], manager: EntityManager = this.homes.manager): Promise<Map<string, string>> {
    const unique = [...new Set(homeIds)];
    if (unique.length === 0) return new Map();
    const homes = await manager.find(Home, { select: { id: true, timezone: true }, where: { id: In(unique) } });
    return new Map(homes.map((home) => [home.id, home.timezone]));
  }

  /** Unit names of several homes in one query, for lists. */
  async unitNames(homeIds: string[]): Promise<Map<string, string>> {
    if (homeIds.length === 0) return new Map();
    const units = await this.units.find({ select: { id: true, name: true }, where: { homeId: In(homeIds) } });
    return new Map(units.map((u) => [u.id, u.name]));
  }

  /**
   * Homes' names and zones with their units, in one statement: what activity lists need to show
   * local times and unit names (the ward tablet's Today asks for it on every page).
   */
  async places(homeIds: readonly string[]): Promise<Places> {
    if (homeIds.length === 0) return placesOf([]);
    return placesOf(await sqlRows<PlaceRow>(this.homes.manager, placesSql(homeIds.length), [...homeIds]));
  }

  /**
   * The active units of these homes as a select offers them: by name, and grouped under each home's
   * name when they are of several homes (`unitGroups`, for `<optgroup>`; undefined for one home).
   * `withClosed` adds closed units too (a filter of a list that still holds their people).
   */
  async unitChoices(homeIds: readonly string[], withClosed = false): Promise<UnitChoices> {
    return unitChoicesOf(await this.places(homeIds), withClosed);
  }

  async findBySlug(slug: string): Promise<HomeView> {
    const home = await this.homes.findOneBy({ slug });
    if (!home) throw new NotFoundError({ key: 'homes.unknownSlug', params: { slug } });
    return toHomeView(home);
  }

  /**
   * Two homes of one name would be told apart by nobody: in the group view, the lists of homes, a
   * report's cover. Checked for the admin's form (the seeds and tools name their homes themselves).
   */
  private async checkNameFree(m: EntityManager, name: string, exceptId: string | null): Promise<void> {
    const qb = m.createQueryBuilder(Home, 'h').where('LOWER(h.name) = LOWER(:name)', { name: name.trim() });
    if (exceptId) qb.andWhere('h.id <> :exceptId', { exceptId });
    if (await qb.getExists()) throw new ValidationError({ name: { key: 'homes.nameTaken' } });
  }

  async create(user: SessionUser | null, input: HomeDto, manager?: EntityManager): Promise<HomeView> {
    this.checkTimezone(input.timezone);
    const work = async (m: EntityManager) => {
      if (await m.existsBy(Home, { slug: input.slug })) throw new ValidationError({ slug: { key: 'homes.slugTaken' } });
      if (user) await this.checkNameFree(m, input.name, null);
      await this.checkGroup(m, input.groupId);
      const home = m.create(Home, { ...input, address: input.address || null, country: input.country ?? DEFAULT_COUNTRY, groupId: input.groupId ?? null });
      await m.insert(Home, home);
      await this.audit.record(m, {
        action: 'create', userId: user?.id, role: user?.role, entityType: 'home', entityId: home.id, homeId: home.id,
        changes: diffFields({}, home, HOME_FIELDS),
      });
      return toHomeView(home);
    };
    return manager ? work(manager) : this.unitOfWork.transaction(work);
  }

  async update(user: SessionUser, id: string, input: HomeDto): Promise<HomeView> {
    assertHomeAccess(user, id);
    this.checkTimezone(input.timezone);
    return this.unitOfWork.transaction(async (m) => {
      const home = await m.findOneBy(Home, { id });
      if (!home) throw new NotFoundError();
      const clash = await m.findOneBy(Home, { slug: input.slug });
      if (clash && clash.id !== id) throw new ValidationError({ slug: { key: 'homes.slugTaken' } });
      await this.checkNameFree(m, input.name, id);
      await this.checkGroup(m, input.groupId);
      const next = { ...input, address: input.address || null, country: input.country ?? home.country, groupId: input.groupId === undefined ? home.groupId : input.groupId };
      const changes = diffFields(home, next, HOME_FIELDS);
      await m.update(Home, { id }, next);
      // Its quarters are the zone's: the residents reached in each are counted again in the new one.
      if (changes.timezone) await this.summaryUpkeep.homesChanged(m, [id]);
      await this.audit.record(m, { action: 'update', userId: user.id, role: user.role, entityType: 'home', entityId: id, homeId: id, changes });
      return toHomeView({ ...home, ...next });
    });
  }

  async addUnit(user: SessionUser | null, homeId: string, input: UnitDto, manager?: EntityManager): Promise<UnitView> {
    if (user) assertHomeAccess(user, homeId);
    const work = async (m: EntityManager) => {
      if (!(await m.existsBy(Home, { id: homeId }))) throw new NotFoundError();
      // "nucleo glicine" is the unit "Nucleo Glicine" again: both would stand in every list of units.
      const taken = await m.createQueryBuilder(Unit, 'u').where('u.homeId = :homeId AND LOWER(u.name) = LOWER(:name)', { homeId, name: input.unitName }).getExists();
      if (taken) throw new ValidationError({ unitName: { key: 'homes.unitTaken' } });
      const unit = m.create(Unit, { homeId, name: input.unitName, active: true });
      await m.insert(Unit, unit);
      await this.audit.record(m, {
        action: 'create', userId: user?.id, role: user?.role, entityType: 'unit', entityId: unit.id, homeId,
        changes: { name: { old: null, new: unit.name } },
      });
      return { id: unit.id, name: unit.name, active: unit.active };
    };
    return manager ? work(manager) : this.unitOfWork.transaction(work);
  }

  // ---- Groups of homes (docs/groups.md) ------------------------------------------------------

  /**
   * The homes of some groups, by name, with their zones: what a group manager's session reaches
   * (one statement, whatever the number of homes).
   */
  async homesOfGroups(groupIds: readonly string[]): Promise<{ id: string; name: string; timezone: string; groupId: string }[]> {
    if (groupIds.length === 0) return [];
    return sqlRows<{ id: string; name: string; timezone: string; groupId: string }>(
      this.homes.manager,
      `SELECT id, name, timezone, "groupId" FROM home WHERE "groupId" IN (${placeholders(groupIds.length)}) ORDER BY name, id`,
      [...groupIds],
    );
  }

  /** The groups a user reaches (admins every one), by name, with how many homes each holds. */
  async groupsFor(user: Pick<SessionUser, 'role' | 'groupIds'>): Promise<GroupView[]> {
    if (user.role !== 'admin' && (user.groupIds ?? []).length === 0) return [];
    const qb = this.groups.createQueryBuilder('g')
      .leftJoin(Home, 'h', 'h.groupId = g.id')
      .select(['g.id AS "id"', 'g.name AS "name"', 'g.reachedThreshold AS "reachedThreshold"', 'COUNT(h.id) AS "homeCount"'])
      .groupBy('g.id').addGroupBy('g.name').addGroupBy('g.reachedThreshold')
      .orderBy('g.name', 'ASC');
    if (user.role !== 'admin') qb.where('g.id IN (:...groupIds)', { groupIds: user.groupIds });
    const rows = await qb.getRawMany<{ id: string; name: string; reachedThreshold: number | string | null; homeCount: number | string }>();
    return rows.map(toGroupView);
  }

  /** One group the user reaches, with its homes by name; another group is not found. */
  async group(user: Pick<SessionUser, 'role' | 'groupIds'>, id: string): Promise<{ group: GroupView; homes: { id: string; name: string; timezone: string }[] }> {
    if (!canSeeGroup(user, id)) throw new NotFoundError();
    const group = await this.groups.findOneBy({ id });
    if (!group) throw new NotFoundError();
    const homes = await this.homesOfGroups([id]);
    return { group: { id: group.id, name: group.name, reachedThreshold: group.reachedThreshold, homeCount: homes.length }, homes };
  }

  /** Every group's id and name, for the home form's choice and the accounts pages. */
  async groupChoices(): Promise<{ id: string; name: string }[]> {
    return (await this.groups.find({ select: { id: true, name: true }, order: { name: 'ASC' } })).map((g) => ({ id: g.id, name: g.name }));
  }

  /** Whether every one of these ids is a group (an account's groups). */
  async groupsExist(groupIds: readonly string[], manager: EntityManager = this.groups.manager): Promise<boolean> {
    const unique = [...new Set(groupIds)];
    return unique.length === 0 || (await manager.countBy(HomeGroup, { id: In(unique) })) === unique.length;
  }

  /** A new group (admins only, the controller says). */
  async createGroup(user: SessionUser | null, input: GroupSettingsDto, manager?: EntityManager): Promise<GroupView> {
    const work = async (m: EntityManager) => {
      if (await m.existsBy(HomeGroup, { name: input.name })) throw new ValidationError({ name: { key: 'groups.nameTaken' } });
      const group = m.create(HomeGroup, { name: input.name, reachedThreshold: input.reachedThreshold ?? null });
      await m.insert(HomeGroup, group);
      await this.audit.record(m, { action: 'create', userId: user?.id, role: user?.role, entityType: 'home_group', entityId: group.id, changes: diffFields({}, group, GROUP_FIELDS) });
      return { id: group.id, name: group.name, reachedThreshold: group.reachedThreshold, homeCount: 0 };
    };
    return manager ? work(manager) : this.unitOfWork.transaction(work);
  }

  /** A group's settings: its name and threshold; by an admin, or a group manager of that group (their one write). */
  async updateGroup(user: SessionUser, id: string, input: GroupSettingsDto): Promise<void> {
    if (!canSeeGroup(user, id)) throw new NotFoundError();
    await this.unitOfWork.transaction(async (m) => {
      const group = await m.findOneBy(HomeGroup, { id });
      if (!group) throw new NotFoundError();
      const clash = await m.findOneBy(HomeGroup, { name: input.name });
      if (clash && clash.id !== id) throw new ValidationError({ name: { key: 'groups.nameTaken' } });
      const next = { name: input.name, reachedThreshold: input.reachedThreshold ?? null };
      await m.update(HomeGroup, { id }, next);
      await this.audit.record(m, { action: 'update', userId: user.id, role: user.role, entityType: 'home_group', entityId: id, changes: diffFields(group, next, GROUP_FIELDS) });
    });
  }

  private async checkGroup(m: EntityManager, groupId: string | null | undefined): Promise<void> {
    if (groupId && !(await m.existsBy(HomeGroup, { id: groupId }))) throw new ValidationError({ groupId: { key: 'groups.unknown' } });
  }

  private checkTimezone(timezone: string): void {
    if (!isValidTimezone(timezone)) throw new ValidationError({ timezone: { key: 'homes.badTimezone' } });
  }
}

function toHomeView(home: Home): HomeView {
  return {
    id: home.id, name: home.name, slug: home.slug, timezone: home.timezone, locale: home.locale, address: home.address, country: home.country, groupId: home.groupId ?? null,
  };
}

function toGroupView(row: { id: string; name: string; reachedThreshold: number | string | null; homeCount: number | string }): GroupView {
  return { id: row.id, name: row.name, reachedThreshold: row.reachedThreshold === null ? null : Number(row.reachedThreshold), homeCount: Number(row.homeCount) };
}
