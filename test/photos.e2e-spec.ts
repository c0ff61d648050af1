import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import request from 'supertest';
import { Activity } from '../src/activities/entities/activity.entity';
import { AuditEntry } from '../src/audit/entities/audit-entry.entity';
import { PhotoTag } from '../src/photos/entities/photo-tag.entity';
import { Photo } from '../src/photos/entities/photo.entity';
import { NewsPost } from '../src/photos/entities/news-post.entity';
import { Notification } from '../src/notifications/entities/notification.entity';
import { Resident } from '../src/residents/entities/resident.entity';
import { createActivity } from './support/activity-factories';
import { createHome, createUser, TestUser } from './support/factories';
import { createFamilyLink, createFamilyMember } from './support/family-factories';
import { Agent, formToken, signIn } from './support/http';
import { createVolunteer } from './support/people-factories';
import { createResident } from './support/resident-factories';
import { createTestApp, TestApp } from './support/test-app';
import { createHelpOffer } from './support/voice-factories';

/** A real JPEG, 300x200, with camera EXIF and a GPS position in it, stored rotated (orientation 6: shown 200x300). */
async function jpegWithGps(): Promise<Buffer> {
  return sharp({ create: { width: 300, height: 200, channels: 3, background: { r: 200, g: 120, b: 40 } } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'PhoneMaker', Model: 'Camera 9' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '45/1 27/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '9/1 11/1 0/1' },
    })
    .withMetadata({ orientation: 6 })
    .toBuffer();
}

/** Whether EXIF data holds a GPS IFD (its pointer tag 0x8825, in either byte order). */
function hasGps(exif: Buffer | undefined): boolean {
  return !!exif && (exif.includes(Buffer.from([0x88, 0x25])) || exif.includes(Buffer.from([0x25, 0x88])));
}

async function plainJpeg(): Promise<Buffer> {
  return sharp({ create: { width: 64, height: 48, channels: 3, background: '#336699' } }).jpeg().toBuffer();
}

