import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { Participation } from '../src/activities/entities/participation.entity';
import { AuditService } from '../src/audit/audit.service';
import { translate } from '../src/common/i18n/i18n';
import { AuditEntry } from '../src/audit/entities/audit-entry.entity';
import { User } from '../src/auth/entities/user.entity';
import { IdempotencyKey } from '../src/common/idempotency/idempotency-key.entity';
import { Contribution } from '../src/contributions/entities/contribution.entity';
import { ERASED_PERSON } from '../src/data-protection/erasure.service';
import { RetentionService } from '../src/data-protection/retention.service';
import { SubjectAccessExport } from '../src/data-protection/subject-access.service';
import { UnitOfWork } from '../src/database/unit-of-work';
import { FamilyMember } from '../src/families/entities/family-member.entity';
import { HomeView } from '../src/homes/homes.service';
import { Notification } from '../src/notifications/entities/notification.entity';
import { ActivityPlan } from '../src/plans/entities/activity-plan.entity';
import { PlanGoal } from '../src/plans/entities/plan-goal.entity';
import { PlanReview } from '../src/plans/entities/plan-review.entity';
import { ReportService } from '../src/reports/report.service';
import { IssuedReportsService, IssuedVersion } from '../src/reports/issued-reports.service';
import { IssuedReport } from '../src/reports/entities/issued-report.entity';
import { FamilyLink } from '../src/residents/entities/family-link.entity';
import { Resident } from '../src/residents/entities/resident.entity';
import { Feedback } from '../src/voice/entities/feedback.entity';
import { Suggestion } from '../src/voice/entities/suggestion.entity';
import { WellbeingCheckIn } from '../src/voice/entities/wellbeing-check-in.entity';
import { Volunteer } from '../src/volunteers/entities/volunteer.entity';
import { createActivity } from './support/activity-factories';
import { createHome, createUser, TestUser } from './support/factories';
import { Agent, csrfFrom, formToken, signIn } from './support/http';
import { binary, buildReportScenario, pdfText, ReportScenario } from './support/report-fixtures';
import { sessionUserOf } from './support/voice-factories';
import { createRelative, createResident } from './support/resident-factories';
import { createTestApp, TestApp } from './support/test-app';

const NOW = new Date('2026-11-28T12:00:00Z');
/** What identifies Carla Conti (the scenario's R3, discharged in July 2026): none of it may survive erasure outside the audit log. */
const IDENTITY = ['Carla', 'Conti', '1931-02-17'];

/** The report's figures without names, with per-resident rows in a fixed order: what erasure must leave alone. */
function figuresOf(report: unknown): unknown {
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) {
      const items = value.map(strip);
      return items.every((i) => i && typeof i === 'object' && 'residentId' in (i as object))
        ? [...items].sort((a, b) => String((a as { residentId: string }).residentId).localeCompare(String((b as { residentId: string }).residentId)))
        : items;
    }
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'name' && key !== 'generatedAt').map(([key, v]) => [key, strip(v)]));
    }
    return value;
  };
  return strip(JSON.parse(JSON.stringify(report)));
}

