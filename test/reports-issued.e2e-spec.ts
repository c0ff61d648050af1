import { createHash } from 'node:crypto';
import type request from 'supertest';
import { AuditEntry } from '../src/audit/entities/audit-entry.entity';
import { translate } from '../src/common/i18n/i18n';
import { currentQuarter } from '../src/common/time/quarter';
import { HomeView } from '../src/homes/homes.service';
import { IssuedReport } from '../src/reports/entities/issued-report.entity';
import type { QuarterlyReport } from '../src/reports/quarterly-report.model';
import { createActivity } from './support/activity-factories';
import { createHome, createUser, TestUser } from './support/factories';
import { Agent, formToken, signIn } from './support/http';
import { binary, buildReportScenario, pdfText, ReportScenario, rome } from './support/report-fixtures';
import { createRelative } from './support/resident-factories';
import { createTestApp, TestApp } from './support/test-app';
import { createParticipation } from './support/voice-factories';

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/**
 * Issue 18 item 2: a manager issues a closed quarter; reprints serve the stored PDF byte for byte
 * whatever changed in the records since, the preview and the Reports page list what changed, a
 * reissue is version 2 with version 1 kept, a running quarter cannot be issued, and each role reads
 * issued copies exactly as it reads the report now.
 */
describe('Issued quarterly reports (issue 18 item 2)', () => {
  let t: TestApp;
  let home: HomeView;
  let otherHome: HomeView;
  let scenario: ReportScenario;
  const users: Record<string, TestUser> = {};
  const agents: Record<string, Agent> = {};
  const Q3 = '2026-Q3';
  let q: string;

  async function download(agent: Agent, path: string): Promise<request.Response> {
    return agent.get(path).buffer(true).parse(binary);
  }

  async function issue(role: string, body: Record<string, string>): Promise<request.Response> {
    return agents[role].post('/reports/issued').type('form').send({ _csrf: await formToken(agents[role], '/account'), ...body });
  }

  function issuedRows(quarter = Q3, homeId = home.id): Promise<IssuedReport[]> {
    return t.dataSource.getRepository(IssuedReport).find({ where: { homeId, quarter }, order: { version: 'ASC' } });
  }

  beforeAll(async () => {
    t = await createTestApp();
    home = await createHome(t, { name: 'Casa Serena', timezone: 'Europe/Rome' });
    otherHome = await createHome(t, { name: 'Villa Altrove', timezone: 'Europe/Rome' });
    scenario = await buildReportScenario(t, home.id, otherHome.id);
    users.admin = await createUser(t, { role: 'admin', homeIds: [] });
    for (const role of ['manager', 'coordinator', 'carer'] as const) users[role] = await createUser(t, { role, homeIds: [home.id] });
    users.otherManager = await createUser(t, { role: 'manager', homeIds: [otherHome.id] });
    users.family = (await createRelative(t, scenario.residents.r1, { access: 'contribute' })).user;
    users.volunteer = await createUser(t, { role: 'volunteer', homeIds: [home.id] });
    for (const [role, user] of Object.entries(users)) agents[role] = await signIn(t, user.email, user.password);
    q = `homeId=${home.id}&quarter=${Q3}`;
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  });

  it('should refuse to issue a running quarter with 422 naming it, and store nothing', async () => {
    const running = currentQuarter('Europe/Rome');
    const res = await issue('manager', { homeId: home.id, quarter: running });
    expect(res.status).toBe(422);
    expect(res.text).toContain(translate('en', 'reports.issued.notClosed', { quarter: running }));
    expect(await issuedRows(running)).toHaveLength(0);
  });

  it('should refuse a quarter that ended before the home recorded anything (a typed 1999-Q1), naming the first day, and ask twice on the page', async () => {
    const res = await issue('manager', { homeId: home.id, quarter: '1999-Q1' });
    expect(res.status).toBe(422);
    expect(res.text).toMatch(/Nothing is recorded for this home before \d{1,2} \w+ \d{4}/);
    expect(await issuedRows('1999-Q1')).toHaveLength(0);
    // The page's issue button opens a confirmation: an issued version is kept for good.
    const page = (await agents.manager.get(`/reports/quarterly?${q}`).expect(200)).text;
    expect(page).toMatch(/<details class="confirm-step">\s*<summary class="button button-primary">Issue this quarter(&#x27;|')s report<\/summary>/);
    expect(page).toContain('Yes, issue it: it is kept for good');
  });

  it('should answer bad input with 422 naming the field, and store nothing', async () => {
    for (const body of [{ homeId: home.id, quarter: '2026-Q5' }, { homeId: 'not-a-uuid', quarter: Q3 }, { homeId: home.id, quarter: Q3, locale: 'fr' }, { homeId: home.id }]) {
      const res = await issue('manager', body as Record<string, string>);
      expect(res.status).toBe(422);
    }
    expect(await issuedRows()).toHaveLength(0);
    const res = await download(agents.manager, `/reports/issued.pdf?${q}&version=0`);
    expect(res.status).toBe(422);
    expect((await download(agents.manager, `/reports/issued.pdf?${q}&version=1&copy=everything`)).status).toBe(422);
  });

  it('should keep roles who may not download the report from issuing it', async () => {
    for (const role of ['coordinator', 'carer', 'family', 'volunteer']) expect((await issue(role, { homeId: home.id, quarter: Q3 })).status).toBe(403);
    expect((await issue('otherManager', { homeId: home.id, quarter: Q3 })).status).toBe(404);
    expect(await issuedRows()).toHaveLength(0);
  });

  describe('once issued', () => {
    let issuedPdf: Buffer;
    let issuedModel: QuarterlyReport;

    beforeAll(async () => {
      const res = await issue('manager', { homeId: home.id, quarter: Q3, locale: 'en' });
      expect(res.status).toBe(303);
      const [row] = await issuedRows();
      issuedPdf = row.pdf;
      issuedModel = JSON.parse(row.model) as QuarterlyReport;
    });

    it('should store version 1 with the model, both PDFs and the SHA-256 of each, who issued it and when, and audit it', async () => {
      const rows = await issuedRows();
      expect(rows).toHaveLength(1);
      const [row] = rows;
      expect(row).toMatchObject({ version: 1, locale: 'en', issuedBy: users.manager.id });
      expect(row.pdf.subarray(0, 5).toString()).toBe('%PDF-');
      expect(row.pdfSha256).toBe(sha256(row.pdf));
      expect(row.pdfWithoutNamesSha256).toBe(sha256(row.pdfWithoutNames));
      expect(row.modelSha256).toBe(sha256(row.model));
      expect(issuedModel.meta.withNames).toBe(true);
      expect((JSON.parse(row.modelWithoutNames) as QuarterlyReport).meta.withNames).toBe(false);
      expect(issuedModel.meta.generatedAt).toBe(row.issuedAt.toISOString());
      const { text } = await pdfText(row.pdf);
      expect(text).toContain('Casa Serena');
      const { text: anonymous } = await pdfText(row.pdfWithoutNames);
      expect(text).toContain('Giulia Galli');
      expect(anonymous).not.toContain('Giulia Galli');

      const audit = await t.dataSource.getRepository(AuditEntry).findOneByOrFail({ entityType: 'issued_report', entityId: row.id, action: 'create' });
      expect(audit).toMatchObject({ userId: users.manager.id, homeId: home.id });
      expect(audit.changes).toMatchObject({ quarter: { new: Q3 }, version: { new: 1 }, pdfSha256: { new: row.pdfSha256 } });
    });

    it('should reprint the stored PDF byte for byte after the records changed, and list the figures that changed', async () => {
      // A new activity held in the quarter, with Giulia (who never attended) taking part.
      const activity = await createActivity(t, home.id, { startsAt: rome('2026-08-12', '10:00'), status: 'completed', completedAt: rome('2026-08-12', '11:00'), residentIds: [scenario.residents.r7.id] });
      await createParticipation(t, activity, scenario.residents.r7.id, 'active');

      for (const path of [`/reports/quarterly.pdf?${q}`, `/reports/quarterly.pdf?${q}&locale=it`, `/reports/issued.pdf?${q}&version=1`]) {
        const res = await download(agents.manager, path);
        expect(res.status).toBe(200);
        const body = res.body as Buffer;
        expect(body.equals(issuedPdf)).toBe(true);
        expect(sha256(body)).toBe(sha256(issuedPdf));
        expect(res.headers['x-report-sha256']).toBe(sha256(issuedPdf));
        expect(res.headers['x-report-version']).toBe('1');
      }

      const reached = issuedModel.current.participation.residentsReached.count;
      const held = issuedModel.current.participation.activitiesHeld;
      const label = (key: string) => translate('en', `reports.figures.${key}`);
      const change = (key: string, from: number, to: number) => translate('en', 'reports.issued.figureChange', { figure: label(key), old: String(from), new: String(to) });
      const preview = await agents.manager.get(`/reports/quarterly?${q}`);
      expect(preview.status).toBe(200);
      expect(preview.text).toContain(sha256(issuedPdf));
      expect(preview.text).toContain(change('residentsReached', reached, reached + 1));
      expect(preview.text).toContain(change('activitiesHeld', held, held + 1));
      // The page shows the figures as issued, not as computed now.
      expect(preview.text).toContain(translate('en', 'reports.issued.servedAsIssued', { version: 1 }));

      // Every other value that changed reads in words: the resident by name, the report's own column
      // labels; the model's path only in each line's title, never in the visible text.
      const block = /<details class="report-difference-details">([\s\S]*?)<\/details>/.exec(preview.text)?.[1] ?? '';
      const visible = block.replace(/<[^>]*>/g, ' ').replace(/&#x27;/g, "'").replace(/&amp;/g, '&');
      const column = (key: string) => translate('en', `reports.columns.${key}`);
      expect(visible).toContain(`${column('thisQuarter')} · ${translate('en', 'reports.sections.fairShare')} · Giulia Galli · ${column('attended')}: 0 → 1`);
      // Still below one a week: listed among those needing attention, with her new figures.
      expect(visible).toContain(`${translate('en', 'reports.needingAttention')} · Giulia Galli · ${column('perWeek')}: 0.00 → 0.08`);
      expect(visible).toContain(`${translate('en', 'reports.charts.engagementByMonth')} · August 2026 · ${translate('en', 'reports.engagement.active')}: `);
      expect(visible).not.toMatch(/current\.|previous\.|\[|\{|"/);
      expect(visible).not.toContain(scenario.residents.r7.id);
      expect(block).toContain(`title="current.fairShare.rows[${scenario.residents.r7.id}].attended"`);

      // The Reports page lists the issue and sends to the quarter's page for the changes: it recomputes nothing.
      const page = await agents.manager.get('/reports');
      expect(page.text).toContain(sha256(issuedPdf));
      expect(page.text).toContain(translate('en', 'reports.issued.compareOnPage'));
      expect(page.text).not.toContain(change('residentsReached', reached, reached + 1));

      // The CSV is written from the issued model too.
      const csv = await agents.manager.get(`/reports/quarterly.csv?${q}&table=figures`);
      expect(csv.status).toBe(200);
      const row = csv.text.split('\n').find((line) => line.includes(',residentsReached,'))!;
      expect(row.split(',')[5]).toBe(String(reached));
    });

    it('should reissue as version 2, keep version 1, and serve each byte for byte', async () => {
      const res = await issue('admin', { homeId: home.id, quarter: Q3, locale: 'it' });
      expect(res.status).toBe(303);
      const rows = await issuedRows();
      expect(rows.map((r) => r.version)).toEqual([1, 2]);
      const [v1, v2] = rows;
      expect(v1.pdf.equals(issuedPdf)).toBe(true);
      expect(v2.pdfSha256).not.toBe(v1.pdfSha256);
      expect(v2).toMatchObject({ locale: 'it', issuedBy: users.admin.id });
      const v2Model = JSON.parse(v2.model) as QuarterlyReport;
      expect(v2Model.current.participation.residentsReached.count).toBe(issuedModel.current.participation.residentsReached.count + 1);

      for (const [version, row] of [[1, v1], [2, v2]] as const) {
        for (const copy of ['names', 'withoutNames'] as const) {
          const got = await download(agents.manager, `/reports/issued.pdf?${q}&version=${version}&copy=${copy}`);
          expect(got.status).toBe(200);
          expect((got.body as Buffer).equals(copy === 'names' ? row.pdf : row.pdfWithoutNames)).toBe(true);
          expect(got.headers['x-report-sha256']).toBe(copy === 'names' ? row.pdfSha256 : row.pdfWithoutNamesSha256);
        }
      }
      // Named with the home, in the language each version was printed in.
      expect((await download(agents.manager, `/reports/issued.pdf?${q}&version=1`)).headers['content-disposition'])
        .toBe('attachment; filename="insieme-casa-serena-quarterly-report-2026-q3-version-1.pdf"');
      expect((await download(agents.manager, `/reports/issued.pdf?${q}&version=2&copy=withoutNames`)).headers['content-disposition'])
        .toBe('attachment; filename="insieme-casa-serena-report-trimestrale-2026-q3-versione-2-senza-nomi.pdf"');
      // The quarter's PDF is now the latest version's.
      const latest = await download(agents.manager, `/reports/quarterly.pdf?${q}`);
      expect((latest.body as Buffer).equals(v2.pdf)).toBe(true);
      expect(latest.headers['x-report-version']).toBe('2');
      expect((await download(agents.manager, `/reports/issued.pdf?${q}&version=3`)).status).toBe(404);

      // Nothing changed since version 2, and both versions are listed with their downloads.
      const preview = await agents.manager.get(`/reports/quarterly?${q}`);
      expect(preview.text).toContain(translate('en', 'reports.issued.noDifferences'));
      for (const row of [v1, v2]) {
        expect(preview.text).toContain(row.pdfSha256);
        expect(preview.text).toContain(`version&#x3D;${row.version}&amp;copy&#x3D;names`);
      }
    });

    it('should give each role the issued copy it may read now, and no more', async () => {
      // Coordinators: the preview as issued, without names, with its SHA-256 and changes; each version's copy without names only.
      const preview = await agents.coordinator.get(`/reports/quarterly?${q}`);
      expect(preview.status).toBe(200);
      expect(preview.text).toContain(translate('en', 'reports.issued.servedAsIssued', { version: 2 }));
      expect(preview.text).not.toContain('Giulia Galli');
      expect(preview.text).toContain('version&#x3D;1&amp;copy&#x3D;withoutNames');
      expect(preview.text).not.toContain('copy&#x3D;names');
      expect(preview.text).not.toContain(translate('en', 'reports.issued.reissue', { version: 3 }));
      const page = await agents.coordinator.get('/reports');
      expect(page.status).toBe(200);
      expect(page.text).toContain((await issuedRows())[1].pdfSha256);
      expect(page.text).not.toContain('copy&#x3D;names');
      for (const path of [`/reports/issued.pdf?${q}&version=1`, `/reports/issued.pdf?${q}&version=1&copy=names`, `/reports/quarterly.pdf?${q}`, `/reports/quarterly.csv?${q}&table=figures`]) {
        expect((await agents.coordinator.get(path)).status).toBe(403);
      }
      // An earlier version's copy without names, byte for byte as it was issued.
      const first = await download(agents.coordinator, `/reports/issued.pdf?${q}&version=1&copy=withoutNames`);
      expect(first.status).toBe(200);
      expect((first.body as Buffer).equals((await issuedRows())[0].pdfWithoutNames)).toBe(true);
      // The copy without names they may take is the latest issue's stored copy, byte for byte.
      const latest = (await issuedRows())[1];
      const withoutNames = await download(agents.coordinator, `/reports/quarterly-without-names.pdf?${q}`);
      expect(withoutNames.status).toBe(200);
      expect((withoutNames.body as Buffer).equals(latest.pdfWithoutNames)).toBe(true);
      expect(withoutNames.headers['x-report-version']).toBe('2');
      const anonymousText = (await pdfText(latest.pdfWithoutNames)).text;
      expect(anonymousText).not.toMatch(/Giulia|Galli/);
      // Nor who issued it (the manager's copy says so).
      expect((await pdfText(latest.pdf)).text).toMatch(/Test admin/);
      expect(anonymousText).not.toMatch(/Test admin/);
      // Carers, relatives and volunteers read no report; another home's manager does not find this one.
      for (const role of ['carer', 'family', 'volunteer']) {
        expect((await agents[role].get(`/reports/issued.pdf?${q}&version=1`)).status).toBe(403);
        expect((await agents[role].get(`/reports/quarterly?${q}`)).status).toBe(403);
      }
      expect((await agents.otherManager.get(`/reports/issued.pdf?${q}&version=1`)).status).toBe(404);
      expect((await agents.otherManager.get(`/reports/quarterly?${q}`)).status).toBe(404);
      const otherPage = await agents.otherManager.get('/reports');
      expect(otherPage.text).not.toContain((await issuedRows())[0].pdfSha256);
      expect(otherPage.text).toContain(translate('en', 'reports.issued.none'));
      // Managers see names and the downloads.
      const managers = await agents.manager.get(`/reports/quarterly?${q}`);
      expect(managers.text).toContain('issued.pdf?');
    });

    it('should audit each download of an issued copy as an export', async () => {
      const [v1] = await issuedRows();
      const before = await t.dataSource.getRepository(AuditEntry).countBy({ entityType: 'issued_report', entityId: v1.id, action: 'export' });
      await download(agents.manager, `/reports/issued.pdf?${q}&version=1&copy=withoutNames`);
      expect(await t.dataSource.getRepository(AuditEntry).countBy({ entityType: 'issued_report', entityId: v1.id, action: 'export' })).toBe(before + 1);
    });

    it('should print an issued version in another language from its stored figures, saying so on its cover, for the readers of that copy', async () => {
      const [v1, v2] = await issuedRows();
      expect([v1.locale, v2.locale]).toEqual(['en', 'it']);
      const exports = () => t.dataSource.getRepository(AuditEntry).countBy({ entityType: 'issued_report', entityId: v1.id, action: 'export' });
      const before = await exports();
      const italian = await download(agents.manager, `/reports/issued.pdf?${q}&version=1&copy=names&locale=it`);
      expect(italian.status).toBe(200);
      expect(italian.headers['content-disposition']).toBe('attachment; filename="insieme-casa-serena-report-trimestrale-2026-q3-versione-1.pdf"');
      expect(italian.headers['x-report-version']).toBe('1');
      // Not the stored bytes, so no fingerprint of its own: the cover gives the issued copy's.
      expect(italian.headers['x-report-sha256']).toBeUndefined();
      const { text } = await pdfText(italian.body as Buffer);
      expect(text.replace(/\s+/g, ' ')).toContain('Versione 1 emessa il');
      expect(text.replace(/\s+/g, '')).toContain(v1.pdfSha256);
      // Version 1's figures, not today's: Giulia took part only after it was issued.
      const stored = JSON.parse(v1.model) as QuarterlyReport;
      const reached = stored.current.participation.residentsReached.count;
      expect(text).toMatch(new RegExp(`Ospiti raggiunti[^\\n]*\\n?[^\\n]*${reached}`));
      expect(await exports()).toBe(before + 1);
      // The same language as issued is the stored copy itself.
      const same = await download(agents.manager, `/reports/issued.pdf?${q}&version=1&copy=names&locale=en`);
      expect((same.body as Buffer).equals(v1.pdf)).toBe(true);
      // Coordinators: the copy without names in another language, never the one with names.
      expect((await agents.coordinator.get(`/reports/issued.pdf?${q}&version=2&copy=names&locale=en`)).status).toBe(403);
      const english = await download(agents.coordinator, `/reports/issued.pdf?${q}&version=2&copy=withoutNames&locale=en`);
      expect(english.status).toBe(200);
      const englishText = (await pdfText(english.body as Buffer)).text;
      expect(englishText.replace(/\s+/g, ' ')).toContain('Version 2 as issued on');
      expect(englishText).not.toMatch(/Giulia|Galli/);
      // The page offers each version in the other language.
      const page = await agents.coordinator.get(`/reports/quarterly?${q}`);
      expect(page.text).toContain('version&#x3D;1&amp;copy&#x3D;withoutNames&amp;locale&#x3D;it');
      expect(page.text).toContain('version&#x3D;2&amp;copy&#x3D;withoutNames&amp;locale&#x3D;en');
      expect(page.text).toContain(translate('en', 'reports.issued.downloadWithoutNamesIn', { version: 1, language: 'Italian' }));
    });
  });
});