describe('activity photos and news (issue 16, item 4)', () => {
  let t: TestApp;
  let homeId: string;
  let otherHomeId: string;
  let activity: Activity;
  /** X and Y have families; Z has none; W gives no photo consent. */
  let x: Resident;
  let y: Resident;
  let z: Resident;
  let w: Resident;
  const agents = {} as Record<'coordinator' | 'carer' | 'manager' | 'familyX' | 'familyY' | 'familyOther' | 'otherCoordinator' | 'volunteer' | 'bystanderVolunteer', Agent>;
  let photosDir: string;

  async function upload(agent: Agent, activityId: string, file: Buffer | null, fields: { caption?: string; residentIds?: string[] } = {}, filename = 'photo.jpg') {
    const token = await formToken(agent, `/activities/${activityId}/photos`);
    let req = agent.post(`/activities/${activityId}/photos`).set('Accept', 'text/html').field('_csrf', token);
    if (fields.caption) req = req.field('caption', fields.caption);
    for (const id of fields.residentIds ?? []) req = req.field('residentIds', id);
    if (file) req = req.attach('photo', file, { filename, contentType: filename.endsWith('.svg') ? 'image/svg+xml' : 'image/jpeg' });
    return req;
  }

  async function addPhoto(residentIds: string[], caption?: string): Promise<string> {
    const before = new Set((await t.dataSource.getRepository(Photo).find()).map((p) => p.id));
    const res = await upload(agents.coordinator, activity.id, await plainJpeg(), { residentIds, caption });
    expect(res.status).toBe(303);
    const added = (await t.dataSource.getRepository(Photo).find()).filter((p) => !before.has(p.id));
    expect(added).toHaveLength(1);
    return added[0].id;
  }

  const sees = async (agent: Agent, photoId: string) => (await agent.get(`/photos/${photoId}/thumb`)).status;
  const feed = async (agent: Agent, residentId: string, page = 1) => agent.get(`/portal/residents/${residentId}/news?page=${page}`);

  beforeAll(async () => {
    t = await createTestApp();
    photosDir = join(t.config.uploadsDir, 'activity-photos');
    homeId = (await createHome(t)).id;
    otherHomeId = (await createHome(t)).id;
    const consenting = { consentPhotos: true, consentFamilyPortal: 'full' as const, consentVolunteerProfile: true };
    x = await createResident(t, homeId, { ...consenting, preferredName: 'Xenia' });
    y = await createResident(t, homeId, { ...consenting, preferredName: 'Yolanda' });
    z = await createResident(t, homeId, { ...consenting, preferredName: 'Zita' });
    w = await createResident(t, homeId, { ...consenting, consentPhotos: false, preferredName: 'Wanda' });
    const otherResident = await createResident(t, otherHomeId, consenting);
    activity = await createActivity(t, homeId, { residentIds: [x.id, y.id, z.id, w.id], title: 'Garden party' });

    const staff = async (role: 'coordinator' | 'carer' | 'manager', home = homeId) => createUser(t, { role, homeIds: [home] });
    const family = async (home: string, residentId: string) => {
      const member = await createFamilyMember(t, home);
      await createFamilyLink(t, member, residentId);
      return createUser(t, { role: 'family', homeIds: [home], personKind: 'family', personId: member.id });
    };
    const volunteerUser = async (confirmed: boolean) => {
      const volunteer = await createVolunteer(t, homeId);
      if (confirmed) await createHelpOffer(t, activity, { volunteerId: volunteer.id });
      return createUser(t, { role: 'volunteer', homeIds: [homeId], personKind: 'volunteer', personId: volunteer.id });
    };
    const users: Record<keyof typeof agents, TestUser> = {
      coordinator: await staff('coordinator'), carer: await staff('carer'), manager: await staff('manager'),
      familyX: await family(homeId, x.id), familyY: await family(homeId, y.id), familyOther: await family(otherHomeId, otherResident.id),
      otherCoordinator: await staff('coordinator', otherHomeId), volunteer: await volunteerUser(true), bystanderVolunteer: await volunteerUser(false),
    };
    for (const [name, user] of Object.entries(users)) agents[name as keyof typeof agents] = await signIn(t, user.email, user.password);
  });

  afterAll(async () => {
    await t.close();
  });

  describe('the image pipeline', () => {
    it('should store a JPEG carrying GPS EXIF upright and without any metadata when it is uploaded', async () => {
      const original = await jpegWithGps();
      const meta = await sharp(original).metadata();
      expect(hasGps(meta.exif)).toBe(true);
      expect(meta.orientation).toBe(6);
      const before = new Set((await t.dataSource.getRepository(Photo).find()).map((p) => p.id));
      const res = await upload(agents.coordinator, activity.id, original, { residentIds: [x.id], caption: 'With GPS' });
      expect(res.status).toBe(303);
      const photo = (await t.dataSource.getRepository(Photo).find()).find((p) => !before.has(p.id))!;
      const full = await agents.coordinator.get(`/photos/${photo.id}/full`).buffer(true).parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      });
      expect(full.status).toBe(200);
      expect(full.headers['content-type']).toBe('image/jpeg');
      expect(full.headers['cache-control']).toBe('no-store');
      expect(full.headers['x-content-type-options']).toBe('nosniff');
      const stored = await sharp(full.body as Buffer).metadata();
      expect(stored.exif).toBeUndefined();
      expect(stored.xmp).toBeUndefined();
      expect(stored.orientation).toBeUndefined();
      // Turned upright: the 300x200 picture with orientation 6 is shown 200 wide and 300 high.
      expect({ width: stored.width, height: stored.height }).toEqual({ width: 200, height: 300 });
      expect((full.body as Buffer).includes(Buffer.from('PhoneMaker'))).toBe(false);
      // The original bytes are nowhere on disk.
      for (const name of readdirSync(photosDir)) expect((await sharp(join(photosDir, name)).metadata()).exif).toBeUndefined();
    });

    it('should fit a large picture inside 2048 px and make a 400 px thumbnail when it is stored', async () => {
      const big = await sharp({ create: { width: 3000, height: 1000, channels: 3, background: '#808080' } }).jpeg().toBuffer();
      const before = new Set((await t.dataSource.getRepository(Photo).find()).map((p) => p.id));
      expect((await upload(agents.coordinator, activity.id, big, { residentIds: [z.id] })).status).toBe(303);
      const photo = (await t.dataSource.getRepository(Photo).find()).find((p) => !before.has(p.id))!;
      expect({ width: photo.width, height: photo.height }).toEqual({ width: 2048, height: 683 });
      const thumb = await sharp(join(photosDir, `${photo.id}.thumb.jpg`)).metadata();
      expect(thumb.width).toBe(400);
    });

    it('should refuse an SVG, an HTML/JPEG polyglot and a text file with 422 beside the field, storing nothing', async () => {
      const files = readdirSync(photosDir).length;
      const rows = await t.dataSource.getRepository(Photo).count();
      const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script><rect width="10" height="10"/></svg>');
      const polyglot = Buffer.concat([await plainJpeg(), Buffer.from('<html><body><script>alert(document.cookie)</script></body></html>')]);
      // Still a picture to a decoder: the refusal is ours, not sharp's.
      expect((await sharp(polyglot).metadata()).format).toBe('jpeg');
      const said = { svg: 'SVG files cannot be used here', polyglot: 'not a photo we can read', text: 'not a photo we can read' };
      for (const [file, name, message] of [[svg, 'x.svg', said.svg], [polyglot, 'x.jpg', said.polyglot], [Buffer.from('just some text'), 'notes.jpg', said.text]] as const) {
        const res = await upload(agents.coordinator, activity.id, file, { residentIds: [x.id], caption: 'Kept caption' }, name);
        expect({ name, status: res.status }).toEqual({ name, status: 422 });
        expect(res.text).toContain('class="field-error" id="error-photo"');
        expect(res.text).toContain(message);
        // What the user typed comes back.
        expect(res.text).toContain('value="Kept caption"');
      }
      expect(readdirSync(photosDir).length).toBe(files);
      expect(await t.dataSource.getRepository(Photo).count()).toBe(rows);
    });

    it('should refuse a 30 MB upload with 413 and a message beside the field, keeping none of its bytes, storing nothing', async () => {
      const rows = await t.dataSource.getRepository(Photo).count();
      const huge = Buffer.alloc(30 * 1024 * 1024, 0x41);
      huge.set([0xff, 0xd8, 0xff], 0);
      const res = await upload(agents.coordinator, activity.id, huge, { caption: 'Big one' });
      expect(res.status).toBe(413);
      expect(res.text).toContain('larger than 12 MB');
      expect(res.text).toContain('id="error-photo"');
      expect(res.text).toContain('value="Big one"');
      // Just over the limit, inside the declared-length allowance: cut off while streaming, with the same answer and the caption kept.
      const over = Buffer.alloc(12 * 1024 * 1024 + 1024, 0x41);
      over.set([0xff, 0xd8, 0xff], 0);
      const streamed = await upload(agents.coordinator, activity.id, over, { caption: 'Slightly big' });
      expect(streamed.status).toBe(413);
      expect(streamed.text).toContain('larger than 12 MB');
      expect(streamed.text).toContain('value="Slightly big"');
      expect(await t.dataSource.getRepository(Photo).count()).toBe(rows);
    });

    it('should refuse an upload without its CSRF token with 403, and send a signed-out one to sign in, storing nothing', async () => {
      const rows = await t.dataSource.getRepository(Photo).count();
      const noToken = await agents.coordinator.post(`/activities/${activity.id}/photos`).attach('photo', await plainJpeg(), 'a.jpg');
      expect(noToken.status).toBe(403);
      // A token after the file is too late: the file part is refused when it begins.
      const token = await formToken(agents.coordinator, `/activities/${activity.id}/photos`);
      const late = await agents.coordinator.post(`/activities/${activity.id}/photos`).attach('photo', await plainJpeg(), 'a.jpg').field('_csrf', token);
      expect(late.status).toBe(403);
      const signedOut = await request(t.server).post(`/activities/${activity.id}/photos`).attach('photo', await plainJpeg(), 'a.jpg');
      expect(signedOut.status).toBe(303);
      expect(signedOut.headers.location).toMatch(/^\/login/);
      expect(await t.dataSource.getRepository(Photo).count()).toBe(rows);
    });
  });

  describe('who sees a photo', () => {
    let onlyX: string;
    let xAndY: string;
    let untagged: string;
    let xAndW: string;

    beforeAll(async () => {
      onlyX = await addPhoto([x.id], 'Xenia planting');
      xAndY = await addPhoto([x.id, y.id], 'Xenia and Yolanda');
      untagged = await addPhoto([], 'The garden');
      xAndW = await addPhoto([x.id, w.id], 'Xenia and Wanda');
    });

    it('should show staff of the home every photo, tagged or not, and refuse carers a delete', async () => {
      for (const agent of [agents.coordinator, agents.carer, agents.manager]) {
        for (const id of [onlyX, xAndY, untagged, xAndW]) expect(await sees(agent, id)).toBe(200);
      }
      const page = await agents.carer.get(`/activities/${activity.id}/photos`).expect(200);
      expect(page.text).toContain(`/photos/${untagged}/thumb`);
      expect(page.text).toContain('Xenia and Yolanda');
      expect(page.text).not.toContain(`/photos/${onlyX}/delete`);
      expect((await agents.carer.post(`/photos/${onlyX}/delete`).type('form').send({ _csrf: await formToken(agents.carer, '/news') })).status).toBe(403);
    });

    it('should show a family only photos of their relative where every tagged resident consents', async () => {
      expect(await sees(agents.familyX, onlyX)).toBe(200);
      expect(await sees(agents.familyX, xAndY)).toBe(200);
      expect(await sees(agents.familyX, untagged)).toBe(404);
      expect(await sees(agents.familyX, xAndW)).toBe(404);
      expect(await sees(agents.familyY, onlyX)).toBe(404);
      expect(await sees(agents.familyY, xAndY)).toBe(200);
      const feedX = await feed(agents.familyX, x.id);
      expect(feedX.status).toBe(200);
      expect(feedX.text).toContain(`/photos/${onlyX}/thumb`);
      expect(feedX.text).toContain(`/photos/${xAndY}/thumb`);
      expect(feedX.text).not.toContain(`/photos/${untagged}/`);
      expect(feedX.text).not.toContain(`/photos/${xAndW}/`);
      // The activity page is for staff and helpers, not families.
      expect((await agents.familyX.get(`/activities/${activity.id}/photos`)).status).toBe(403);
    });

    it('should answer 404 to another family, to another relative\'s feed and to another home', async () => {
      expect((await feed(agents.familyY, x.id)).status).toBe(404);
      expect((await feed(agents.familyOther, x.id)).status).toBe(404);
      for (const id of [onlyX, xAndY, untagged]) {
        expect(await sees(agents.familyOther, id)).toBe(404);
        expect(await sees(agents.otherCoordinator, id)).toBe(404);
      }
      expect((await agents.otherCoordinator.get(`/activities/${activity.id}/photos`)).status).toBe(404);
    });

    it('should hide a photo from families on the next request when a tagged resident withdraws consent', async () => {
      await t.dataSource.getRepository(Resident).update({ id: y.id }, { consentPhotos: false });
      expect(await sees(agents.familyY, xAndY)).toBe(404);
      expect(await sees(agents.familyX, xAndY)).toBe(404);
      expect(await sees(agents.familyX, onlyX)).toBe(200);
      expect((await feed(agents.familyX, x.id)).text).not.toContain(`/photos/${xAndY}/`);
      await t.dataSource.getRepository(Resident).update({ id: y.id }, { consentFamilyPortal: 'none', consentPhotos: true });
      expect(await sees(agents.familyX, xAndY)).toBe(404);
      await t.dataSource.getRepository(Resident).update({ id: y.id }, { consentFamilyPortal: 'full' });
      expect(await sees(agents.familyX, xAndY)).toBe(200);
    });

    it('should show a confirmed volunteer tagged photos of consenting residents only, and let them add photos only where the home allows', async () => {
      expect(await sees(agents.volunteer, onlyX)).toBe(200);
      expect(await sees(agents.volunteer, untagged)).toBe(404);
      expect(await sees(agents.volunteer, xAndW)).toBe(404);
      expect(await sees(agents.bystanderVolunteer, onlyX)).toBe(404);
      expect((await agents.bystanderVolunteer.get(`/activities/${activity.id}/photos`)).status).toBe(404);
      await t.dataSource.getRepository(Resident).update({ id: x.id }, { consentVolunteerProfile: false });
      expect(await sees(agents.volunteer, onlyX)).toBe(404);
      await t.dataSource.getRepository(Resident).update({ id: x.id }, { consentVolunteerProfile: true });

      const page = await agents.volunteer.get(`/activities/${activity.id}/photos`).expect(200);
      expect(page.text).not.toContain('name="photo"');
      expect((await upload(agents.volunteer, activity.id, await plainJpeg(), { residentIds: [x.id] })).status).toBe(404);
      const token = await formToken(agents.manager, '/news');
      await agents.manager.post('/photos/settings').type('form').send({ _csrf: token, homeId, volunteersMayAdd: 'true' }).expect(303);
      expect((await agents.volunteer.get(`/activities/${activity.id}/photos`)).text).toContain('name="photo"');
      expect((await upload(agents.volunteer, activity.id, await plainJpeg(), { residentIds: [x.id] })).status).toBe(303);
      const bystander = await agents.bystanderVolunteer.post(`/activities/${activity.id}/photos`)
        .field('_csrf', await formToken(agents.bystanderVolunteer, '/account')).field('residentIds', x.id).attach('photo', await plainJpeg(), 'a.jpg');
      expect(bystander.status).toBe(404);
    });

    it('should refuse a tag of a resident who is not on the activity, keeping what was typed', async () => {
      const stranger = await createResident(t, homeId);
      const res = await upload(agents.coordinator, activity.id, await plainJpeg(), { residentIds: [stranger.id], caption: 'Who is this' });
      expect(res.status).toBe(422);
      expect(res.text).toContain('id="error-residentIds"');
      expect(res.text).toContain('value="Who is this"');
    });

    it('should delete a photo, its tags and its files, and audit it', async () => {
      const id = await addPhoto([z.id], 'To delete');
      expect(existsSync(join(photosDir, `${id}.jpg`))).toBe(true);
      const token = await formToken(agents.coordinator, `/activities/${activity.id}/photos`);
      await agents.coordinator.post(`/photos/${id}/delete`).type('form').send({ _csrf: token }).expect(303);
      expect(await t.dataSource.getRepository(Photo).countBy({ id })).toBe(0);
      expect(await t.dataSource.getRepository(PhotoTag).countBy({ photoId: id })).toBe(0);
      expect(existsSync(join(photosDir, `${id}.jpg`))).toBe(false);
      expect(existsSync(join(photosDir, `${id}.thumb.jpg`))).toBe(false);
      const audit = await t.dataSource.getRepository(AuditEntry).findBy({ entityType: 'photo', entityId: id });
      expect(audit.map((a) => a.action).sort()).toEqual(['archive', 'create']);
    });
  });

  describe('data protection', () => {
    it('should list a resident\'s photos in the export, and on erasure delete those where they are alone and untag them elsewhere', async () => {
      const leaver = await createResident(t, homeId, { preferredName: 'Leonora' });
      const stayer = await createResident(t, homeId);
      const party = await createActivity(t, homeId, { residentIds: [leaver.id, stayer.id], title: 'Farewell tea' });
      const add = async (residentIds: string[]) => {
        const before = new Set((await t.dataSource.getRepository(Photo).find()).map((p) => p.id));
        expect((await upload(agents.coordinator, party.id, await plainJpeg(), { residentIds })).status).toBe(303);
        return (await t.dataSource.getRepository(Photo).find()).find((p) => !before.has(p.id))!.id;
      };
      const alone = await add([leaver.id]);
      const together = await add([leaver.id, stayer.id]);
      const exported = await agents.manager.get(`/residents/${leaver.id}/data-export.json`).expect(200);
      const photos = (JSON.parse(exported.text) as { photos: { id: string; activity: string; otherResidentsTagged: number }[] }).photos;
      expect(photos.map((p) => [p.id, p.activity, p.otherResidentsTagged])).toEqual([[alone, 'Farewell tea', 0], [together, 'Farewell tea', 1]]);

      await t.dataSource.getRepository(Resident).update({ id: leaver.id }, { status: 'discharged', leftOn: '2026-11-01' });
      const token = await formToken(agents.manager, `/residents/${leaver.id}/erase`);
      const erased = await agents.manager.post(`/residents/${leaver.id}/erase`).type('form').send({ _csrf: token, reason: 'A request received by post', confirm: 'on' });
      expect(erased.status).toBeLessThan(400);
      expect(await t.dataSource.getRepository(Photo).countBy({ id: alone })).toBe(0);
      expect(existsSync(join(photosDir, `${alone}.jpg`))).toBe(false);
      expect(await t.dataSource.getRepository(Photo).countBy({ id: together })).toBe(1);
      expect((await t.dataSource.getRepository(PhotoTag).findBy({ photoId: together })).map((tag) => tag.residentId)).toEqual([stayer.id]);
      expect(existsSync(join(photosDir, `${together}.jpg`))).toBe(true);
    });
  });

  describe('news', () => {
    it('should page a relative\'s feed newest first, with the home\'s posts and their visible photos', async () => {
      const token = async () => formToken(agents.coordinator, '/news');
      for (let i = 1; i <= 12; i += 1) {
        const res = await agents.coordinator.post('/news').field('_csrf', await token()).field('body', `Post number ${i}`);
        expect(res.status).toBe(303);
      }
      const withPhoto = await agents.coordinator.post('/news').field('_csrf', await token()).field('body', 'Our new garden').attach('photo', await plainJpeg(), 'garden.jpg');
      expect(withPhoto.status).toBe(303);
      const post = await t.dataSource.getRepository(NewsPost).findOneByOrFail({ body: 'Our new garden' });
      expect(post.photoId).not.toBeNull();

      const first = await feed(agents.familyX, x.id);
      expect(first.status).toBe(200);
      const order = [...first.text.matchAll(/Post number (\d+)|Our new garden/g)].map((m) => m[0]);
      expect(order.slice(0, 3)).toEqual(['Our new garden', 'Post number 12', 'Post number 11']);
      expect(first.text).toContain(`/photos/${post.photoId}/thumb`);
      expect(await sees(agents.familyX, post.photoId!)).toBe(200);
      expect(await sees(agents.familyOther, post.photoId!)).toBe(404);
      expect(first.text).toContain('rel="next"');
      const items = (html: string) => (html.match(/<li class="card">/g) ?? []).length;
      expect(items(first.text)).toBe(10);
      const second = await feed(agents.familyX, x.id, 2);
      expect(second.text).toContain('Post number 1<');
      expect(second.text).not.toContain('Post number 12');
      expect(items(second.text)).toBeGreaterThan(0);
      // The other home's family sees none of this home's posts.
      expect((await agents.familyOther.get('/news')).status).toBe(403);
    });

    it('should refuse an empty post beside the field', async () => {
      const res = await agents.coordinator.post('/news').set('Accept', 'text/html').field('_csrf', await formToken(agents.coordinator, '/news')).field('body', '   ');
      expect(res.status).toBe(422);
      expect(res.text).toContain('id="error-body"');
    });
  });

  describe('resident profile photos', () => {
    it('should go through the same pipeline: EXIF gone, a polyglot refused', async () => {
      const token = async () => formToken(agents.manager, `/residents/${z.id}`);
      const ok = await agents.manager.post(`/residents/${z.id}/photo`).field('_csrf', await token()).attach('photo', await jpegWithGps(), 'me.jpg');
      expect(ok.status).toBe(303);
      const res = await agents.manager.get(`/residents/${z.id}/photo`).buffer(true).parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      });
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect((await sharp(res.body as Buffer).metadata()).exif).toBeUndefined();
      const polyglot = Buffer.concat([await plainJpeg(), Buffer.from('<script>alert(1)</script>')]);
      const refused = await agents.manager.post(`/residents/${z.id}/photo`).set('Accept', 'text/html').field('_csrf', await token()).attach('photo', polyglot, 'me.jpg');
      expect(refused.status).toBe(422);
    });
  });
  describe('found by a review (a coordinator on a desktop, a relative on a phone)', () => {
    /** A 64x48 HEIC as an iPhone writes it (HEVC inside a HEIF box), made with libheif's heif-enc. */
    const heic = Buffer.from('AAAAHGZ0eXBoZWljAAAAAG1pZjFoZWljbWlhZgAAAa1tZXRhAAAAAAAAACFoZGxyAAAAAAAAAABwaWN0AAAAAAAAAAAAAAAAAAAAAA5waXRtAAAAAAACAAAAEGlkYXQAAAAAAEAAMAAAADhpbG9jAQAAAERAAAIAAQAAAAAAAAHRAAEAAAAAAAAAHQACAAEAAAAAAAAAAQAAAAAAAAAIAAAAOGlpbmYAAAAAAAIAAAAVaW5mZQIAAAEAAQAAaHZjMQAAAAAVaW5mZQIAAAAAAgAAZ3JpZAAAAADYaXBycAAAALZpcGNvAAAAdmh2Y0MBA3AAAAAAAAAAAAAe8AD8/fj4AAAPAyAAAQAYQAEMAf//A3AAAAMAkAAAAwAAAwAeugJAIQABACpCAQEDcAAAAwCQAAADAAADAB6gIIEFlurkprm4EBAwIAAAAwAgAAADACEiAAEABkQBwXPAiQAAABRpc3BlAAAAAAAAAEAAAABAAAAAFGlzcGUAAAAAAAAAQAAAADAAAAAQcGl4aQAAAAADCAgIAAAAGmlwbWEAAAAAAAAAAgABAoECAAICA4QAAAAaaXJlZgAAAAAAAAAOZGltZwACAAEAAQAAACVtZGF0AAAAGSgBrxOA+BDhp//6LqK/4d9X/RRe/OikM+A=', 'base64');
    let party: Activity;
    let paola: Resident;

    /** The form as a browser sends it: token, then the file, then the caption and the ticks (the order of the page). */
    async function uploadAsBrowser(agent: Agent, activityId: string, file: Buffer, fields: { caption?: string; residentIds?: string[] }, filename = 'IMG_0001.jpg') {
      const token = await formToken(agent, `/activities/${activityId}/photos`);
      let req = agent.post(`/activities/${activityId}/photos`).set('Accept', 'text/html').field('_csrf', token).attach('photo', file, { filename, contentType: 'image/jpeg' });
      if (fields.caption) req = req.field('caption', fields.caption);
      for (const id of fields.residentIds ?? []) req = req.field('residentIds', id);
      return req;
    }

    const tick = (html: string, residentId: string) => new RegExp(`<input type="checkbox" id="tag-${residentId}"[^>]*\\schecked`).test(html);
    /** The tag list's entry of one resident, from its checkbox to the end of its line. */
    const tagEntry = (html: string, residentId: string) => new RegExp(`id="tag-${residentId}"[\\s\\S]*?</li>`).exec(html)?.[0] ?? '';
    /** The card of one photo in the grid. */
    const card = (html: string, photoId: string) => new RegExp(`/photos/${photoId}/thumb[\\s\\S]*?</li>`).exec(html)?.[0] ?? '';

    beforeAll(async () => {
      paola = await createResident(t, homeId, { consentPhotos: true, consentFamilyPortal: 'none', preferredName: 'Paola' });
      party = await createActivity(t, homeId, { residentIds: [x.id, w.id, paola.id], title: 'Tombola di Natale', startsAt: new Date('2026-03-12T14:30:00Z') });
    });

    it('should keep the caption and the ticks when the file is over 12 MB, saying so once, beside the field', async () => {
      const rows = await t.dataSource.getRepository(Photo).count();
      for (const mb of [16.8, 12.1]) {
        const big = Buffer.alloc(Math.round(mb * 1024 * 1024), 0x41);
        big.set([0xff, 0xd8, 0xff], 0);
        const res = await uploadAsBrowser(agents.coordinator, party.id, big, { caption: 'La tombola', residentIds: [x.id] });
        expect({ mb, status: res.status }).toEqual({ mb, status: 413 });
        expect(res.text).toContain('class="field-error" id="error-photo">This file is larger than 12 MB');
        expect(res.text).toContain('value="La tombola"');
        expect(tick(res.text, x.id)).toBe(true);
        expect(tick(res.text, w.id)).toBe(false);
        // The field says it; the top of the page does not add the generic "too large" as well.
        expect(res.text).not.toContain('What was sent is too large');
      }
      expect(await t.dataSource.getRepository(Photo).count()).toBe(rows);
    });

    it('should name the accepted types when a GIF or an iPhone HEIC is sent, and say the same in the field\'s hint', async () => {
      const gif = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#336699' } }).gif().toBuffer();
      for (const [file, name, type] of [[gif, 'cat.gif', 'GIF'], [heic, 'IMG_0002.HEIC', 'HEIC']] as const) {
        const res = await uploadAsBrowser(agents.coordinator, party.id, file, { caption: 'Kept', residentIds: [x.id] }, name);
        expect({ name, status: res.status }).toEqual({ name, status: 422 });
        expect(res.text).toContain(`${type} files cannot be used here. Choose a JPEG, PNG, WebP or AVIF photo`);
        expect(res.text).not.toContain('not a photo we can read');
        expect(res.text).toContain('value="Kept"');
        expect(tick(res.text, x.id)).toBe(true);
      }
      const page = await agents.coordinator.get(`/activities/${party.id}/photos`).expect(200);
      expect(page.text).toContain('JPEG, PNG, WebP or AVIF, up to 12 MB');
    });

    it('should mark the residents families will not see photos of, and say on each photo who sees it', async () => {
      const page = async () => (await agents.coordinator.get(`/activities/${party.id}/photos`).expect(200)).text;
      const before = await page();
      expect(tagEntry(before, w.id)).toContain('Wanda');
      expect(tagEntry(before, w.id)).toContain('no photo consent');
      expect(tagEntry(before, paola.id)).toContain('family portal closed');
      expect(tagEntry(before, x.id)).not.toMatch(/no photo consent|family portal closed/);

      const addTo = async (residentIds: string[]) => {
        const known = new Set((await t.dataSource.getRepository(Photo).find()).map((p) => p.id));
        expect((await upload(agents.coordinator, party.id, await plainJpeg(), { residentIds })).status).toBe(303);
        return (await t.dataSource.getRepository(Photo).find()).find((p) => !known.has(p.id))!.id;
      };
      const seen = await addTo([x.id]);
      const withWanda = await addTo([x.id, w.id]);
      const withPaola = await addTo([x.id, paola.id]);
      const nobody = await addTo([]);
      const after = await page();
      expect(card(after, seen)).toContain('Seen by the families of Xenia');
      expect(card(after, withWanda)).toContain('Staff only: no photo consent for Wanda');
      expect(card(after, withPaola)).toContain('Staff only: family portal closed for Paola');
      expect(card(after, nobody)).toContain('Staff only: nobody tagged');
      // What the labels say is what the families get.
      expect(await sees(agents.familyX, seen)).toBe(200);
      for (const id of [withWanda, withPaola, nobody]) expect(await sees(agents.familyX, id)).toBe(404);
      // A carer reads the same labels.
      expect(card((await agents.carer.get(`/activities/${party.id}/photos`).expect(200)).text, withWanda)).toContain('Staff only: no photo consent for Wanda');
    });

    it('should show a relative which activity each photo came from, and when it was', async () => {
      const known = new Set((await t.dataSource.getRepository(Photo).find()).map((p) => p.id));
      expect((await upload(agents.coordinator, party.id, await plainJpeg(), { residentIds: [x.id], caption: 'Cartella piena' })).status).toBe(303);
      const id = (await t.dataSource.getRepository(Photo).find()).find((p) => !known.has(p.id))!.id;
      const res = await feed(agents.familyX, x.id);
      expect(res.status).toBe(200);
      const item = new RegExp(`<li class="card">(?:(?!</li>)[\\s\\S])*?/photos/${id}/thumb[\\s\\S]*?</li>`).exec(res.text)?.[0] ?? '';
      expect(item).toContain('Tombola di Natale');
      expect(item).toContain('12 Mar 2026');
      expect(item).toContain('Cartella piena');
    });
  });

  describe("a volunteer's photo waits for a staff check", () => {
    let tea: Activity;
    let helper: Agent;
    let otherHelper: Agent;

    beforeAll(async () => {
      tea = await createActivity(t, homeId, { residentIds: [x.id, y.id, w.id], title: 'Afternoon tea' });
      const helperUser = async () => {
        const volunteer = await createVolunteer(t, homeId);
        await createHelpOffer(t, tea, { volunteerId: volunteer.id });
        const user = await createUser(t, { role: 'volunteer', homeIds: [homeId], personKind: 'volunteer', personId: volunteer.id });
        return signIn(t, user.email, user.password);
      };
      helper = await helperUser();
      otherHelper = await helperUser();
      await agents.manager.post('/photos/settings').type('form').send({ _csrf: await formToken(agents.manager, '/news'), homeId, volunteersMayAdd: 'true' }).expect(303);
    });

    async function volunteerPhoto(residentIds: string[], caption: string): Promise<string> {
      const known = new Set((await t.dataSource.getRepository(Photo).find()).map((p) => p.id));
      expect((await upload(helper, tea.id, await plainJpeg(), { residentIds, caption })).status).toBe(303);
      return (await t.dataSource.getRepository(Photo).find()).find((p) => !known.has(p.id))!.id;
    }
    const checkForm = (id: string) => `action="/photos/${id}/check"`;
    /** One photo's card, up to its first list item's end (the check form's first resident, when it has one). */
    const card = (html: string, photoId: string) => new RegExp(`/photos/${photoId}/thumb[\\s\\S]*?</li>`).exec(html)?.[0] ?? '';
    async function check(agent: Agent, id: string, residentIds: string[]) {
      let body = `_csrf=${encodeURIComponent(await formToken(agent, '/news'))}`;
      for (const rid of residentIds) body += `&residentIds=${rid}`;
      return agent.post(`/photos/${id}/check`).set('Accept', 'text/html').type('form').send(body);
    }

    it('should keep it from families and other helpers until a coordinator has checked it, showing it to its uploader and to staff', async () => {
      const id = await volunteerPhoto([x.id], 'Tea with Xenia');
      expect((await t.dataSource.getRepository(Photo).findOneByOrFail({ id })).checkedAt).toBeNull();
      expect(await sees(agents.familyX, id)).toBe(404);
      expect((await feed(agents.familyX, x.id)).text).not.toContain(`/photos/${id}/`);
      expect(await sees(otherHelper, id)).toBe(404);
      expect((await otherHelper.get(`/activities/${tea.id}/photos`).expect(200)).text).not.toContain(`/photos/${id}/`);
      expect(await sees(helper, id)).toBe(200);
      expect((await helper.get(`/activities/${tea.id}/photos`).expect(200)).text).toContain('Waiting for a check by staff');
      // Staff see it, marked; the coordinator can check it, the carer cannot.
      const coordinatorPage = (await agents.coordinator.get(`/activities/${tea.id}/photos`).expect(200)).text;
      expect(coordinatorPage).toContain('Added by a volunteer: waiting for a coordinator');
      expect(coordinatorPage).toContain(checkForm(id));
      expect(coordinatorPage).toMatch(new RegExp(`id="check-${id}-${x.id}"[^>]*checked`));
      expect(coordinatorPage).not.toMatch(new RegExp(`id="check-${id}-${w.id}"[^>]*checked`));
      const carerPage = (await agents.carer.get(`/activities/${tea.id}/photos`).expect(200)).text;
      expect(carerPage).toContain(`/photos/${id}/thumb`);
      expect(carerPage).not.toContain(checkForm(id));
      expect((await check(agents.carer, id, [x.id])).status).toBe(403);
      expect((await t.dataSource.getRepository(Photo).findOneByOrFail({ id })).checkedAt).toBeNull();
    });

    it('should tell the home\'s coordinators once per activity, and read the notice when the last photo is checked', async () => {
      const first = await volunteerPhoto([y.id], 'Yolanda pours');
      const second = await volunteerPhoto([x.id, y.id], 'Both at the table');
      const notices = await t.dataSource.getRepository(Notification).findBy({ kind: 'photo_check', link: `/activities/${tea.id}/photos` });
      const unread = notices.filter((n) => n.readAt === null);
      expect(unread.length).toBeGreaterThan(0);
      // One unread per coordinator or manager, however many photos wait.
      expect(new Set(unread.map((n) => n.userId)).size).toBe(unread.length);
      expect(unread[0].messageKey).toBe('notifications.messages.photoToCheck');
      const pending = await t.dataSource.getRepository(Photo).findBy({ activityId: tea.id });
      for (const photo of pending.filter((p) => p.checkedAt === null && p.id !== first && p.id !== second)) expect((await check(agents.coordinator, photo.id, [x.id])).status).toBe(303);
      expect((await check(agents.coordinator, first, [y.id])).status).toBe(303);
      expect((await t.dataSource.getRepository(Notification).findBy({ kind: 'photo_check', link: `/activities/${tea.id}/photos` })).filter((n) => n.readAt === null).length).toBeGreaterThan(0);
      expect((await check(agents.coordinator, second, [x.id, y.id])).status).toBe(303);
      expect((await t.dataSource.getRepository(Notification).findBy({ kind: 'photo_check', link: `/activities/${tea.id}/photos` })).filter((n) => n.readAt === null)).toHaveLength(0);
    });

    it('should take the tags the coordinator ticks, audit the check, and then show families what the tags allow', async () => {
      // The volunteer could tag Xenia only; Wanda (no photo consent) is in it too.
      const id = await volunteerPhoto([x.id], 'Xenia and Wanda at tea');
      const res = await check(agents.coordinator, id, [x.id, w.id]);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/activities/${tea.id}/photos`);
      const photo = await t.dataSource.getRepository(Photo).findOneByOrFail({ id });
      expect(photo.checkedAt).not.toBeNull();
      expect((await t.dataSource.getRepository(PhotoTag).findBy({ photoId: id })).map((tag) => tag.residentId).sort()).toEqual([x.id, w.id].sort());
      // Wanda's tag keeps it from Xenia's family; the helpers see it no more either.
      expect(await sees(agents.familyX, id)).toBe(404);
      expect(await sees(otherHelper, id)).toBe(404);
      const entry = await t.dataSource.getRepository(AuditEntry).findOneByOrFail({ entityType: 'photo', entityId: id, action: 'update' });
      expect(Object.keys(entry.changes ?? {}).sort()).toEqual(['checkedAt', 'residentIds']);
      expect(entry.userId).toBe(photo.checkedBy);

      const plain = await volunteerPhoto([x.id], 'Xenia alone');
      expect((await check(agents.coordinator, plain, [x.id])).status).toBe(303);
      expect(await sees(agents.familyX, plain)).toBe(200);
      expect(await sees(otherHelper, plain)).toBe(200);
      expect((await feed(agents.familyX, x.id)).text).toContain(`/photos/${plain}/thumb`);
      const page = (await agents.coordinator.get(`/activities/${tea.id}/photos`).expect(200)).text;
      expect(card(page, plain)).toContain('Seen by the families of Xenia');
      expect(card(page, plain)).not.toContain(checkForm(plain));
    });

    it('should refuse a tag of a resident not on the activity, and a check from another home', async () => {
      const id = await volunteerPhoto([x.id], 'Who else');
      const stranger = await createResident(t, homeId);
      expect((await check(agents.coordinator, id, [stranger.id])).status).toBe(422);
      expect((await check(agents.otherCoordinator, id, [x.id])).status).toBe(404);
      expect((await t.dataSource.getRepository(Photo).findOneByOrFail({ id })).checkedAt).toBeNull();
    });

    it('should mark a photo added by staff as checked by them', async () => {
      const id = await addPhoto([x.id], 'By the coordinator');
      const photo = await t.dataSource.getRepository(Photo).findOneByOrFail({ id });
      expect(photo.checkedAt).not.toBeNull();
      expect(photo.checkedBy).toBe(photo.uploadedById);
    });
  });
});
