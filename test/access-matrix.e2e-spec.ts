import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Activity } from '../src/activities/entities/activity.entity';
import { EmailChange } from '../src/auth/entities/email-change.entity';
import { PasswordReset } from '../src/auth/entities/password-reset.entity';
import { hashToken, InvitationsService } from '../src/auth/invitations.service';
import { AuditEntry } from '../src/audit/entities/audit-entry.entity';
import { translate } from '../src/common/i18n/i18n';
import { Contribution } from '../src/contributions/entities/contribution.entity';
import { UnitOfWork } from '../src/database/unit-of-work';
import type { FamilyMember } from '../src/families/entities/family-member.entity';
import { Notification } from '../src/notifications/entities/notification.entity';
import { NotificationsService } from '../src/notifications/notifications.service';
import { MailService } from '../src/mail/mail.service';
import type { FamilyLink } from '../src/residents/entities/family-link.entity';
import { Resident } from '../src/residents/entities/resident.entity';
import { ResidentPhotos } from '../src/residents/resident-photos';
import { processImage } from '../src/common/images/image-pipeline';
import { NewsPost } from '../src/photos/entities/news-post.entity';
import { PhotoTag } from '../src/photos/entities/photo-tag.entity';
import { Photo } from '../src/photos/entities/photo.entity';
import { PhotoFiles } from '../src/photos/photo-files';
import { HomesService } from '../src/homes/homes.service';
import { IssuedReportsService } from '../src/reports/issued-reports.service';
import { StaffPin } from '../src/ward-devices/entities/staff-pin.entity';
import { WardDevice } from '../src/ward-devices/entities/ward-device.entity';
import { ACCESS_POLICY, Outcome, policyLineFor, ROLES, PolicyRole, VISITORS, Visitor } from './support/access-policy';
import { createActivity } from './support/activity-factories';
import { createGroup, createHome, createUser, TestUser } from './support/factories';
import { createFamilyLink, createFamilyMember } from './support/family-factories';
import { Agent, formToken, signIn } from './support/http';
import { createStaffMember, createVolunteer } from './support/people-factories';
import { createPlan } from './support/plan-factories';
import { createRelative, createResident } from './support/resident-factories';
import { appRoutes } from './support/routes';
import { createTestApp, TestApp } from './support/test-app';
import { createHelpOffer, createSuggestion, sessionUserOf } from './support/voice-factories';

/**
 * The route x role x home (x relative) matrix of SPEC 7, against the declared policy in
 * test/support/access-policy.ts. Every route the router serves must be declared; each declared cell
 * is tried with real records of the user's own home, of another home and, for `'own'` cells, of
 * someone else in the same home.
 */

/** Which record a request names: the user's own (or their home's), someone else's in the same home, or another home's. */
type Variant = 'own' | 'unrelated' | 'otherHome';

/** The records a path's parameters are filled from. */
interface Targets {
  homeId: string;
  resident: Resident;
  /** A resident who left long ago, past the retention period: the retention review lists them. */
  pastRetentionId: string;
  activity: Activity;
  planId: string;
  /** A draft version of the resident's plan: only a draft can be edited or agreed. */
  draftPlanId: string;
  familyMember: FamilyMember;
  link: FamilyLink;
  volunteerId: string;
  staffMemberId: string;
  activityTypeId: string;
  suggestionId: string;
  contributionId: string;
  programmeContributionId: string;
  /** A ward tablet of the home, and a carer of the home with a PIN (ward-devices routes). */
  deviceId: string;
  pinUserId: string;
  /** A photo of the activity with the resident tagged, and a news post of the home. */
  photoId: string;
  newsPostId: string;
}

interface HomeWorld {
  homeId: string;
  /** A resident linked to the family account, on an activity the volunteer account is confirmed to help with. */
  related: Targets;
  /** Records of the same home with no tie to the family or volunteer accounts. */
  unrelated: Targets;
  /** The home's relative and volunteer whose accounts (home A) or person records (home B) own things. */
  familyMemberId: string;
  volunteerId: string;
  otherFamilyMemberId: string;
  otherVolunteerId: string;
}

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Routes whose success ends the session: each allowed try signs a throwaway session in. */
const ENDS_SESSION = new Set(['POST /logout', 'POST /api/auth/logout', 'POST /ward/lock']);

