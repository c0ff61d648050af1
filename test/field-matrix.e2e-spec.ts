import { Participation } from '../src/activities/entities/participation.entity';
import { RosterEntry } from '../src/activities/entities/roster-entry.entity';
import { Lens, READABLE } from '../src/common/access/access-policy';
import type { Resident } from '../src/residents/entities/resident.entity';
import { processImage } from '../src/common/images/image-pipeline';
import { PhotoTag } from '../src/photos/entities/photo-tag.entity';
import { Photo } from '../src/photos/entities/photo.entity';
import { PhotoFiles } from '../src/photos/photo-files';
import { ResidentPhotos } from '../src/residents/resident-photos';
import { ACCESS_POLICY, PolicyRole, ROLES } from './support/access-policy';
import { createActivity } from './support/activity-factories';
import { createGroup, createHome, createUser, TestUser } from './support/factories';
import { quarterOf } from '../src/common/time/quarter';
import { CSV_TABLES } from '../src/reports/dto/report-query.dto';
import { createFamilyLink } from './support/family-factories';
import { Agent, apiSignIn, formToken, signIn } from './support/http';
import { createVolunteer } from './support/people-factories';
import { binary, pdfText } from './support/report-fixtures';
import { createRelative, createResident } from './support/resident-factories';
import { createTestApp, TestApp } from './support/test-app';
import { createHelpOffer } from './support/voice-factories';

/**
 * The field matrix (SPEC 1): for every route a role may read, the answer holds only what that role's
 * lens allows (src/common/access/access-policy.ts). Two residents are on an activity a volunteer is
 * confirmed to help with, both logged by staff with moods and notes, and both linked to one relative:
 * - "Pia" consents to volunteers and shows her relatives a summary;
 * - "Carla" does not consent to volunteers and shows her relatives everything.
 * Each of their private details is a word found nowhere else (a canary). Every GET route the access
 * policy lets the volunteer or the relative read is requested (pages, PDFs, CSV, JSON); no canary
 * outside their lens may appear in any answer, and in JSON every resident and participation object
 * may carry only the fields of the reader's lens. Staff answers are read too, to show the canaries
 * are there to be found.
 */

const PIA = {
  firstName: 'Giuseppina', lastName: 'Quarzolini', preferredName: 'Nonna Pia', aboutMe: 'Cantava al Duomo (aboutcanarypia)',
  dislikes: 'dislikecanarypia', mobilityNotes: 'mobilitycanarypia', communicationTips: 'Speak slowly (tipscanarypia)', room: 'Q-417',
  staffNote: 'staffnotecanarypia', familyNote: 'familynotecanarypia',
};
const CARLA = {
  firstName: 'Carolina', lastName: 'Vetrovanni', preferredName: 'Zia Carla', aboutMe: 'aboutcanarycarla',
  dislikes: 'dislikecanarycarla', mobilityNotes: 'mobilitycanarycarla', communicationTips: 'tipscanarycarla', room: 'Q-418',
  staffNote: 'staffnotecanarycarla', familyNote: 'familynotecanarycarla',
};

type Canaries = typeof PIA;
/** A group manager reads reports and figures of their group's homes, and nothing of a resident (docs/groups.md). */
type Reader = 'volunteer' | 'family' | 'carer' | 'group_manager';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
/** What a reader may never see of each resident, by the lens they see that resident through. */
function forbidden(lens: Lens | 'none', c: Canaries): string[] {
  const all = Object.values(c);
  if (lens === 'none') return all;
  if (lens === 'volunteer') return all.filter((v) => v !== c.preferredName && v !== c.communicationTips);
  if (lens === 'family_summary') return [c.room, c.staffNote, c.familyNote, c.dislikes, c.mobilityNotes, c.communicationTips];
  if (lens === 'family_full') return [c.room, c.staffNote];
  return [];
}

