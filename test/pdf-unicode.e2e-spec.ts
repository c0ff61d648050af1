import { FamilyLink } from '../src/residents/entities/family-link.entity';
import { FamilyMember } from '../src/families/entities/family-member.entity';
import { HomeView } from '../src/homes/homes.service';
import { Resident } from '../src/residents/entities/resident.entity';
import { createActivity } from './support/activity-factories';
import { createHome, createUser } from './support/factories';
import { Agent, signIn } from './support/http';
import { createVolunteer } from './support/people-factories';
import { binary, flat, pdfText, rome } from './support/report-fixtures';
import { createResident } from './support/resident-factories';
import { createTestApp, TestApp } from './support/test-app';
import { createParticipation, createSuggestion } from './support/voice-factories';

/*
 * The names carry every letter issue 18 named: Romanian ș ț ă î â, Polish ł ż ś ć ń, Ukrainian ї є ґ
 * (and "Олена Коваль"), and Greek; "王芳" is Han, which DejaVu Sans does not have.
 */
describe('PDFs print every name in its own letters (DejaVu Sans)', () => {
  let t: TestApp;
  let home: HomeView;
  let manager: Agent;
  let olena: Resident;

  async function pdf(path: string): Promise<{ text: string; raw: string }> {
    const res = await manager.get(path).buffer(true).parse(binary).expect(200);
    const body = res.body as Buffer;
    return { text: flat((await pdfText(body)).text), raw: body.toString('latin1') };
  }

  function expectEmbedsDejaVu(raw: string): void {
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans-Bold/);
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans\b/);
    expect(raw).not.toContain('/Helvetica');
  }

  beforeAll(async () => {
    t = await createTestApp();
    home = await createHome(t, { name: 'Casa Mosaico', slug: 'casa-mosaico' });
    // The manager is on the staff: the name every PDF prints as its author.
    const user = await createUser(t, { role: 'manager', homeIds: [home.id], displayName: 'Józef Śliwiński', locale: 'it' });
    manager = await signIn(t, user.email, user.password);

    // Residents all through 2026-Q3 with no activity: each is listed by name as needing attention.
    const resident = (name: string) => {
      const [firstName, ...rest] = name.split(' ');
      return createResident(t, home.id, { firstName, lastName: rest.join(' '), admittedOn: '2025-01-10' });
    };
    olena = await resident('Олена Коваль');
    for (const name of ['Ștefan Țîrlea', 'Paweł Żółkiewski', 'Ελένη Γεωργίου', '王芳 Li']) await resident(name);

    // Volunteers whose background check runs out within 60 days of 30 September: listed by name.
    const volunteers: Record<string, string> = {};
    for (const name of ['Ioana Brătianu-Mândru', 'Łucja Ćwik', 'Євген Шевчук', 'Αλέξανδρος Παπαδόπουλος']) {
      const [firstName, ...rest] = name.split(' ');
      const v = await createVolunteer(t, home.id, { firstName, lastName: rest.join(' '), startedOn: '2025-01-01', backgroundCheckExpiresOn: '2026-10-15' });
      volunteers[name] = v.id;
    }

    // The week of 15 June 2026 on the noticeboard, with names in its titles.
    const singing = await createActivity(t, home.id, { title: 'Coro con Олена Коваль', startsAt: rome('2026-06-16', '15:30'), status: 'completed', location: 'Sala Ελένη' });
    await createActivity(t, home.id, { title: 'Poezii: Ștefan Țîrlea', startsAt: rome('2026-06-18', '11:00') });
    await createActivity(t, home.id, { title: 'Łucja Ćwik al pianoforte', startsAt: rome('2026-06-19', '10:00') });
    await createActivity(t, home.id, { title: 'Tè con 王芳', startsAt: rome('2026-06-20', '16:00') });

    // Olena's record: a relative, a suggestion a volunteer wrote about her, her participation.
    const relative = await t.dataSource.getRepository(FamilyMember).save({ homeId: home.id, firstName: 'Ґанна', lastName: 'Їжакевич', email: null, phone: null, archivedAt: null });
    await t.dataSource.getRepository(FamilyLink).insert({
      homeId: home.id, familyMemberId: relative.id, residentId: olena.id, relationship: 'daughter', primaryContact: true, access: 'contribute', active: true,
    });
    await createSuggestion(t, home.id, {
      residentId: olena.id, authorType: 'volunteer', authorVolunteerId: volunteers['Αλέξανδρος Παπαδόπουλος'], title: 'Canti ucraini', body: 'Олена знає всі пісні.',
    });
    await createParticipation(t, singing, olena.id, 'active');
  });

  afterAll(async () => {
    await t.close();
  });

  it('should print Romanian, Polish, Ukrainian and Greek names of residents, volunteers and staff in the manager\'s quarterly report', async () => {
    const { text, raw } = await pdf(`/reports/quarterly.pdf?homeId=${home.id}&quarter=2026-Q3&locale=it`);

    for (const name of ['Олена Коваль', 'Ștefan Țîrlea', 'Paweł Żółkiewski', 'Ελένη Γεωργίου']) expect(text).toContain(name);
    for (const name of ['Ioana Brătianu-Mândru', 'Łucja Ćwik', 'Євген Шевчук', 'Αλέξανδρος Παπαδόπουλος']) expect(text).toContain(name);
    expect(text).toContain('Józef Śliwiński');
    expect(text).not.toMatch(/\?{2,}/);
    expectEmbedsDejaVu(raw);
  });

  it('should print a letter the font lacks as □ and say once which scripts could not be shown', async () => {
    const { text } = await pdf(`/reports/quarterly.pdf?homeId=${home.id}&quarter=2026-Q3&locale=en`);

    expect(text).toContain('□□ Li');
    expect(text).not.toContain('王芳');
    expect(text).not.toContain('?? Li');
    expect(text.split("Text in Han cannot be shown by this PDF's font and is printed as □.").length).toBe(2);
  });

  it('should print the names in a calendar PDF, with the notice for the title it cannot show', async () => {
    const { text, raw } = await pdf('/calendar.pdf?view=week&date=2026-06-17');

    expect(text).toContain('Coro con Олена Коваль');
    expect(text).toContain('Sala Ελένη');
    expect(text).toContain('Poezii: Ștefan Țîrlea');
    expect(text).toContain('Łucja Ćwik al pianoforte');
    expect(text).toContain('Tè con □□');
    expect(text).toContain('Józef Śliwiński');
    expect(text).toContain('Il testo in han non può essere mostrato dal carattere di questo PDF ed è stampato come □.');
    expectEmbedsDejaVu(raw);
  });

  it('should print the names in the subject-access PDF and give no notice when every letter could be shown', async () => {
    const { text, raw } = await pdf(`/residents/${olena.id}/data-export.pdf`);

    expect(text).toContain('Олена Коваль');
    expect(text).toContain('Ґанна Їжакевич');
    expect(text).toContain('Αλέξανδρος Παπαδόπουλος');
    expect(text).toContain('Олена знає всі пісні.');
    expect(text).toContain('Coro con Олена Коваль');
    expect(text).toContain('Józef Śliwiński');
    expect(text).not.toContain('□');
    expect(text).not.toContain('non può essere mostrato');
    expectEmbedsDejaVu(raw);
  });

});