describe('Data protection: subject access, erasure, retention', () => {
  let t: TestApp;
  let home: HomeView;
  let otherHome: HomeView;
  let scenario: ReportScenario;
  let carla: Resident;
  let current: Resident;
  let stranger: Resident;
  let relative: Awaited<ReturnType<typeof createRelative>>;
  let photoPath: string;
  const users: Record<string, TestUser> = {};
  const agents: Record<string, Agent> = {};

  beforeAll(async () => {
    t = await createTestApp();
    home = await createHome(t, { name: 'Casa Girasole', slug: 'casa-girasole' });
    otherHome = await createHome(t, { name: 'Villa Altrove', slug: 'villa-altrove' });
    scenario = await buildReportScenario(t, home.id, otherHome.id);
    carla = scenario.residents.r3;
    current = scenario.residents.r1;
    stranger = await createResident(t, otherHome.id, { firstName: 'Ettore', lastName: 'Estranei' });

    users.manager = await createUser(t, { role: 'manager', homeIds: [home.id], displayName: 'Laura Bertolini' });
    users.admin = await createUser(t, { role: 'admin', displayName: 'Dora Admin' });
    users.coordinator = await createUser(t, { role: 'coordinator', homeIds: [home.id] });
    users.carer = await createUser(t, { role: 'carer', homeIds: [home.id] });
    users.volunteer = await createUser(t, { role: 'volunteer', homeIds: [home.id] });
    users.otherManager = await createUser(t, { role: 'manager', homeIds: [otherHome.id] });
    relative = await createRelative(t, carla, { relationship: 'daughter' });
    users.family = relative.user;
    for (const [role, user] of Object.entries(users)) agents[role] = await signIn(t, user.email, user.password);

    // Everything a home would know about Carla, in every place the app keeps text about a resident.
    const ds = t.dataSource;
    photoPath = join(t.config.uploadsDir, 'photos', '0b5e7d1c-93a4-4c55-9a55-7f0e2d7a1c11.jpg');
    mkdirSync(join(t.config.uploadsDir, 'photos'), { recursive: true });
    writeFileSync(photoPath, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0, 0xff, 0xd9]));
    await ds.getRepository(Resident).update({ id: carla.id }, {
      preferredName: 'Carlina', dateOfBirth: '1931-02-17', room: 'Rosa 12', aboutMe: 'Ran the Conti bakery in Modena for fifty years.',
      dislikes: 'Being called Signora Conti', communicationTips: 'Call her Carlina', mobilityNotes: 'Carla walks with a stick',
      photoFile: '0b5e7d1c-93a4-4c55-9a55-7f0e2d7a1c11.jpg', interests: ['baking', 'conti family recipes'],
    });
    await ds.getRepository(Participation).update({ residentId: carla.id }, { staffNote: 'Carla Conti was tired after lunch', familyNote: 'Carla sang every verse' });
    const plan = await ds.getRepository(ActivityPlan).findOneByOrFail({ residentId: carla.id });
    await ds.getRepository(ActivityPlan).update({ id: plan.id }, { whatMattersToMe: 'Baking for the Conti grandchildren' });
    await ds.getRepository(PlanGoal).update({ planId: plan.id }, { description: 'Bake Conti biscuits with Carla\'s recipe' });
    await ds.getRepository(PlanReview).update({ planId: plan.id }, { notes: 'Carla was proud of the biscuits', familyMemberIds: [relative.familyMember.id] });
    await ds.getRepository(WellbeingCheckIn).update({ residentId: carla.id }, { comment: 'Carla seems happier' });
    await ds.getRepository(Suggestion).insert([
      {
        homeId: home.id, residentId: carla.id, authorType: 'family', authorResidentId: null, authorFamilyMemberId: relative.familyMember.id, authorVolunteerId: null,
        authorStaffMemberId: null, recordedBy: null, kind: 'life_story', title: 'Carla Conti and the bakery', body: 'Mum ran the Conti bakery', status: 'new',
        response: null, respondedBy: null, respondedAt: null, linkedActivityTypeId: null, linkedActivityId: null, lifeStoryAppliedAt: null, createdAt: new Date('2026-07-03T10:00:00Z'),
      },
      {
        homeId: home.id, residentId: null, authorType: 'resident', authorResidentId: carla.id, authorFamilyMemberId: null, authorVolunteerId: null,
        authorStaffMemberId: null, recordedBy: null, kind: 'activity_idea', title: 'Carla asks for a bread-making morning', body: 'As in the Conti bakery', status: 'accepted',
        response: 'Yes, Carla', respondedBy: null, respondedAt: new Date('2026-07-06T10:00:00Z'), linkedActivityTypeId: null, linkedActivityId: null, lifeStoryAppliedAt: null,
        createdAt: new Date('2026-07-04T10:00:00Z'),
      },
    ] as Suggestion[]);
    await ds.getRepository(Feedback).insert({
      homeId: home.id, activityId: null, rating: 5, comment: 'Carla Conti loved the music', authorType: 'resident', authorResidentId: carla.id, authorFamilyMemberId: null,
      authorVolunteerId: null, authorStaffMemberId: null, recordedBy: null, createdAt: new Date('2026-07-12T10:00:00Z'),
    } as Feedback);
    await ds.getRepository(Contribution).insert({
      homeId: home.id, activityId: null, date: '2026-07-12', actorType: 'resident', residentId: carla.id, familyMemberId: null, volunteerId: null, staffMemberId: null,
      phase: 'co_commissioning', minutes: 25, description: 'Carla chose the songs', source: 'manual', sourceId: null, recordedBy: null,
    } as Contribution);
    // Her name in passing, in the home's shared text: an activity's title and another resident's life story.
    await createActivity(t, home.id, { title: 'Carla Conti\'s 95th birthday tea', startsAt: new Date('2026-12-05T15:00:00Z') });
    await ds.getRepository(Resident).update({ id: scenario.residents.r1.id }, { aboutMe: 'Best friends with Carlina Conti since school' });
    await ds.getRepository(Notification).insert({
      userId: users.manager.id, homeId: home.id, kind: 'suggestion', messageKey: 'notifications.messages.newSuggestion.activity_idea',
      params: { name: 'Carlina Conti', title: 'Carla asks for a bread-making morning' }, link: '/inbox', readAt: null,
    });
    await ds.getRepository(IdempotencyKey).insert({
      id: `${users.carer.id}:replay-1`, userId: users.carer.id, requestHash: 'x'.repeat(64), statusCode: 200,
      responseBody: JSON.stringify({ participation: [{ residentId: carla.id, staffNote: 'Carla Conti was tired after lunch' }] }), createdAt: new Date(),
    });

    // A consent change through the app, so the audit log holds an entry about her with old and new values.
    const page = await agents.manager.get(`/residents/${carla.id}`).expect(200);
    await agents.manager.post(`/residents/${carla.id}/consent`).type('form')
      .send({ _csrf: csrfFrom(page.text), consentPhotos: 'on', consentFamilyPortal: 'full', consentVolunteerProfile: 'on', consentBestInterestNote: 'Agreed with Carla and her daughter' })
      .expect(303);
  }, 60_000);

  afterAll(async () => {
    await t?.close();
  });

  describe('subject-access export', () => {
    it('should hold everything about the resident, staff notes and audit trail included, when a manager downloads the JSON', async () => {
      const res = await agents.manager.get(`/residents/${carla.id}/data-export.json`).expect(200);

      expect(res.headers['content-type']).toMatch(/application\/json/);
      expect(res.headers['cache-control']).toContain('no-store');
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="insieme-subject-access-[0-9a-f]{8}-\d{4}-\d{2}-\d{2}\.json"$/);
      expect(res.headers['content-disposition']).not.toContain('Conti');
      const data = JSON.parse(res.text) as SubjectAccessExport;
      expect(data.format).toBe('insieme-subject-access/1');
      expect(data.meta).toMatchObject({ residentId: carla.id, homeId: home.id, homeName: 'Casa Girasole', generatedBy: 'Laura Bertolini' });
      expect(data.resident).toMatchObject({
        firstName: 'Carla', lastName: 'Conti', preferredName: 'Carlina', dateOfBirth: '1931-02-17', room: 'Rosa 12', status: 'discharged',
        admittedOn: '2024-05-05', leftOn: '2026-07-21', aboutMe: 'Ran the Conti bakery in Modena for fifty years.', erasedAt: null,
      });
      expect(data.photo).toEqual({ held: true });
      expect(JSON.stringify(data)).not.toContain('0b5e7d1c');
      expect(data.consent).toMatchObject({ photos: true, familyPortal: 'full', volunteerProfile: true, bestInterestNote: 'Agreed with Carla and her daughter', recordedBy: 'Laura Bertolini' });
      expect(data.consent.recordedAt).toEqual(expect.any(String));
      expect(data.familyLinks).toEqual([expect.objectContaining({ familyMember: `${relative.familyMember.firstName} Bianchi`, relationship: 'daughter', active: true })]);
      expect(data.plans).toHaveLength(1);
      expect(data.plans[0]).toMatchObject({ version: 1, status: 'agreed', whatMattersToMe: 'Baking for the Conti grandchildren', agreedOn: '2025-12-01' });
      expect(data.plans[0].goals).toEqual([expect.objectContaining({ description: 'Bake Conti biscuits with Carla\'s recipe', targetPerWeek: 2, status: 'active' })]);
      expect(data.plans[0].reviews).toEqual([expect.objectContaining({
        reviewedOn: '2026-06-20', residentTookPart: true, notes: 'Carla was proud of the biscuits', scores: [{ goal: 'Bake Conti biscuits with Carla\'s recipe', score: -2 }],
      })]);
      // The scenario logs R3 at six activities (Q2 and Q3), with engagement as recorded.
      expect(data.participation).toHaveLength(6);
      expect(data.participation.map((p) => p.engagement).sort()).toEqual(['active', 'active', 'declined', 'disengaged', 'disengaged', 'passive']);
      expect(data.participation[0]).toMatchObject({ staffNote: 'Carla Conti was tired after lunch', familyNote: 'Carla sang every verse' });
      expect(data.contributions).toEqual([expect.objectContaining({ date: '2026-07-12', phase: 'co_commissioning', minutes: 25, description: 'Carla chose the songs', activity: null })]);
      expect(data.suggestions.map((s) => [s.relation, s.title]).sort()).toEqual([
        ['about_resident', 'Carla Conti and the bakery'], ['by_resident', 'Carla asks for a bread-making morning'],
      ]);
      expect(data.feedback).toEqual([expect.objectContaining({ rating: 5, comment: 'Carla Conti loved the music' })]);
      expect(data.checkIns.map((c) => [c.quarter, c.perspective, c.doingThings, c.people, c.choice]).sort()).toEqual([
        ['2026-Q2', 'family', 2, 4, 3], ['2026-Q2', 'staff', 1, 1, 1], ['2026-Q3', 'resident', 3, 2, 2],
      ]);
      const consentEntry = data.audit.find((e) => e.entityType === 'resident' && e.action === 'update');
      expect(consentEntry).toMatchObject({ by: 'Laura Bertolini', role: 'manager' });
      expect(consentEntry!.changes).toMatchObject({ consentBestInterestNote: { old: null, new: 'Agreed with Carla and her daughter' } });
      // Nothing of other residents: R1's participation is not Carla's.
      expect(JSON.stringify(data)).not.toContain(scenario.residents.r1.id);
    });

    it('should write the download to the audit log as an export when the JSON is downloaded', async () => {
      await agents.admin.get(`/residents/${carla.id}/data-export.json`).expect(200);

      const entries = await t.dataSource.getRepository(AuditEntry).find({ where: { action: 'export', entityId: carla.id }, order: { seq: 'ASC' } });
      expect(entries.at(-1)).toMatchObject({ userId: users.admin.id, role: 'admin', entityType: 'resident', homeId: home.id, changes: { export: { old: null, new: 'subject_access_json' } } });
    });

    it('should read back the same records from the PDF when a manager downloads it', async () => {
      const res = await agents.manager.get(`/residents/${carla.id}/data-export.pdf`).buffer(true).parse(binary).expect(200);

      expect(res.headers['content-type']).toBe('application/pdf');
      const { text } = await pdfText(res.body as Buffer);
      const flat = text.replace(/\s+/g, ' ');
      for (const expected of [
        'Subject access export', 'Carla Conti', 'Carlina', 'Rosa 12', 'Ran the Conti bakery in Modena', 'Agreed with Carla and her daughter', 'daughter',
        'Version 1', 'Baking for the Conti grandchildren', 'Bake Conti biscuits', 'Carla was proud of the biscuits', '-2 much less than expected',
        'Carla Conti was tired after lunch', 'Carla sang every verse', 'Carla chose the songs', 'Carla Conti and the bakery', 'Carla Conti loved the music',
        'Carla seems happier', 'Audit trail', 'A photo is held (not included)',
      ]) expect(flat).toContain(expected);
      const audit = await t.dataSource.getRepository(AuditEntry).find({ where: { action: 'export', entityId: carla.id }, order: { seq: 'DESC' }, take: 1 });
      expect(audit[0].changes).toEqual({ export: { old: null, new: 'subject_access_pdf' } });
    });
  });

  describe('who may', () => {
    const readPaths = (id: string) => [`/residents/${id}/data-export.json`, `/residents/${id}/data-export.pdf`, `/residents/${id}/erase`];

    it.each(['coordinator', 'carer', 'volunteer', 'family'])('should refuse every data-protection page when the user is a %s', async (role) => {
      for (const path of [...readPaths(carla.id), '/data-protection']) {
        const res = await agents[role].get(path);
        expect([path, res.status]).toEqual([path, 403]);
      }
      const token = await formToken(agents[role], '/account');
      await agents[role].post(`/residents/${carla.id}/erase`).type('form').send({ _csrf: token, reason: 'A request received by post', confirm: 'on' }).expect(403);
    });

    it('should answer 404 when a manager of another home asks for the resident', async () => {
      for (const path of readPaths(carla.id)) await agents.otherManager.get(path).expect(404);
      const token = await formToken(agents.otherManager, '/account');
      await agents.otherManager.post(`/residents/${carla.id}/erase`).type('form').send({ _csrf: token, reason: 'A request received by post', confirm: 'on' }).expect(404);
    });

    it('should answer 404 when the home manager asks for a resident of another home', async () => {
      for (const path of readPaths(stranger.id)) await agents.manager.get(path).expect(404);
    });

    it('should send an anonymous visitor to sign in when no one is signed in', async () => {
      const res = await request(t.server).get(`/residents/${carla.id}/data-export.json`).expect(303);
      expect(res.headers.location).toMatch(/^\/login/);
    });

    it('should show the data-protection links on the resident page to managers only', async () => {
      const manager = await agents.manager.get(`/residents/${carla.id}`).expect(200);
      const coordinator = await agents.coordinator.get(`/residents/${carla.id}`).expect(200);

      expect(manager.text).toContain(`/residents/${carla.id}/data-export.json`);
      expect(manager.text).toContain(`/residents/${carla.id}/erase`);
      expect(coordinator.text).not.toContain('/data-export.json');
      expect(coordinator.text).not.toContain(`/residents/${carla.id}/erase`);
    });
  });

  describe('erasure form', () => {
    async function post(id: string, body: Record<string, string>) {
      const token = csrfFrom((await agents.manager.get(`/residents/${id}/erase`).expect(200)).text);
      return agents.manager.post(`/residents/${id}/erase`).type('form').send({ _csrf: token, ...body });
    }

    it('should refuse to erase a resident who still lives in the home', async () => {
      const page = await agents.manager.get(`/residents/${current.id}/erase`).expect(200);
      expect(page.text).toContain('Only the record of a resident who has left the home');
      expect(page.text).not.toContain('name="reason"');

      const res = await post(current.id, { reason: 'Request received on 3 November', confirm: 'on' });
      expect(res.status).toBe(422);
      expect(res.text).toContain('The resident still lives in the home');
      expect((await t.dataSource.getRepository(Resident).findOneByOrFail({ id: current.id })).firstName).toBe('Anna');
    });

    it('should show the error beside the box and keep the reason when the box is not ticked', async () => {
      const res = await post(carla.id, { reason: 'Request ref. DP-2026-014 of 3 November' });

      expect(res.status).toBe(422);
      expect(res.text).toMatch(/id="error-confirm">Tick the box to confirm the erasure\./);
      expect(res.text).toContain('Request ref. DP-2026-014 of 3 November</textarea>');
      expect(res.text).not.toContain('name="confirm" value="on" checked');
    });

    it('should show both errors at once when the reason names the resident and the box is not ticked', async () => {
      const res = await post(carla.id, { reason: 'Asked for by Carlina in person' });

      expect(res.status).toBe(422);
      expect(res.text).toContain('id="error-reason">Leave the resident&#x27;s name out');
      expect(res.text).toContain('id="error-confirm">Tick the box');
    });

    it.each([
      ['', 'Fill in this field.'],
      ['too short', 'Use at least 10 characters.'],
      ['Her son asked us to erase Carla\'s record', 'Leave the resident&#x27;s name out'],
    ])('should show the error beside the reason when the reason is "%s"', async (reason, message) => {
      const res = await post(carla.id, { reason, confirm: 'on' });

      expect(res.status).toBe(422);
      expect(res.text).toMatch(new RegExp(`id="error-reason">${message.replace(/[.()]/g, '\\$&')}`));
      // The tick is kept with the rest of what was sent: only the reason needs mending.
      expect(res.text).toContain('name="confirm" value="on" checked');
      expect((await t.dataSource.getRepository(Resident).findOneByOrFail({ id: carla.id })).erasedAt).toBeNull();
    });
  });

  describe('erasure', () => {
    let before: Record<string, unknown>;
    let issuedBefore: IssuedVersion;

    beforeAll(async () => {
      const reports = t.get(ReportService);
      before = {
        q3: figuresOf(await reports.quarterlyReport(home.id, '2026-Q3', { names: true, now: NOW })),
        q2: figuresOf(await reports.quarterlyReport(home.id, '2026-Q2', { names: true, now: NOW })),
      };
      expect(await agents.family.get(`/residents/${carla.id}`).then((r) => r.status)).toBe(200);
      // Q3 issued before the erasure: its copy with names names her.
      issuedBefore = await t.get(IssuedReportsService).issue(await sessionUserOf(t, users.manager), home.id, '2026-Q3', 'en');
      expect((await t.dataSource.getRepository(IssuedReport).findOneByOrFail({ id: issuedBefore.id })).model).toContain('"name":"Carla Conti"');
      const token = csrfFrom((await agents.manager.get(`/residents/${carla.id}/erase`).expect(200)).text);
      const res = await agents.manager.post(`/residents/${carla.id}/erase`).type('form')
        .send({ _csrf: token, reason: 'Request ref. DP-2026-014 received on 3 November', confirm: 'on' })
        .expect(303);
      expect(res.headers.location).toBe(`/residents/${carla.id}`);
    });

    it('should take her name out of the issued report\'s copy with names, printed again, and keep its figures, its version and the copy without names', async () => {
      const row = await t.dataSource.getRepository(IssuedReport).findOneByOrFail({ id: issuedBefore.id });
      expect(row.version).toBe(issuedBefore.version);
      expect(row.model).not.toContain('Carla');
      expect(row.model).toContain(`Ospite cancellato ${carla.id.replace(/-/g, '').slice(0, 4).toUpperCase()}`);
      // Printed again from the redacted model, in the language it was issued in.
      const { text } = await pdfText(row.pdf);
      expect(text).not.toContain('Carla');
      expect(text).toContain('Quarterly co-production report');
      expect(row.pdfWithoutNamesSha256).toBe(issuedBefore.pdfWithoutNamesSha256);
      // What the manager downloads and reads as issued is the redacted copy.
      const csv = await agents.manager.get(`/reports/quarterly.csv?homeId=${home.id}&quarter=2026-Q3&table=participation`).expect(200);
      expect(csv.text).not.toContain('Carla');
      const page = await agents.manager.get(`/reports/quarterly?homeId=${home.id}&quarter=2026-Q3`).expect(200);
      expect(page.text).not.toContain('Carla');
      const audit = await t.dataSource.getRepository(AuditEntry).findOneByOrFail({ entityType: 'issued_report', entityId: issuedBefore.id, action: 'update' });
      expect(audit.changes).toMatchObject({ redactedFor: { new: 'erasure' }, modelSha256: { old: issuedBefore.modelSha256, new: row.modelSha256 } });
    });

    it('should leave every figure of past quarterly reports as it was', async () => {
      const reports = t.get(ReportService);

      expect(figuresOf(await reports.quarterlyReport(home.id, '2026-Q3', { names: true, now: NOW }))).toEqual(before.q3);
      expect(figuresOf(await reports.quarterlyReport(home.id, '2026-Q2', { names: true, now: NOW }))).toEqual(before.q2);
    });

    it('should leave the name nowhere in the database but the audit log when every text column of every table is searched', async () => {
      const ds = t.dataSource;
      const found: Record<string, string[]> = {};
      for (const meta of ds.entityMetadatas) {
        const rows = (await ds.query(`SELECT * FROM ${ds.driver.escape(meta.tableName)}`)) as Record<string, unknown>[];
        for (const row of rows) {
          for (const [column, stored] of Object.entries(row)) {
            if (typeof stored !== 'string') continue;
            // A stored PDF (base64 text, issued reports) is searched as the words it prints: its compressed bytes
            // spell "conti" by chance now and then.
            const value = stored.startsWith('JVBERi0') ? (await pdfText(Buffer.from(stored, 'base64'))).text : stored;
            for (const needle of IDENTITY) {
              if (value.toLowerCase().includes(needle.toLowerCase())) (found[meta.tableName] ??= []).push(`${column}: ${value.slice(0, 80)}`);
            }
          }
        }
      }
      const { audit_entry: inAudit, ...elsewhere } = found;

      expect(elsewhere).toEqual({});
      // Earlier entries keep the values they recorded: the hash chain cannot be rewritten (docs/data-protection.md).
      expect(inAudit?.length).toBeGreaterThan(0);
    });

    it('should keep the resident as a placeholder with the dates and numbers the reports need', async () => {
      const r = await t.dataSource.getRepository(Resident).findOneByOrFail({ id: carla.id });

      expect(r).toMatchObject({
        // The home works in Italian (the factory's default), so the placeholder is in Italian.
        firstName: 'Ospite cancellato', lastName: carla.id.replace(/-/g, '').slice(0, 4).toUpperCase(), preferredName: null, dateOfBirth: null, room: null,
        aboutMe: null, dislikes: null, communicationTips: null, mobilityNotes: null, interests: [], photoFile: null, consentBestInterestNote: null,
        admittedOn: '2024-05-05', leftOn: '2026-07-21', status: 'discharged', consentFamilyPortal: 'none',
      });
      expect(r.erasedAt).toBeInstanceOf(Date);
      expect(await t.dataSource.getRepository(Participation).countBy({ residentId: carla.id })).toBe(6);
      expect(await t.dataSource.getRepository(Contribution).findOneByOrFail({ residentId: carla.id })).toMatchObject({ minutes: 25, description: null });
      expect(await t.dataSource.getRepository(Feedback).findOneByOrFail({ authorResidentId: carla.id })).toMatchObject({ rating: 5, comment: null });
      // A review still says a relative took part, not who: a name there says who the resident's relatives are.
      const plan = await t.dataSource.getRepository(ActivityPlan).findOneByOrFail({ residentId: carla.id });
      const reviews = await t.dataSource.getRepository(PlanReview).findBy({ planId: plan.id });
      expect(reviews.flatMap((v) => v.familyMemberIds)).toEqual(reviews.flatMap((v) => v.familyMemberIds).map(() => ERASED_PERSON));
      expect(reviews.some((v) => v.familyMemberIds.length > 0)).toBe(true);
      const planPage = await agents.manager.get(`/residents/${carla.id}/plan`).expect(200);
      expect(planPage.text).not.toContain(relative.familyMember.firstName);
      const placeholder = `Ospite cancellato ${carla.id.replace(/-/g, '').slice(0, 4).toUpperCase()}`;
      expect((await t.dataSource.getRepository(Resident).findOneByOrFail({ id: scenario.residents.r1.id })).aboutMe).toBe(`Best friends with ${placeholder} since school`);
    });

    it('should delete the photo file and the family links but keep the relative and their account', async () => {
      expect(existsSync(photoPath)).toBe(false);
      expect(await t.dataSource.getRepository(FamilyLink).countBy({ residentId: carla.id })).toBe(0);
      expect(await t.dataSource.getRepository(FamilyMember).existsBy({ id: relative.familyMember.id })).toBe(true);
      expect(await t.dataSource.getRepository(User).existsBy({ id: users.family.id })).toBe(true);
      await agents.family.get(`/residents/${carla.id}`).expect(404);
    });

    it('should record the erasure in the audit log with the reason and counts only, and keep the chain verifiable', async () => {
      const entry = await t.dataSource.getRepository(AuditEntry).findOneByOrFail({ action: 'erase', entityId: carla.id });

      expect(entry).toMatchObject({ userId: users.manager.id, role: 'manager', entityType: 'resident', homeId: home.id });
      expect(entry.changes).toMatchObject({
        identity: { old: null, new: 'erased' },
        reason: { old: null, new: 'Request ref. DP-2026-014 received on 3 November' },
        records: { old: null, new: expect.objectContaining({ participation: 6, plans: 1, goals: 1, reviews: 1, suggestions: 2, feedback: 1, checkIns: 3, familyLinks: 1, notifications: 1, storedReplies: 1, mentionsElsewhere: 2 }) },
      });
      for (const needle of IDENTITY) expect(JSON.stringify(entry).toLowerCase()).not.toContain(needle.toLowerCase());
      expect(await t.get(AuditService).verifyChain()).toMatchObject({ ok: true });
    });

    it('should show the placeholder and no forms on the resident page, and export only what is left', async () => {
      const page = await agents.manager.get(`/residents/${carla.id}`).expect(200);
      expect(page.text).toContain('Ospite cancellato');
      expect(page.text).toContain('identity was erased on');
      expect(page.text).not.toContain(`action="/residents/${carla.id}/consent"`);
      expect(page.text).not.toContain(`href="/residents/${carla.id}/erase"`);
      // Nor a summary of a person no longer named, nor "consent not recorded yet" for consent the erasure cleared.
      expect(page.text).not.toContain(`href="/residents/${carla.id}/summary.pdf"`);
      expect(page.text).not.toContain(translate('en', 'residents.consentNeverRecorded'));

      const data = JSON.parse((await agents.manager.get(`/residents/${carla.id}/data-export.json`).expect(200)).text) as SubjectAccessExport;
      expect(data.resident).toMatchObject({ firstName: 'Ospite cancellato', dateOfBirth: null, aboutMe: null });
      expect(data.resident.erasedAt).toEqual(expect.any(String));
      expect(data.photo.held).toBe(false);
      expect(data.participation.every((p) => p.staffNote === null && p.familyNote === null)).toBe(true);
      expect(data.audit.some((e) => e.action === 'erase')).toBe(true);
      // Earlier audit entries are listed with the fields they changed, not the values they recorded.
      expect(data.audit.find((e) => e.action === 'update' && e.entityType === 'resident')!.changes).toMatchObject({ consentBestInterestNote: { old: '[erased]', new: '[erased]' } });
      for (const needle of IDENTITY) expect(JSON.stringify(data).toLowerCase()).not.toContain(needle.toLowerCase());
    });

    it('should refuse a second erasure and any new detail on the erased record', async () => {
      const page = await agents.manager.get(`/residents/${carla.id}/erase`).expect(200);
      expect(page.text).toContain('identity was erased on');

      const token = csrfFrom(page.text);
      const again = await agents.manager.post(`/residents/${carla.id}/erase`).type('form').send({ _csrf: token, reason: 'Request received twice by post', confirm: 'on' });
      expect(again.status).toBe(409);
      const consent = await agents.manager.post(`/residents/${carla.id}/consent`).type('form')
        .send({ _csrf: token, consentFamilyPortal: 'full', consentBestInterestNote: 'Something new' });
      expect(consent.status).toBe(422);
      expect((await t.dataSource.getRepository(Resident).findOneByOrFail({ id: carla.id })).consentBestInterestNote).toBeNull();
    });
  });

  describe('retention review', () => {
    let longGone: Resident;
    let recentlyLeft: Resident;
    let erasedLongAgo: Resident;

    beforeAll(async () => {
      longGone = await createResident(t, home.id, { firstName: 'Gino', lastName: 'Vecchi', admittedOn: '2010-01-01', leftOn: '2015-03-01', status: 'deceased' });
      recentlyLeft = await createResident(t, home.id, { firstName: 'Rita', lastName: 'Recenti', admittedOn: '2020-01-01', leftOn: '2025-03-01', status: 'discharged' });
      erasedLongAgo = await createResident(t, home.id, { firstName: 'Erased resident', lastName: 'AAAA', admittedOn: '2005-01-01', leftOn: '2010-03-01', status: 'discharged', erasedAt: new Date('2020-01-01T00:00:00Z') });
      await createResident(t, otherHome.id, { firstName: 'Olga', lastName: 'Lontana', admittedOn: '2005-01-01', leftOn: '2012-03-01', status: 'discharged' });
      await createResident(t, home.id, { firstName: 'Vivi', lastName: 'Presenti', admittedOn: '2005-01-01' });
      await t.dataSource.getRepository(FamilyMember).insert({ homeId: home.id, firstName: 'Aldo', lastName: 'Archiviato', email: null, phone: null, archivedAt: new Date('2014-05-01T10:00:00Z') });
      await t.dataSource.getRepository(FamilyMember).insert({ homeId: home.id, firstName: 'Nina', lastName: 'Nuova', email: null, phone: null, archivedAt: new Date('2025-05-01T10:00:00Z') });
      const volunteers = t.dataSource.getRepository(Volunteer);
      const left = volunteers.create({
        homeId: home.id, firstName: 'Vasco', lastName: 'Andato', email: null, phone: null, association: null, skills: [], availability: null, backgroundCheckReference: null,
        backgroundCheckOn: null, backgroundCheckExpiresOn: null, trainingNotes: null, startedOn: null, status: 'left',
      });
      await volunteers.insert(left);
      await volunteers.createQueryBuilder().update().set({ updatedAt: new Date('2013-06-01T10:00:00Z') }).where('id = :id', { id: left.id }).execute();
    });

    it('should list only records past the retention period, with links to export and erase, when a manager opens the page', async () => {
      const page = await agents.manager.get('/data-protection').expect(200);

      expect(page.text).toContain('kept for 8 years');
      const rows = page.text.split('class="retention-resident"').slice(1).map((row) => row.slice(0, row.indexOf('</tr>')));
      expect(rows).toHaveLength(1);
      expect(rows[0]).toContain('Gino Vecchi');
      expect(rows[0]).toContain(`href="/residents/${longGone.id}/data-export.pdf"`);
      expect(rows[0]).toContain(`href="/residents/${longGone.id}/erase"`);
      for (const absent of ['Rita Recenti', 'Olga Lontana', 'Vivi Presenti', erasedLongAgo.id, recentlyLeft.id]) expect(page.text).not.toContain(absent);
      expect(page.text).toContain('Aldo Archiviato');
      expect(page.text).not.toContain('Nina Nuova');
      expect(page.text).toContain('Vasco Andato');
      expect(await t.dataSource.getRepository(Resident).existsBy({ id: longGone.id })).toBe(true);
    });

    it('should list every home\'s records, each with its home, when an admin opens the page', async () => {
      const page = await agents.admin.get('/data-protection').expect(200);

      const rows = page.text.split('class="retention-resident"').slice(1).map((row) => row.slice(0, row.indexOf('</tr>')));
      expect(rows.map((row) => /<a href="\/residents\/[^"]+">([^<]+)<\/a>/.exec(row)?.[1])).toEqual(['Olga Lontana', 'Gino Vecchi']);
      expect(rows[0]).toContain('Villa Altrove');
    });

    it('should follow the configured number of years when the setting is shorter', async () => {
      const sut = new RetentionService(t.get(UnitOfWork), t.get(AuditService), { ...t.config, retentionYears: 1 });
      const manager = { id: users.manager.id, email: users.manager.email, displayName: 'Laura Bertolini', role: 'manager' as const, locale: 'en', personKind: null, personId: null, homeIds: [home.id], timezone: 'Europe/Rome' };

      const review = await sut.review(manager, NOW);

      expect(review).toMatchObject({ years: 1, cutoff: '2025-11-28' });
      expect(review.residents.map((r) => r.name)).toEqual(['Gino Vecchi', 'Rita Recenti']);
      expect(review.residents[1]).toMatchObject({ leftOn: '2025-03-01', dueSince: '2026-03-01' });
      expect(review.familyMembers.map((f) => f.name)).toEqual(['Aldo Archiviato', 'Nina Nuova']);
    });

    async function keep(agent: Agent, body: Record<string, string>) {
      const token = csrfFrom((await agent.get('/data-protection').expect(200)).text);
      return agent.post('/data-protection/retention/keep').type('form').send({ _csrf: token, ...body });
    }
    const rowsOf = (html: string, kind: string) => html.split(`class="${kind}"`).slice(1).map((row) => row.slice(0, row.indexOf('</tr>')));

    it('should refuse a reason too short beside that row\'s box, with what was typed, and keep nothing', async () => {
      const res = await keep(agents.manager, { subjectType: 'resident', subjectId: longGone.id, reason: 'Claim' });

      expect(res.status).toBe(422);
      const row = rowsOf(res.text, 'retention-resident').find((r) => r.includes('Gino Vecchi'))!;
      expect(row).toContain('<details class="retention-keep" open>');
      expect(row).toContain(`id="keep-error-${longGone.id}">Use at least 10 characters.`);
      expect(row).toMatch(/aria-invalid="true"[^>]*>Claim<\/textarea>/);
      // Only that row's box: the others are closed and empty.
      expect(rowsOf(res.text, 'retention-volunteer')[0]).toContain('<details class="retention-keep">');
      expect(rowsOf(res.text, 'retention-volunteer')[0]).not.toContain('Claim');
      expect((await agents.manager.get('/data-protection').expect(200)).text).toContain('No record past the retention period has been kept.');
    });

    it('should keep a record with a reason: off the review list for a year, listed as kept with why and by whom, and audited', async () => {
      const reason = 'Insurance claim DP-2026-31 still open';
      const res = await keep(agents.manager, { subjectType: 'resident', subjectId: longGone.id, reason });
      expect(res.status).toBe(303);
      const page = await agents.manager.get(String(res.headers.location).replace(/#.*/, '')).expect(200);
      const inAYear = `${Number(new Date().toISOString().slice(0, 4)) + 1}${new Date().toISOString().slice(4, 10)}`;
      const when = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${inAYear}T12:00:00Z`));
      expect(page.text).toContain(`Gino Vecchi&#x27;s record is kept. It will be listed for review again on ${when}.`);
      expect(rowsOf(page.text, 'retention-resident')).toEqual([]);
      const kept = rowsOf(page.text, 'retention-kept');
      expect(kept).toHaveLength(1);
      expect(kept[0]).toContain('Gino Vecchi');
      expect(kept[0]).toContain(reason);
      expect(kept[0]).toContain('Laura Bertolini');
      expect(kept[0]).toContain(when);

      const entry = await t.dataSource.getRepository(AuditEntry).findOneOrFail({ where: { entityType: 'resident', entityId: longGone.id, action: 'update' }, order: { seq: 'DESC' } });
      expect(entry.changes).toEqual({ keptAfterRetention: { old: null, new: inAYear }, keptBecause: { old: null, new: reason } });
      expect(entry.userId).toBe(users.manager.id);

      // A relative and a volunteer are kept the same way.
      const aldo = await t.dataSource.getRepository(FamilyMember).findOneByOrFail({ lastName: 'Archiviato' });
      expect((await keep(agents.manager, { subjectType: 'family_member', subjectId: aldo.id, reason: 'Executor of the estate asked us to wait' })).status).toBe(303);
      const after = (await agents.manager.get('/data-protection').expect(200)).text;
      expect(rowsOf(after, 'retention-family')).toEqual([]);
      expect(rowsOf(after, 'retention-kept').map((r) => /<td>([^<]+) <span/.exec(r)?.[1])).toEqual(['Gino Vecchi', 'Aldo Archiviato']);
    });

    it('should not keep a record that is not due, of another home, or that is not a record of that kind', async () => {
      const olga = await t.dataSource.getRepository(Resident).findOneByOrFail({ lastName: 'Lontana' });
      await keep(agents.manager, { subjectType: 'resident', subjectId: recentlyLeft.id, reason: 'Keep it just in case please' }).then((res) => expect(res.status).toBe(404));
      await keep(agents.manager, { subjectType: 'resident', subjectId: olga.id, reason: 'Keep it just in case please' }).then((res) => expect(res.status).toBe(404));
      await keep(agents.manager, { subjectType: 'volunteer', subjectId: recentlyLeft.id, reason: 'Keep it just in case please' }).then((res) => expect(res.status).toBe(404));
      const forged = await keep(agents.manager, { subjectType: 'staff_member', subjectId: recentlyLeft.id, reason: 'Keep it just in case please' });
      expect(forged.status).toBe(422);
      const token = await formToken(agents.coordinator, '/account');
      await agents.coordinator.post('/data-protection/retention/keep').type('form').send({ _csrf: token, subjectType: 'resident', subjectId: longGone.id, reason: 'Keep it just in case please' }).expect(403);
    });

  });
});