describe('Field matrix: what each role reads of a resident, on every route (SPEC 1)', () => {
  let t: TestApp;
  let pia: Resident;
  let carla: Resident;
  let activityId: string;
  /** A photo of the activity with each resident tagged: its bytes are a re-encoded picture, no text of anyone. */
  const photoIds: { photoId: string; residentId: string }[] = [];
  let activityDate: string;
  const users = {} as Record<Reader, TestUser>;
  const agents = {} as Record<Reader, Agent>;
  /** The lens each reader sees each resident through ('none': not at all). */
  const lenses: Record<Reader, Record<string, Lens | 'none'>> = { volunteer: {}, family: {}, carer: {}, group_manager: {} };
  let homeId: string;
  let groupId: string;

  beforeAll(async () => {
    t = await createTestApp();
    homeId = (await createHome(t)).id;
    groupId = (await createGroup(t, [homeId])).id;
    const { staffNote: _s1, familyNote: _f1, ...piaFields } = PIA;
    const { staffNote: _s2, familyNote: _f2, ...carlaFields } = CARLA;
    const photoFile = () => t.get(ResidentPhotos).store({ buffer: PNG, size: PNG.length });
    pia = await createResident(t, homeId, { ...piaFields, consentVolunteerProfile: true, consentFamilyPortal: 'summary', photoFile: await photoFile() });
    carla = await createResident(t, homeId, { ...carlaFields, consentVolunteerProfile: false, consentFamilyPortal: 'full', photoFile: await photoFile() });
    const activity = await createActivity(t, homeId, { residentIds: [pia.id, carla.id], title: 'Coro del giovedì' });
    activityId = activity.id;
    for (const resident of [pia, carla]) {
      const photo = await t.dataSource.getRepository(Photo).save({ homeId, activityId, caption: null, width: 1, height: 1, uploadedById: null, checkedAt: new Date(), checkedBy: null });
      t.get(PhotoFiles).write(photo.id, await processImage(PNG));
      await t.dataSource.getRepository(PhotoTag).insert({ homeId, photoId: photo.id, residentId: resident.id });
      photoIds.push({ photoId: photo.id, residentId: resident.id });
    }
    activityDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(activity.startsAt);

    const volunteer = await createVolunteer(t, homeId);
    await createHelpOffer(t, activity, { volunteerId: volunteer.id });
    users.volunteer = await createUser(t, { role: 'volunteer', homeIds: [homeId], personKind: 'volunteer', personId: volunteer.id });
    const relative = await createRelative(t, pia, { access: 'contribute' });
    await createFamilyLink(t, relative.familyMember, carla.id, { access: 'contribute' });
    users.family = relative.user;
    users.carer = await createUser(t, { role: 'carer', homeIds: [homeId] });
    users.group_manager = await createUser(t, { role: 'group_manager', groupIds: [groupId] });
    for (const reader of ['volunteer', 'family', 'carer', 'group_manager'] as const) agents[reader] = await signIn(t, users[reader].email, users[reader].password);

    // Staff log both residents with moods and notes, through the tablet's API.
    const carer = await apiSignIn(t, users.carer.email, users.carer.password);
    await carer.agent.put(`/api/activities/${activityId}/participation`).set('X-CSRF-Token', carer.csrfToken).set('Idempotency-Key', 'field-matrix-log')
      .send({ entries: [
        { residentId: pia.id, engagement: 'active', moodBefore: 2, moodAfter: 4, staffNote: PIA.staffNote, familyNote: PIA.familyNote },
        { residentId: carla.id, engagement: 'passive', moodBefore: 3, moodAfter: 3, staffNote: CARLA.staffNote, familyNote: CARLA.familyNote },
      ] })
      .expect(200);

    lenses.volunteer = { [pia.id]: 'volunteer', [carla.id]: 'none' };
    lenses.family = { [pia.id]: 'family_summary', [carla.id]: 'family_full' };
    lenses.carer = { [pia.id]: 'staff', [carla.id]: 'staff' };
    lenses.group_manager = { [pia.id]: 'none', [carla.id]: 'none' };
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  });

  /** The GET routes a role may read that are not public (public pages hold nobody's data). */
  function readableRoutes(role: PolicyRole): string[] {
    const column = ROLES.indexOf(role) + 1;
    return Object.entries(ACCESS_POLICY)
      .filter(([route, cells]) => route.startsWith('GET ') && cells[0] !== 'any' && ['any', 'home', 'own'].includes(String(cells[column])))
      .map(([route]) => route);
  }

  /** Concrete addresses for a route: one per resident it can name, the activity for activity routes. */
  function urlsFor(route: string, reader?: string): string[] {
    const path = route.slice(4);
    const quarter = quarterOf(activityDate);
    if (path.startsWith('/reports/quarterly')) {
      const query = `?homeId=${homeId}&quarter=${quarter}`;
      // The participation table (residents by name) is refused to readers of the copy without names (test/groups.e2e-spec.ts).
      const tables = reader === 'group_manager' ? CSV_TABLES.filter((table) => table !== 'participation') : CSV_TABLES;
      return path.endsWith('.csv') ? tables.map((table) => `${path}${query}&table=${table}`) : [`${path}${query}`];
    }
    if (path.startsWith('/groups/:id')) return [`${path.replace(':id', groupId)}?quarter=${quarter}`];
    if (!path.includes(':')) return [path === '/api/activities' ? `${path}?date=${activityDate}` : path];
    if (/^\/(api\/)?activities\/:id(\/[a-z]+)?$/.test(path)) return [path.replace(':id', activityId)];
    if (/^\/(api\/|portal\/)?residents\/:id(\/[a-z.]+)?$/.test(path)) return [pia.id, carla.id].map((id) => path.replace(':id', id));
    // The tagged resident rides along (the route ignores it), so a photo of a resident out of the reader's reach must answer 404.
    if (path === '/photos/:id/:size') return photoIds.flatMap(({ photoId, residentId }) => [`/photos/${photoId}/thumb?of=${residentId}`, `/photos/${photoId}/full?of=${residentId}`]);
    throw new Error(`The field matrix has no record for ${route}: add one to urlsFor`);
  }

  /** What a person would read in an answer: the text of a page, a PDF, a CSV or a JSON document. */
  async function read(agent: Agent, url: string): Promise<{ status: number; text: string; json: unknown }> {
    const res = await agent.get(url).set('Accept', url.startsWith('/api/') ? 'application/json' : 'text/html').redirects(3).buffer(true).parse(binary);
    const body = res.body as Buffer;
    const type = String(res.headers['content-type'] ?? '');
    if (type.startsWith('application/pdf')) return { status: res.status, text: (await pdfText(body)).text, json: undefined };
    if (type.startsWith('image/')) return { status: res.status, text: '', json: undefined };
    const text = body.toString('utf8');
    return { status: res.status, text, json: type.startsWith('application/json') ? JSON.parse(text) : undefined };
  }

  /** Every resident-like and participation-like object in a JSON answer whose fields go beyond the reader's lens. */
  function fieldsBeyondLens(json: unknown, reader: Reader): string[] {
    const found: string[] = [];
    const walk = (value: unknown, at: string) => {
      if (Array.isArray(value)) return value.forEach((item, i) => walk(item, `${at}[${i}]`));
      if (value === null || typeof value !== 'object') return;
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record);
      const residentId = typeof record.residentId === 'string' ? record.residentId : typeof record.id === 'string' ? record.id : '';
      const lens = lenses[reader][residentId];
      if (lens !== undefined) {
        if (lens === 'none') found.push(`${at}: a resident this reader may not see`);
        else {
          const allowed = 'engagement' in record
            ? READABLE.participation[lens]
            : [...READABLE.resident[lens], ...READABLE.rosterResident[lens]];
          const extra = keys.filter((key) => !(allowed as readonly string[]).includes(key));
          if (extra.length > 0) found.push(`${at}: ${extra.join(', ')} (lens ${lens})`);
        }
      }
      for (const key of keys) walk(record[key], `${at}.${key}`);
    };
    walk(json, '$');
    return found;
  }

  for (const reader of ['volunteer', 'family', 'group_manager'] as const) {
    it(`should show a ${reader} nothing of a resident beyond their lens, on any page, PDF, CSV or JSON answer`, async () => {
      const leaks: string[] = [];
      const routes = readableRoutes(reader);
      expect(routes.length).toBeGreaterThan(5);
      for (const route of routes) {
        for (const url of urlsFor(route, reader)) {
          const { status, text, json } = await read(agents[reader], url);
          // A resident the reader may not see answers 404, like any record out of reach.
          const named = [pia, carla].find((r) => url.includes(r.id));
          if (named && lenses[reader][named.id] === 'none') {
            if (status !== 404) leaks.push(`${url}: ${status}, expected 404`);
            continue;
          }
          if (status !== 200) {
            leaks.push(`${url}: ${status}`);
            continue;
          }
          const words = [...forbidden(lenses[reader][pia.id], PIA), ...forbidden(lenses[reader][carla.id], CARLA)];
          for (const word of words) if (text.includes(word)) leaks.push(`${url}: shows "${word}"`);
          if (json !== undefined) leaks.push(...fieldsBeyondLens(json, reader).map((found) => `${url} ${found}`));
        }
      }
      expect(leaks).toEqual([]);
    });
  }

  it('should hold real canaries: staff read every detail and note the readers above may not', async () => {
    const api = (await read(agents.carer, `/api/activities/${activityId}`)).text;
    for (const word of [PIA.staffNote, PIA.familyNote, CARLA.staffNote, PIA.lastName, CARLA.preferredName]) expect(api).toContain(word);
    const log = (await read(agents.carer, `/activities/${activityId}/log`)).text;
    expect(log).toContain(PIA.staffNote);
    const resident = (await read(agents.carer, `/residents/${pia.id}`)).text;
    for (const word of [PIA.lastName, PIA.dislikes, PIA.mobilityNotes]) expect(resident).toContain(word);
    // And the relative reads what a full portal consent shows: Carla's family note and care notes.
    const portal = await Promise.all([`/portal/residents/${carla.id}`, `/api/residents/${carla.id}`].map(async (url) => (await read(agents.family, url)).text));
    expect(portal.join(' ')).toContain(CARLA.mobilityNotes);
  });

  describe('a volunteer\'s writes', () => {
    let volunteerApi: { agent: Agent; csrfToken: string };
    const put = (entries: object[], key: string) =>
      volunteerApi.agent.put(`/api/activities/${activityId}/participation`).set('X-CSRF-Token', volunteerApi.csrfToken).set('Idempotency-Key', key).send({ entries });

    beforeAll(async () => {
      volunteerApi = await apiSignIn(t, users.volunteer.email, users.volunteer.password);
    });

    it('should record how a resident on the roster took part, keep staff moods and notes, and answer through the volunteer lens', async () => {
      const res = await put([{ residentId: pia.id, engagement: 'passive' }], 'volunteer-pia').expect(200);
      expect(res.body.participation).toEqual([{ residentId: pia.id, engagement: 'passive', recordedAt: expect.any(String) }]);
      const row = await t.dataSource.getRepository(Participation).findOneByOrFail({ activityId, residentId: pia.id });
      expect(row).toMatchObject({ engagement: 'passive', moodBefore: 2, moodAfter: 4, staffNote: PIA.staffNote, familyNote: PIA.familyNote, recordedBy: users.volunteer.id });
    });

    it('should refuse a mood or a note, naming the field, and store nothing', async () => {
      for (const [field, value] of [['staffNote', 'x'], ['familyNote', 'y'], ['moodBefore', 1]] as const) {
        const res = await put([{ residentId: pia.id, engagement: 'declined', [field]: value }], `volunteer-${field}`).expect(422);
        expect(Object.keys(res.body.fields)).toEqual([`entries.0.${field}`]);
      }
      expect(await t.dataSource.getRepository(Participation).findOneByOrFail({ activityId, residentId: pia.id })).toMatchObject({ engagement: 'passive', staffNote: PIA.staffNote });
    });

    it('should refuse residents the volunteer may not see, or who are not on the roster, and never add to the roster', async () => {
      const stranger = await createResident(t, pia.homeId);
      for (const residentId of [carla.id, stranger.id]) {
        const res = await put([{ residentId, engagement: 'active' }], `volunteer-${residentId}`).expect(422);
        expect(Object.keys(res.body.fields)).toEqual(['entries.0.residentId']);
      }
      expect(await t.dataSource.getRepository(RosterEntry).countBy({ activityId })).toBe(2);
      expect(await t.dataSource.getRepository(Participation).findOneByOrFail({ activityId, residentId: carla.id })).toMatchObject({ engagement: 'passive', staffNote: CARLA.staffNote });
    });

    it('should refuse a note sent through the log form too', async () => {
      const token = await formToken(agents.volunteer, `/activities/${activityId}/log`);
      const res = await agents.volunteer.post(`/activities/${activityId}/log`).type('form')
        .send({ _csrf: token, residentId: pia.id, engagement: 'declined', staffNote: 'overwritten' });
      expect(res.status).toBe(422);
      expect(res.text).not.toContain(PIA.staffNote);
      expect((await t.dataSource.getRepository(Participation).findOneByOrFail({ activityId, residentId: pia.id })).staffNote).toBe(PIA.staffNote);
    });
  });
});