/** Query strings a route needs to reach its access check; `:homeId` is the home tried. */
const QUERIES: Record<string, string> = {
  'GET /reports/quarterly': '?homeId=:homeId&quarter=2026-Q3',
  'GET /reports/quarterly.pdf': '?homeId=:homeId&quarter=2026-Q3',
  'GET /reports/quarterly-without-names.pdf': '?homeId=:homeId&quarter=2026-Q3',
  'GET /reports/quarterly.csv': '?homeId=:homeId&quarter=2026-Q3&table=figures',
  'GET /reports/issued.pdf': '?homeId=:homeId&quarter=2026-Q3&version=1',
  'GET /api/activities': `?date=${new Date().toISOString().slice(0, 10)}`,
};

/** Valid bodies, so that a refusal for another home's record is the service's 404 and not a validation answer. */
const BODIES: Record<string, (tg: Targets) => Record<string, unknown>> = {
  'PUT /api/activities/:id/participation': (tg) => ({ entries: [{ residentId: tg.resident.id, engagement: 'active' }] }),
  'POST /api/activities/:id/contributions': (tg) => ({ minutes: 30, phase: 'co_delivery', actorType: 'staff', personId: tg.staffMemberId }),
  'POST /contributions/:id': () => ({ minutes: '45' }),
  'POST /accounts/:id/role': () => ({ role: 'coordinator' }),
  'POST /admin/mail/test': () => ({ to: 'matrix@example.test' }),
  'POST /photos/settings': (tg) => ({ homeId: tg.homeId }),
  'POST /news': () => ({ body: 'The garden is open again.' }),
  'POST /inbox/suggestions/:id': () => ({ status: 'declined', response: 'Not this season, thank you.' }),
  'POST /reports/issued': (tg) => ({ homeId: tg.homeId, quarter: '2026-Q3' }),
  'POST /data-protection/retention/keep': (tg) => ({ subjectType: 'resident', subjectId: tg.pastRetentionId, reason: 'An insurance claim is still open' }),
  'POST /groups/:id/settings': () => ({ name: `Group ${Math.random().toString(36).slice(2, 8)}`, reachedThreshold: '50' }),
  // Where writing is narrower than reading (a form refused is shown again to whoever may read it), a valid body reaches the write rule.
  'POST /activities/:id/log': (tg) => ({ residentId: tg.resident.id, engagement: 'active' }),
  'POST /activities/:id/log/residents': (tg) => ({ residentId: tg.resident.id }),
  'POST /activities/:id/contributions': (tg) => ({ minutes: '30', phase: 'co_delivery', actorType: 'staff', personId: tg.staffMemberId }),
  'POST /residents/:id/messages': () => ({ body: 'How was the choir today?' }),
  'POST /portal/residents/:id/messages': () => ({ body: 'How was the choir today?' }),
  'POST /api/residents/:id/messages': () => ({ body: 'How was the choir today?' }),
  'POST /residents/:id/voice/suggestions': () => ({ kind: 'activity_idea', title: 'Bocce in the garden', body: 'She played every Sunday.' }),
  'POST /residents/:id/voice/feedback': () => ({ rating: '4', comment: 'Enjoyed it' }),
  'POST /residents/:id/voice/check-in': () => ({ doingThings: '3', people: '3', choice: '4' }),
  'POST /portal/residents/:id/suggestions': () => ({ kind: 'activity_idea', title: 'Bocce in the garden', body: 'She played every Sunday.' }),
  'POST /portal/residents/:id/feedback': () => ({ rating: '4', comment: 'She enjoyed it' }),
  'POST /portal/residents/:id/check-in': () => ({ doingThings: '3', people: '3', choice: '4' }),
  'POST /volunteer/feedback': () => ({ rating: '4', comment: 'A good afternoon' }),
  'POST /ward/pin/:userId': () => ({ pin: '482915' }),
  'POST /api/ward/pin': (tg) => ({ userId: tg.pinUserId, pin: '482915' }),
};

