import { Home } from '../src/homes/entities/home.entity';
import { HomeView } from '../src/homes/homes.service';
import { createHome, createUser } from './support/factories';
import { Agent, formToken, signIn } from './support/http';
import { binary, flat, pdfText } from './support/report-fixtures';
import { createTestApp, TestApp } from './support/test-app';

describe("Standards by country: the report's annex follows the home's country, not the language", () => {
  let t: TestApp;
  let admin: Agent;
  let manager: Agent;
  let italian: HomeView;
  let british: Home;

  async function annex(homeId: string, locale: 'en' | 'it'): Promise<string> {
    const res = await manager.get(`/reports/quarterly.pdf?homeId=${homeId}&quarter=2026-Q3&locale=${locale}`).buffer(true).parse(binary).expect(200);
    const text = flat((await pdfText(res.body as Buffer)).text);
    // From Annex A's heading to Annex B's: the standards the report cites.
    return text.slice(text.lastIndexOf(locale === 'it' ? 'Appendice A.' : 'Annex A.'), text.lastIndexOf(locale === 'it' ? 'Appendice B.' : 'Annex B.'));
  }

  beforeAll(async () => {
    t = await createTestApp();
    const adminUser = await createUser(t, { role: 'admin' });
    admin = await signIn(t, adminUser.email, adminUser.password);
    italian = await createHome(t, { name: 'Casa Italiana', slug: 'casa-italiana' });

    const token = await formToken(admin, '/admin/homes/new');
    await admin.post('/admin/homes').type('form')
      .send({ _csrf: token, name: 'Willow House', slug: 'willow-house', timezone: 'Europe/London', locale: 'en', country: 'GB' })
      .expect(303);
    british = await t.dataSource.getRepository(Home).findOneByOrFail({ slug: 'willow-house' });

    const managerUser = await createUser(t, { role: 'manager', homeIds: [italian.id, british.id] });
    manager = await signIn(t, managerUser.email, managerUser.password);
  });

  afterAll(async () => {
    await t.close();
  });

  it('should give a home created without a country Italy, as the migration gives existing homes', async () => {
    expect(italian.country).toBe('IT');
    expect(british.country).toBe('GB');
  });

  it("should cite the LEA decree, the PAI and regional accreditation and not NICE or CQC when the home is in Italy", async () => {
    for (const locale of ['it', 'en'] as const) {
      const text = await annex(italian.id, locale);
      expect(text).toContain(locale === 'it' ? 'LEA, DPCM 12 gennaio 2017, art. 30' : 'LEA, DPCM 12 January 2017, art. 30');
      expect(text).toContain(locale === 'it' ? 'PAI, piano assistenziale individualizzato' : 'PAI, the individual care plan');
      expect(text).toContain(locale === 'it' ? 'Requisiti regionali di accreditamento delle RSA' : 'Regional accreditation requirements for RSA');
      expect(text).toContain('Rep. Atti n. 259/CSR');
      expect(text).toContain(locale === 'it' ? '(Italia)' : '(Italy)');
      expect(text).not.toMatch(/NICE|CQC/);
    }
  });

  it('should cite NICE QS50, NG32 and CQC Regulation 9 when the home is in the United Kingdom, in Italian for an Italian reader', async () => {
    const it = await annex(british.id, 'it');
    expect(it).toContain('NICE QS50');
    expect(it).toContain('NICE NG32');
    expect(it).toContain('CQC Regulation 9 Cura centrata sulla persona');
    expect(it).toContain('(Regno Unito)');
    expect(it).not.toMatch(/DPCM|PAI|Stato-Regioni/);

    const en = await annex(british.id, 'en');
    expect(en).toContain('CQC Regulation 9 Person-centred care');
    expect(en).not.toContain('DPCM');
  });

  it("should show the country on the admin's form and keep a change to it", async () => {
    const page = await admin.get(`/admin/homes/${british.id}`).expect(200);
    expect(page.text).toMatch(/<option value="GB" selected>United Kingdom<\/option>/);

    const token = await formToken(admin, `/admin/homes/${british.id}`);
    await admin.post(`/admin/homes/${british.id}`).type('form')
      .send({ _csrf: token, name: 'Willow House', slug: 'willow-house', timezone: 'Europe/London', locale: 'en', country: 'IT' })
      .expect(303);
    expect((await t.dataSource.getRepository(Home).findOneByOrFail({ id: british.id })).country).toBe('IT');
    await admin.post(`/admin/homes/${british.id}`).type('form')
      .send({ _csrf: token, name: 'Willow House', slug: 'willow-house', timezone: 'Europe/London', locale: 'en', country: 'GB' })
      .expect(303);
  });

  it('should show the form again with the error beside the country when it is not one the app knows', async () => {
    const token = await formToken(admin, '/admin/homes/new');
    for (const country of ['FR', 'it', 'ITA', '']) {
      const res = await admin.post('/admin/homes').type('form')
        .send({ _csrf: token, name: 'Maison Fleurie', slug: 'maison-fleurie', timezone: 'Europe/Paris', locale: 'en', country });
      expect(res.status).toBe(422);
      expect(res.text).toMatch(/id="error-country">Choose one of the options\.</);
      expect(res.text).toContain('value="Maison Fleurie"');
    }
    expect(await t.dataSource.getRepository(Home).countBy({ slug: 'maison-fleurie' })).toBe(0);
  });
});