describe('ASVS 5.0 V8.2.1, V8.2.2 and V8.4.1: access matrix (SPEC 1 and 7), every route x role x home', () => {
  let t: TestApp;
  let home: HomeWorld;
  let otherHome: HomeWorld;
  const users = {} as Record<PolicyRole, TestUser>;
  const agents = {} as Record<PolicyRole, { agent: Agent; token: string }>;
  /** Each user's own notification, a bystander's in the same home, and one in the other home. */
  const notifications = {} as Record<PolicyRole | 'bystander' | 'otherHome', string>;
  let invitationToken: string;
  /** Each home's group. */
  const groupOf = new Map<string, string>();
  /** A mail in the outbox (kept: the matrix runs without an SMTP server). */
  let mailId: string;
  /** Row counts and last update of every table but sessions (and, when asked, the audit log). */
  let fingerprint: (withAudit?: boolean) => Promise<string>;

  async function buildTargets(homeId: string, withVolunteerId?: string): Promise<Targets> {
    const resident = await createResident(t, homeId);
    await t.dataSource.getRepository(Resident).update({ id: resident.id }, { photoFile: await t.get(ResidentPhotos).store({ buffer: PNG, size: PNG.length }) });
    const activity = await createActivity(t, homeId, { residentIds: [resident.id] });
    if (withVolunteerId) await createHelpOffer(t, activity, { volunteerId: withVolunteerId });
    const { plan } = await createPlan(t, resident);
    const { plan: draftPlan } = await createPlan(t, resident, { status: 'draft', agreedOn: null });
    const familyMember = await createFamilyMember(t, homeId);
    const link = await createFamilyLink(t, familyMember, resident.id);
    const staff = await createStaffMember(t, homeId);
    const pastRetention = await createResident(t, homeId, { status: 'discharged', admittedOn: '2005-01-01', leftOn: '2010-01-01' });
    return {
      homeId, resident, pastRetentionId: pastRetention.id, activity, planId: plan.id, draftPlanId: draftPlan.id, familyMember, link, volunteerId: (await createVolunteer(t, homeId)).id, staffMemberId: staff.id,
      activityTypeId: activity.activityTypeId, suggestionId: (await createSuggestion(t, homeId, { residentId: resident.id })).id,
      contributionId: await contribution(activity, staff.id), programmeContributionId: await contribution({ homeId, id: null, startsAt: new Date() }, staff.id),
      ...(await wardTargets(homeId)),
      ...(await photoTargets(homeId, activity.id, resident.id)),
    };
  }

  /** A photo (files included) of the activity with the resident tagged, and a news post. */
  async function photoTargets(homeId: string, activityId: string, residentId: string): Promise<{ photoId: string; newsPostId: string }> {
    const photoId = randomUUID();
    t.get(PhotoFiles).write(photoId, await processImage(PNG));
    await t.dataSource.getRepository(Photo).insert({ id: photoId, homeId, activityId, caption: null, width: 1, height: 1, uploadedById: null, checkedAt: new Date(), checkedBy: null });
    await t.dataSource.getRepository(PhotoTag).insert({ homeId, photoId, residentId });
    const post = await t.dataSource.getRepository(NewsPost).save({ homeId, unitId: null, body: 'News from the home', photoId: null, authorId: null });
    return { photoId, newsPostId: post.id };
  }

  /** A tablet enrolled for a unit of the home, and a carer of the home with a PIN. */
  async function wardTargets(homeId: string): Promise<{ deviceId: string; pinUserId: string }> {
    const carer = await createUser(t, { role: 'carer', homeIds: [homeId] });
    await t.dataSource.getRepository(StaffPin).insert({ userId: carer.id, pinHash: 'not-a-real-hash', failedAttempts: 0, lockedAt: null, lockedOnDeviceId: null });
    const unit = await t.get(HomesService).addUnit(null, homeId, { unitName: `Nucleo ${Math.random().toString(36).slice(2, 8)}` });
    const device = await t.dataSource.getRepository(WardDevice).save({
      homeId, unitId: unit.id, name: 'Ward tablet', secretHash: '0'.repeat(64), enrolledBy: carer.id, lastSeenAt: null, revokedAt: null, revokedBy: null, pinFailures: 0, pinFailuresSince: null,
    });
    return { deviceId: device.id, pinUserId: carer.id };
  }

  async function contribution(activity: { homeId: string; id: string | null; startsAt: Date }, staffMemberId: string): Promise<string> {
    const saved = await t.dataSource.getRepository(Contribution).save({
      homeId: activity.homeId, activityId: activity.id, date: activity.startsAt.toISOString().slice(0, 10), actorType: 'staff', staffMemberId,
      phase: 'co_delivery', minutes: 30, description: 'Set up the room', source: 'manual', recordedBy: null,
    });
    return saved.id;
  }

  /**
   * Records made for one state-changing route, so that what it changes (a discharge, an archive, a
   * cancelled activity) cannot upset the records other routes are tried on. Only what the path names is new.
   */
  async function freshTargets(world: HomeWorld, route: string): Promise<Targets> {
    const tg: Targets = { ...world.related };
    const homeId = world.homeId;
    const first = route.split(' ')[1].split('/').filter((s) => s && s !== 'api')[0];
    if (first === 'residents' || first === 'activities') {
      tg.resident = await createResident(t, homeId);
      tg.planId = (await createPlan(t, tg.resident)).plan.id;
      tg.draftPlanId = (await createPlan(t, tg.resident, { status: 'draft', agreedOn: null })).plan.id;
      tg.activity = await createActivity(t, homeId, { residentIds: [tg.resident.id] });
      tg.contributionId = await contribution(tg.activity, tg.staffMemberId);
    }
    if (first === 'families') {
      tg.familyMember = await createFamilyMember(t, homeId);
      tg.link = await createFamilyLink(t, tg.familyMember, world.unrelated.resident.id);
    }
    if (first === 'volunteers') tg.volunteerId = (await createVolunteer(t, homeId)).id;
    if (first === 'staff') tg.staffMemberId = (await createStaffMember(t, homeId)).id;
    if (first === 'activity-types') tg.activityTypeId = (await createActivity(t, homeId)).activityTypeId;
    if (first === 'inbox') tg.suggestionId = (await createSuggestion(t, homeId, { residentId: world.unrelated.resident.id })).id;
    if (first === 'contributions') tg.programmeContributionId = await contribution({ homeId, id: null, startsAt: new Date() }, tg.staffMemberId);
    if (first === 'devices') Object.assign(tg, await wardTargets(homeId));
    if (first === 'photos' || first === 'news') Object.assign(tg, await photoTargets(homeId, tg.activity.id, tg.resident.id));
    if (first === 'accounts') tg.pinUserId = (await createUser(t, { role: 'carer', homeIds: [homeId] })).id;
    return tg;
  }

  async function buildHome(homeId: string): Promise<HomeWorld> {
    const volunteer = await createVolunteer(t, homeId);
    const otherVolunteer = await createVolunteer(t, homeId);
    const related = await buildTargets(homeId, volunteer.id);
    const unrelated = await buildTargets(homeId, otherVolunteer.id);
    const otherFamily = await createFamilyMember(t, homeId);
    await createFamilyLink(t, otherFamily, unrelated.resident.id, { access: 'contribute' });
    return { homeId, related, unrelated, familyMemberId: '', volunteerId: volunteer.id, otherFamilyMemberId: otherFamily.id, otherVolunteerId: otherVolunteer.id };
  }

  async function notify(userId: string): Promise<string> {
    const service = t.get(NotificationsService);
    await t.get(UnitOfWork).transaction((m) => service.notify(m, { userIds: [userId], kind: 'test', messageKey: 'notifications.messages.helpOfferReceived', params: { name: 'Vera', title: 'Singing' }, link: '/' }));
    return (await t.dataSource.getRepository(Notification).findOneByOrFail({ userId })).id;
  }

  beforeAll(async () => {
    t = await createTestApp();
    const homeA = (await createHome(t)).id;
    const homeB = (await createHome(t)).id;
    home = await buildHome(homeA);
    otherHome = await buildHome(homeB);

    const relative = await createRelative(t, home.related.resident, { access: 'contribute' });
    home.familyMemberId = relative.familyMember.id;
    otherHome.familyMemberId = (await createRelative(t, otherHome.related.resident, { access: 'contribute' })).familyMember.id;
    users.admin = await createUser(t, { role: 'admin', homeIds: [] });
    for (const role of ['manager', 'coordinator', 'carer'] as const) users[role] = await createUser(t, { role, homeIds: [homeA] });
    users.family = relative.user;
    users.volunteer = await createUser(t, { role: 'volunteer', homeIds: [homeA], personKind: 'volunteer', personId: home.volunteerId });
    // Each home in a group of its own; the group manager leads home A's (docs/groups.md).
    for (const homeId of [homeA, homeB]) groupOf.set(homeId, (await createGroup(t, [homeId])).id);
    users.group_manager = await createUser(t, { role: 'group_manager', groupIds: [groupOf.get(homeA)!] });
    for (const role of ROLES) {
      const agent = await signIn(t, users[role].email, users[role].password);
      agents[role] = { agent, token: await formToken(agent, '/account') };
      notifications[role] = await notify(users[role].id);
    }
    notifications.bystander = await notify((await createUser(t, { role: 'carer', homeIds: [homeA] })).id);
    notifications.otherHome = await notify((await createUser(t, { role: 'manager', homeIds: [homeB] })).id);

    const issued = await t.get(InvitationsService).invite(await sessionUserOf(t, users.admin), {
      email: 'invited@example.test', displayName: 'Invited Staff', role: 'carer', homeId: homeA, personKind: 'staff', personId: home.unrelated.staffMemberId,
    });
    invitationToken = issued.path.split('/').pop()!;
    // Each home's 2026-Q3 issued once, so that version 1's PDF is there to be asked for.
    for (const homeId of [homeA, homeB]) await t.get(IssuedReportsService).issue(await sessionUserOf(t, users.admin), homeId, '2026-Q3', 'en');
    // A password-reset link and an email-change link with the same token (each table has its own), so every :token route finds its record.
    const linked = await createUser(t, { role: 'carer', homeIds: [homeA] });
    const soon = new Date(Date.now() + 60 * 60 * 1000);
    await t.dataSource.getRepository(PasswordReset).insert({ userId: linked.id, tokenHash: hashToken(invitationToken), expiresAt: soon, usedAt: null });
    await t.dataSource.getRepository(EmailChange).insert({ userId: linked.id, newEmail: 'matrix-new@example.test', tokenHash: hashToken(invitationToken), expiresAt: soon, usedAt: null, createdBy: linked.id });
    mailId = (await t.get(UnitOfWork).transaction((m) =>
      t.get(MailService).enqueue(m, { to: 'outbox@example.test', template: 'test', locale: 'en', params: { sender: 'Matrix' }, homeId: homeA }),
    )).id;

    const q = (name: string) => t.dataSource.driver.escape(name);
    const tableSql = (skip: string[]) => t.dataSource.entityMetadatas
      .filter((meta) => !skip.includes(meta.tableName))
      .map((meta) => {
        const updated = meta.updateDateColumn ? `CAST(MAX(${q(meta.updateDateColumn.databaseName)}) AS VARCHAR(64))` : 'CAST(NULL AS VARCHAR(64))';
        return `SELECT '${meta.tableName}' AS name, COUNT(*) AS n, ${updated} AS updated FROM ${q(meta.tableName)}`;
      })
      .join(' UNION ALL ');
    const everything = tableSql(['session']);
    const withoutAudit = tableSql(['session', 'audit_entry', 'audit_head']);
    fingerprint = async (withAudit = true) => JSON.stringify(await t.dataSource.query(withAudit ? everything : withoutAudit));
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  });

  it('should declare every route the router serves, and only those', () => {
    const served = [...new Set(appRoutes(t).map((r) => `${r.method} ${r.path}`))];
    const undeclared = served.filter((route) => !(route in ACCESS_POLICY));
    const stale = Object.keys(ACCESS_POLICY).filter((route) => !served.includes(route));
    const message = [
      ...(undeclared.length ? ['Routes missing from ACCESS_POLICY in test/support/access-policy.ts; add (and widen on purpose):', ...undeclared.map(policyLineFor)] : []),
      ...(stale.length ? ['ACCESS_POLICY lists routes the app no longer serves; remove:', ...stale] : []),
    ].join('\n');
    expect(message).toBe('');
  });

  it('ASVS 5.0 V3.5.1: every state-changing route refuses a request without the CSRF token, or with a wrong one, and stores nothing', async () => {
    // A signed-out visitor's token is the signed double-submit one, refused with words of its own (it may be a missing cookie).
    const csrfMessageFor = (visitor: Visitor) => translate('en', visitor === 'signed-out' ? 'errors.csrfAnonymous' : 'errors.csrf');
    const failures: string[] = [];
    const tries: { route: string; visitor: Visitor; tg: Targets; url: string; token: string | null }[] = [];
    for (const [route, cells] of Object.entries(ACCESS_POLICY)) {
      if (!UNSAFE.has(route.split(' ')[0]) || route === 'POST /api/auth/login') continue; // API sign-in: @SkipCsrf, JSON only (docs/security.md)
      // Someone the route lets through, so that the token is the only thing missing.
      // (None for a tablet's routes: the CSRF check comes before the device check, so anyone will do.)
      const visitor = VISITORS[Math.max(0, cells.findIndex((cell) => cell === 'any' || cell === 'home' || cell === 'own'))];
      const tg = await targetsFor(route, cells, 'own');
      for (const token of [null, 'f'.repeat(64)]) tries.push({ route, visitor, tg, url: await urlFor(route, visitor, 'own', tg), token });
    }
    const before = await fingerprint();
    for (const { route, visitor, tg, url, token } of tries) {
      const res = await send(route, visitor, url, tg, token);
      const csrfMessage = csrfMessageFor(visitor);
      const message = url.startsWith('/api/') ? res.body?.message : res.text.includes(csrfMessage) ? csrfMessage : res.text.slice(0, 80);
      if (res.status !== 403 || message !== csrfMessage) failures.push(`${route} as ${visitor}, token ${token ? 'wrong' : 'missing'}: ${res.status} ${message}`);
    }
    expect(failures).toEqual([]);
    expect(await fingerprint()).toBe(before);
  });

  it('ASVS 5.0 V3.5.3: no GET route changes stored data (reads audited as exports aside)', async () => {
    const changed: string[] = [];
    const audit = t.dataSource.getRepository(AuditEntry);
    const auditBefore = await audit.count();
    for (const [route, cells] of Object.entries(ACCESS_POLICY)) {
      if (!route.startsWith('GET ')) continue;
      for (const variant of ['own', 'otherHome'] as const) {
        const tg = await targetsFor(route, cells, variant);
        const url = await urlFor(route, 'admin', variant, tg);
        const before = await fingerprint(false);
        const res = await send(route, 'admin', url, tg);
        if (before !== (await fingerprint(false))) changed.push(`${url} (${res.status})`);
      }
    }
    expect(changed).toEqual([]);
    const reads = await audit.find({ order: { seq: 'ASC' }, skip: auditBefore });
    // A refusal by role is audited (access_denied): a record of the request, not a change the GET made.
    expect([...new Set(reads.map((e) => e.action))].filter((action) => action !== 'export' && action !== 'view_sensitive' && action !== 'access_denied')).toEqual([]);
    // Every GET route twice with a count of every table around each: past 30 s on PostgreSQL on a busy machine.
  }, 120_000);

  /** The records a variant names, for one role on one route. */
  async function targetsFor(route: string, outcomeCells: readonly Outcome[], variant: Variant): Promise<Targets> {
    const world = variant === 'otherHome' ? otherHome : home;
    const method = route.split(' ')[0];
    // A deletion takes its record away: every request gets one of its own, or the second role would find nothing.
    if (DELETES.has(route)) return freshTargets(world, route);
    // A state change for staff alone works on records made for this route, so it cannot upset another route's fixtures.
    if (UNSAFE.has(method) && !outcomeCells.includes('own')) return fresh(world, route);
    return variant === 'unrelated' ? world.unrelated : world.related;
  }

  /** Routes that delete the record they name. */
  const DELETES = new Set(['POST /photos/:id/delete', 'POST /news/:id/delete']);
  const freshByRoute = new Map<string, Targets>();
  async function fresh(world: HomeWorld, route: string): Promise<Targets> {
    const key = `${world.homeId} ${route}`;
    if (!freshByRoute.has(key)) freshByRoute.set(key, await freshTargets(world, route));
    return freshByRoute.get(key)!;
  }

  /** A help offer made for this one request: by the role's own person for `own`, by someone else otherwise. */
  async function offerFor(role: Visitor, variant: Variant, tg: Targets): Promise<{ offerId: string; activityId: string }> {
    const world = variant === 'otherHome' ? otherHome : home;
    // Tomorrow: a relative withdraws only offers for activities still to come.
    const activity = await createActivity(t, world.homeId, { residentIds: [tg.resident.id], startsAt: new Date(Date.now() + 24 * 60 * 60 * 1000) });
    const mine = variant !== 'unrelated';
    const person = role === 'family'
      ? { familyMemberId: mine ? world.familyMemberId : world.otherFamilyMemberId }
      : { volunteerId: mine ? world.volunteerId : world.otherVolunteerId };
    const offer = await createHelpOffer(t, activity, person, role === 'family' ? 'offered' : 'confirmed');
    return { offerId: offer.id, activityId: activity.id };
  }

  function notificationFor(role: Visitor, variant: Variant): string {
    if (variant === 'otherHome') return notifications.otherHome;
    if (variant === 'unrelated' || role === 'signed-out') return notifications.bystander;
    return notifications[role];
  }

  async function urlFor(route: string, role: Visitor, variant: Variant, tg: Targets): Promise<string> {
    const path = route.slice(route.indexOf(' ') + 1);
    const first = path.split('/').filter((s) => s && s !== 'api' && s !== 'portal' && s !== 'admin')[0];
    let activityId = tg.activity.id;
    let offerId = '';
    if (path.includes(':offerId')) ({ offerId, activityId } = await offerFor(role, variant, tg));
    const ids: Record<string, string> = {
      homes: tg.homeId, residents: tg.resident.id, activities: activityId, families: tg.familyMember.id, volunteers: tg.volunteerId, staff: tg.staffMemberId,
      'activity-types': tg.activityTypeId, inbox: tg.suggestionId, notifications: notificationFor(role, variant), contributions: tg.programmeContributionId,
      devices: tg.deviceId, mail: mailId, photos: tg.photoId, news: tg.newsPostId, groups: groupOf.get(tg.homeId)!,
      // A carer's account of the home.
      accounts: tg.pinUserId,
    };
    const filled = path
      .replace(':token', invitationToken)
      .replace(':planId', /:planId\/(edit|agree)/.test(path) ? tg.draftPlanId : tg.planId)
      .replace(':linkId', tg.link.id)
      .replace(':offerId', offerId)
      .replace(':residentId', tg.resident.id)
      .replace(':contributionId', tg.contributionId)
      .replace(':userId', tg.pinUserId)
      .replace(':size', 'thumb')
      .replace(':id', ids[first] ?? 'no-record-for-this-path');
    return filled + (QUERIES[route] ?? '').replace(':homeId', tg.homeId);
  }

  /** One request as a browser or the tablet would send it; `csrfToken` replaces the session's token (null: none at all). */
  async function send(route: string, role: Visitor, url: string, tg: Targets, csrfToken?: string | null): Promise<request.Response> {
    const method = route.split(' ')[0].toLowerCase() as 'get' | 'post' | 'put';
    const api = url.startsWith('/api/');
    let agent: Agent = request.agent(t.server);
    let token = '';
    if (role !== 'signed-out') {
      ({ agent, token } = agents[role]);
      if (ENDS_SESSION.has(route) && csrfToken === undefined) {
        agent = await signIn(t, users[role].email, users[role].password);
        token = await formToken(agent, '/account');
      }
    } else if ((ACCESS_POLICY[route][0] === 'any' || ACCESS_POLICY[route][0] === 'tablet') && UNSAFE.has(method.toUpperCase())) {
      token = await formToken(agent);
    }
    const body = BODIES[route]?.(tg) ?? {};
    let req = agent[method](url).set('Accept', api ? 'application/json' : 'text/html');
    if (!UNSAFE.has(method.toUpperCase())) return req;
    const sent = csrfToken === undefined ? token : csrfToken;
    if (api) {
      req = req.set('Idempotency-Key', `access-${Math.random()}`);
      return (sent === null ? req : req.set('X-CSRF-Token', sent)).send(body);
    }
    return req.type('form').send(sent === null ? body : { ...body, _csrf: sent });
  }

  /** What a cell expects for one variant: allowed, or the refusal it declares. */
  function expected(outcome: Outcome, variant: Variant, hasRecord: boolean, api: boolean): 'allowed' | 401 | 403 | 404 | 'signin' {
    if (outcome === 'signin') return 'signin';
    // No device cookie: the API's 401 reads as 'signin' (observed), a page's as 401.
    if (outcome === 'tablet') return api ? 'signin' : 401;
    if (outcome === 403 || outcome === 404) return outcome;
    if (outcome === 'any' || !hasRecord) return 'allowed';
    if (outcome === 'home') return variant === 'otherHome' ? 404 : 'allowed';
    return variant === 'own' ? 'allowed' : 404;
  }

  function observed(res: request.Response, unsafe: boolean, api: boolean): 'allowed' | number | 'signin' {
    const location: string | undefined = res.headers.location;
    if (res.status === 303 && location?.startsWith('/login') && !location.includes('signedOut') && !api) return 'signin';
    if (res.status === 401 && api) return 'signin';
    if ([401, 403, 404].includes(res.status) || res.status >= 500) return res.status;
    if (res.status < 400 || (unsafe && [400, 409, 422].includes(res.status))) return 'allowed';
    return res.status;
  }

  const ordered = Object.entries(ACCESS_POLICY).sort(([a], [b]) => Number(a.startsWith('POST') || a.startsWith('PUT')) - Number(b.startsWith('POST') || b.startsWith('PUT')));
  for (const [route, cells] of ordered) {
    it(`${route}`, async () => {
      const unsafe = UNSAFE.has(route.split(' ')[0]);
      const hasRecord = /:(?!token)/.test(route);
      // Refusals first, so an allowed state change cannot hide a refused one; records made before any request.
      const tries = await Promise.all(VISITORS.flatMap((visitor, i) => {
        const outcome = cells[i];
        // A refusal by sign-in or role comes from the guards, before any record is read: one record is enough.
        const variants: Variant[] = !hasRecord || outcome === 'signin' || outcome === 403 || outcome === 'tablet' ? ['own'] : outcome === 'own' ? ['own', 'unrelated', 'otherHome'] : ['own', 'otherHome'];
        return variants.map((variant) => ({ visitor, outcome, variant, want: expected(outcome, variant, hasRecord, route.includes(' /api/')) }));
      })
        .sort((a, b) => Number(a.want === 'allowed') - Number(b.want === 'allowed'))
        .map(async (cell) => {
          const tg = await targetsFor(route, cells, cell.variant);
          return { ...cell, tg, url: await urlFor(route, cell.visitor, cell.variant, tg) };
        }));
      const mismatches: string[] = [];
      const refused: string[] = [];
      // Every table as it was before the refusals and after them: a refused request stores nothing but
      // the audit log's record of a refusal by role (access_denied).
      const audit = t.dataSource.getRepository(AuditEntry);
      let before = unsafe ? await fingerprint(false) : null;
      let auditBefore = await audit.count();
      const checkNothingStored = async () => {
        if (before !== null && before !== (await fingerprint(false))) mismatches.push(`refused, yet something was stored, by one of: ${refused.join('; ')}`);
        if (before !== null) {
          const written = (await audit.find({ order: { seq: 'ASC' }, skip: auditBefore })).filter((e) => e.action !== 'access_denied');
          if (written.length > 0) mismatches.push(`refused, yet audited as ${written.map((e) => e.action).join(', ')}, by one of: ${refused.join('; ')}`);
        }
        before = null;
        auditBefore = await audit.count();
      };
      for (const { visitor, outcome, variant, want, tg, url } of tries) {
        if (want === 'allowed') await checkNothingStored();
        const res = await send(route, visitor, url, tg);
        const got = observed(res, unsafe, url.startsWith('/api/'));
        const label = `${visitor} (${outcome}) on ${variant === 'own' ? 'own home' : variant === 'unrelated' ? 'someone else\'s record, same home' : 'other home'}: ${url}`;
        if (got !== want) mismatches.push(`${label}: expected ${want}, got ${res.status}${res.headers.location ? ` -> ${res.headers.location}` : ''}`);
        else if (want !== 'allowed') refused.push(`${label} (${res.status})`);
        // WCAG 2.4.2: every page is titled by what it is, not by the product's name alone.
        if (res.status === 200 && String(res.headers['content-type']).startsWith('text/html') && /<title>Insieme<\/title>/.test(res.text)) {
          mismatches.push(`${label}: the page's title is "Insieme" alone`);
        }
      }
      await checkNothingStored();
      expect(mismatches).toEqual([]);
    });
  }
});
