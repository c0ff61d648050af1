import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, IsNull, Repository, SelectQueryBuilder } from 'typeorm';
import { ActivitiesService } from '../activities/activities.service';
import { AuditService } from '../audit/audit.service';
import { can } from '../common/access/access-policy';
import { assertHomeAccess, findInHomes, scopeToHomes } from '../common/access/home-scope';
import type { SessionUser } from '../common/access/session-user';
import { NotFoundError, ValidationError } from '../common/errors/domain-errors';
import type { ProcessedImage } from '../common/images/image-pipeline';
import { formatDateTime } from '../common/views/format';
import { UnitOfWork } from '../database/unit-of-work';
import { INBOX_ROLES, NotificationsService } from '../notifications/notifications.service';
import { FamilyLinksService } from '../residents/family-links.service';
import { ResidentsService } from '../residents/residents.service';
import { NewsPost } from './entities/news-post.entity';
import { PhotoSetting } from './entities/photo-setting.entity';
import { PhotoTag } from './entities/photo-tag.entity';
import { Photo } from './entities/photo.entity';
import { PhotoFiles } from './photo-files';
import { MAX_CAPTION, PHOTO_PAGE_SIZE, PhotoSize } from './photos.enums';

/** The notifications telling coordinators of a volunteer's photo to check. */
const PHOTO_CHECK_KIND = 'photo_check';

/** A photo as a page shows it. */
export interface PhotoView {
  id: string;
  caption: string | null;
  width: number;
  height: number;
  takenAt: string;
  createdAt: Date;
  /** Names of the tagged residents the reader may see by name (staff: all of them). */
  tagged: string[];
  canDelete: boolean;
  /** A volunteer's photo no member of staff has checked yet: staff and its uploader see it, nobody else. */
  awaitingCheck: boolean;
  /** Staff only: whether families see the photo, and if not, who or what keeps it from them. */
  audience?: PhotoAudience;
  /** The feed only: the activity the photo was taken at, when families are shown that activity. */
  activity?: { title: string; startsAt: string };
}

/** What staff are told about who among families sees a photo: a message key and the names it reads. */
export interface PhotoAudience {
  key: string;
  names: string;
  staffOnly: boolean;
}

/** Why families see no photo of a resident (familyPhotoBlocks), or null. */
type FamilyBlock = 'noPhotoConsent' | 'portalClosed' | null;

function nameList(names: string[], locale: string): string {
  return new Intl.ListFormat(locale === 'it' ? 'it' : 'en-GB', { type: 'conjunction' }).format(names);
}

export interface PhotoInput {
  caption?: string;
  residentIds: string[];
}

/** A resident's photos for the subject-access export: what is held, never the bytes. */
export interface ResidentPhotoRecord {
  id: string;
  activityId: string | null;
  caption: string | null;
  takenAt: Date;
  otherResidentsTagged: number;
}

/**
 * Activity photos: adding, tagging, deleting, and the one rule of who may see a photo
 * (`visibleQuery`), which every read goes through (activity page, image route, news feed).
 */
@Injectable()
export class PhotosService {
  constructor(
    @InjectRepository(Photo) private readonly photos: Repository<Photo>,
    @InjectRepository(PhotoSetting) private readonly settings: Repository<PhotoSetting>,
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditService,
    private readonly files: PhotoFiles,
    private readonly activities: ActivitiesService,
    private readonly residents: ResidentsService,
    private readonly familyLinks: FamilyLinksService,
    private readonly notifications: NotificationsService,
  ) {}

  // The rule ---------------------------------------------------------------------------------

  /**
   * Photos this user may see, as a query on `p` (the one place the rule lives; docs/photos.md):
   * - staff (admin, manager, coordinator, carer): every photo of their homes;
   * - a relative: a photo with at least one tagged resident they are actively linked to, and whose
   *   every tagged resident consents to photos and has the family portal open; a news post's
   *   untagged photo when the post reaches them. Untagged activity photos stay with staff;
   * - a volunteer: photos of the given activity if they are confirmed to help with it, with at least
   *   one tagged resident, every tagged resident consenting to photos and to volunteers; and their
   *   own photos there that wait for a staff check;
   * - families and volunteers see only checked photos (a volunteer's photo waits for staff), but for
   *   that uploader's own;
   * - anyone else, or another home: nothing (the caller answers 404).
   * Consent and links are read at every call, so a withdrawal takes effect on the next request.
   */
  async visibleQuery(user: SessionUser, activityId?: string | null): Promise<SelectQueryBuilder<Photo>> {
    const qb = scopeToHomes(this.photos.createQueryBuilder('p'), user);
    if (can(user, 'homeStaff')) return qb;
    const tagged = (name: string) =>
      `EXISTS (SELECT 1 FROM photo_tag ${name} WHERE ${name}."photoId" = p.id AND ${name}."residentId" IN (:...${name}Ids))`;
    // No resident tagged whose consents keep the photo from this audience.
    const noneBlocked = async (audience: 'family' | 'volunteer') => {
      const blocked = await this.residents.photoBlockedIds(user.homeIds, audience);
      if (blocked.length === 0) return '1 = 1';
      qb.setParameter('blockedIds', blocked);
      return `NOT ${tagged('blocked')}`;
    };
    if (user.role === 'family' && user.personKind === 'family' && user.personId) {
      const linked = await this.familyLinks.activeLinkedResidentIds(user.personId);
      const open = (await this.residents.briefsByIds(linked)).filter((r) => r.consentFamilyPortal !== 'none' && user.homeIds.includes(r.homeId));
      if (open.length === 0) return qb.andWhere('1 = 0');
      const units = [...new Set(open.map((r) => r.unitId).filter((u): u is string => u !== null))];
      const postReaches = `EXISTS (SELECT 1 FROM news_post n WHERE n."photoId" = p.id AND n."homeId" IN (:...openHomes) AND (n."unitId" IS NULL${units.length > 0 ? ' OR n."unitId" IN (:...openUnits)' : ''}))`;
      const untagged = 'NOT EXISTS (SELECT 1 FROM photo_tag anyTag WHERE anyTag."photoId" = p.id)';
      qb.andWhere(`(${tagged('linked')} OR (p.activityId IS NULL AND ${untagged} AND ${postReaches}))`, {
        linkedIds: open.map((r) => r.id), openHomes: [...new Set(open.map((r) => r.homeId))], openUnits: units,
      });
      return qb.andWhere('p.checkedAt IS NOT NULL').andWhere(await noneBlocked('family'));
    }
    if (user.role === 'volunteer' && user.personKind === 'volunteer' && user.personId && activityId) {
      if (!(await this.activities.isConfirmedHelper(activityId, user.personId))) return qb.andWhere('1 = 0');
      const shown = `p.checkedAt IS NOT NULL AND EXISTS (SELECT 1 FROM photo_tag anyTag WHERE anyTag."photoId" = p.id) AND ${await noneBlocked('volunteer')}`;
      return qb.andWhere('p.activityId = :activityId', { activityId })
        .andWhere(`((${shown}) OR (p.checkedAt IS NULL AND p.uploadedById = :uploader))`, { uploader: user.id });
    }
    return qb.andWhere('1 = 0');
  }

  /** A photo's file, if this user may see the photo; 404 otherwise. */
  async open(user: SessionUser, id: string, size: PhotoSize) {
    const activityId = (await this.photos.findOne({ select: { id: true, activityId: true }, where: { id } }))?.activityId;
    const visible = await (await this.visibleQuery(user, activityId)).andWhere('p.id = :id', { id }).getExists();
    if (!visible) throw new NotFoundError();
    return this.files.open(id, size);
  }

  // Activity photos --------------------------------------------------------------------------

  /** Whether this user may add photos to an activity they can see (volunteers: confirmed helpers of a home that allows it). */
  async mayAdd(user: SessionUser, activity: { id: string; homeId: string }): Promise<boolean> {
    if (can(user, 'addPhotos')) return true;
    if (user.role !== 'volunteer' || user.personKind !== 'volunteer' || !user.personId) return false;
    return (await this.volunteersMayAdd(activity.homeId)) && this.activities.isConfirmedHelper(activity.id, user.personId);
  }

  /** The activity's photos page: the activity, who can be tagged, the photos this user may see, newest first. */
  async activityPage(user: SessionUser, activityId: string, page = 1) {
    const activity = await this.activities.get(user, activityId);
    if (user.role === 'volunteer' && !(user.personId && (await this.activities.isConfirmedHelper(activity.id, user.personId)))) throw new NotFoundError();
    const roster = await this.activities.rosterFor(user, activity.id);
    const qb = (await this.visibleQuery(user, activity.id)).andWhere('p.activityId = :activityId', { activityId: activity.id });
    const total = await qb.clone().getCount();
    const pages = Math.max(1, Math.ceil(total / PHOTO_PAGE_SIZE));
    const current = Math.min(Math.max(1, page), pages);
    const rows = await qb.orderBy('p.createdAt', 'DESC').addOrderBy('p.id', 'DESC').skip((current - 1) * PHOTO_PAGE_SIZE).take(PHOTO_PAGE_SIZE).getMany();
    const tags = await this.tagsOf(rows);
    const names = new Map(roster.map((r) => [r.id, r.displayName]));
    if (!can(user, 'homeStaff')) {
      // A volunteer's photo waits for a staff check (check()): the form's hint says so.
      return { activity: this.activityHeading(user, activity), roster, photos: this.views(user, rows, tags, names), canAdd: await this.mayAdd(user, activity), page: current, pages, addsForCheck: true };
    }
    // Staff see, before they tick, whose photos families never get, and on each photo whether families
    // see it. Ticking such a resident is right: their tag is what keeps the photo from the families
    // of the others in it (docs/photos.md). Volunteers are not told residents' consents (SPEC 1).
    const taggedIds = tags.map((t) => t.residentId);
    const blocks = await this.residents.familyPhotoBlocks([...roster.map((r) => r.id), ...taggedIds]);
    for (const brief of await this.residents.briefsByIds(taggedIds.filter((id) => !names.has(id)))) names.set(brief.id, brief.preferredName?.trim() || brief.firstName);
    const checks = can(user, 'checkPhotos');
    const photos = this.views(user, rows, tags, names).map((view) => {
      const ids = [...new Set(tags.filter((t) => t.photoId === view.id).map((t) => t.residentId))];
      if (!view.awaitingCheck) return { ...view, audience: this.audience(user, ids, blocks, names) };
      // The check: the list and whoever is tagged, ticked as the volunteer tagged them, with the consent marks.
      const choices = checks
        ? [...roster.map((r) => r.id), ...ids.filter((rid) => !roster.some((r) => r.id === rid))].map((rid) => ({
          id: rid, name: names.get(rid) ?? '?', ticked: ids.includes(rid), familyBlock: blocks.get(rid) ?? null,
        }))
        : null;
      return { ...view, audience: { key: 'photos.staffOnlyAwaitingCheck', names: '', staffOnly: true }, checkChoices: choices };
    });
    return {
      activity: this.activityHeading(user, activity),
      roster: roster.map((r) => ({ ...r, familyBlock: blocks.get(r.id) ?? null })),
      photos,
      canAdd: await this.mayAdd(user, activity),
      page: current,
      pages,
    };
  }

  /**
   * Adds a photo (already through the image pipeline, outside the transaction) to an activity,
   * tagging residents on its roster. The files are written first and removed if the row is not.
   */
  /** The activity, if this user may add photos to it; 404 otherwise (also for an activity they see but may not add to). */
  async activityForAdding(user: SessionUser, activityId: string) {
    const activity = await this.activities.get(user, activityId);
    if (!(await this.mayAdd(user, activity))) throw new NotFoundError();
    return activity;
  }

  async add(user: SessionUser, activityId: string, input: PhotoInput, image: ProcessedImage): Promise<string> {
    const activity = await this.activityForAdding(user, activityId);
    const caption = this.caption(input.caption);
    const rosterIds = new Set((await this.activities.rosterFor(user, activity.id)).map((r) => r.id));
    const residentIds = [...new Set(input.residentIds)];
    if (residentIds.some((id) => !rosterIds.has(id))) throw new ValidationError({ residentIds: { key: 'photos.tagNotOnRoster' } });
    const id = randomUUID();
    // Staff tag knowing residents' consents; a volunteer does not (SPEC 1), so their photo waits for a check.
    const checked = can(user, 'addPhotos');
    this.files.write(id, image);
    try {
      await this.unitOfWork.transaction(async (m) => {
        // To the millisecond (SQLite's CURRENT_TIMESTAMP has whole seconds), so newest-first holds.
        const now = new Date();
        await m.insert(Photo, {
          id, homeId: activity.homeId, activityId: activity.id, caption, width: image.width, height: image.height, uploadedById: user.id, createdAt: now,
          checkedAt: checked ? now : null, checkedBy: checked ? user.id : null,
        });
        if (residentIds.length > 0) await m.insert(PhotoTag, residentIds.map((residentId) => ({ homeId: activity.homeId, photoId: id, residentId })));
        await this.audit.record(m, {
          action: 'create', userId: user.id, role: user.role, entityType: 'photo', entityId: id, homeId: activity.homeId,
          changes: { activityId: { old: null, new: activity.id }, caption: { old: null, new: caption }, residentIds: { old: null, new: residentIds.join(',') || null } },
        });
        if (!checked) {
          // One unread notice per activity however many photos wait (supersedes), gone once all are checked (check()).
          await this.notifications.notify(m, {
            toRoles: INBOX_ROLES, homeId: activity.homeId, kind: PHOTO_CHECK_KIND, messageKey: 'notifications.messages.photoToCheck',
            params: { name: user.displayName, title: activity.title }, link: this.photosPage(activity.id), exceptUserIds: [user.id], by: user, supersedes: true,
          });
        }
      });
    } catch (error) {
      this.files.remove(id);
      throw error;
    }
    return id;
  }

  /**
   * A staff check of a volunteer's photo: who is in it, ticked (residents on the activity's list, or
   * already tagged), replaces its tags, and from then on the photo follows the rule like any other.
   * Checking again changes the tags. Returns the photo's activity.
   */
  async check(user: SessionUser, id: string, residentIds: string[]): Promise<string> {
    if (!can(user, 'checkPhotos')) throw new NotFoundError();
    const photo = await findInHomes(this.photos.manager, Photo, user, id);
    // A news photo has no tags to check: its post decides who sees it.
    if (!photo.activityId) throw new NotFoundError();
    const activityId = photo.activityId;
    const rosterIds = new Set((await this.activities.rosterFor(user, activityId)).map((r) => r.id));
    return this.unitOfWork.transaction(async (m) => {
      const current = await m.findOneByOrFail(Photo, { id });
      const before = (await m.findBy(PhotoTag, { photoId: id })).map((t) => t.residentId);
      const after = [...new Set(residentIds)];
      if (after.some((rid) => !rosterIds.has(rid) && !before.includes(rid))) throw new ValidationError({ residentIds: { key: 'photos.tagNotOnRoster' } });
      const removed = before.filter((rid) => !after.includes(rid));
      const added = after.filter((rid) => !before.includes(rid));
      if (removed.length > 0) await m.delete(PhotoTag, { photoId: id, residentId: In(removed) });
      if (added.length > 0) await m.insert(PhotoTag, added.map((residentId) => ({ homeId: current.homeId, photoId: id, residentId })));
      const checkedAt = new Date();
      await m.update(Photo, { id }, { checkedAt, checkedBy: user.id });
      await this.audit.record(m, {
        action: 'update', userId: user.id, role: user.role, entityType: 'photo', entityId: id, homeId: current.homeId,
        changes: {
          checkedAt: { old: current.checkedAt?.toISOString() ?? null, new: checkedAt.toISOString() },
          ...(removed.length + added.length > 0 ? { residentIds: { old: before.join(',') || null, new: after.join(',') || null } } : {}),
        },
      });
      // The coordinators' notice of photos to check goes once none of this activity's waits.
      const waiting = await m.countBy(Photo, { activityId, checkedAt: IsNull() });
      if (waiting === 0) await this.notifications.markReadAbout(m, { kind: PHOTO_CHECK_KIND, link: this.photosPage(activityId) });
      return activityId;
    });
  }

  /** Deletes a photo (its tags, and its place in a news post, go with it), then its files. Returns its activity. */
  async remove(user: SessionUser, id: string): Promise<string | null> {
    if (!can(user, 'deletePhotos')) throw new NotFoundError();
    const activityId = await this.unitOfWork.transaction(async (m) => {
      const photo = await findInHomes(m, Photo, user, id);
      await this.deleteRow(m, user, photo);
      return photo.activityId;
    });
    this.files.remove(id);
    return activityId;
  }

  // Settings ---------------------------------------------------------------------------------

  async volunteersMayAdd(homeId: string): Promise<boolean> {
    return (await this.settings.findOneBy({ homeId }))?.volunteersMayAdd ?? false;
  }

  async setVolunteersMayAdd(user: SessionUser, homeId: string, value: boolean): Promise<void> {
    assertHomeAccess(user, homeId);
    await this.unitOfWork.transaction(async (m) => {
      const current = await m.findOneBy(PhotoSetting, { homeId });
      if (current) await m.update(PhotoSetting, { id: current.id }, { volunteersMayAdd: value });
      else await m.insert(PhotoSetting, { homeId, volunteersMayAdd: value });
      await this.audit.record(m, {
        action: current ? 'update' : 'create', userId: user.id, role: user.role, entityType: 'photo_setting', entityId: current?.id ?? homeId, homeId,
        changes: { volunteersMayAdd: { old: current?.volunteersMayAdd ?? false, new: value } },
      });
    });
  }

  // For news (same module) -------------------------------------------------------------------

  /** Stores a news post's photo: no activity, no tags (the post decides who sees it). Inside the caller's transaction. */
  async addUntagged(m: EntityManager, user: SessionUser, homeId: string, id: string, image: ProcessedImage): Promise<void> {
    const now = new Date();
    await m.insert(Photo, { id, homeId, activityId: null, caption: null, width: image.width, height: image.height, uploadedById: user.id, createdAt: now, checkedAt: now, checkedBy: user.id });
    await this.audit.record(m, { action: 'create', userId: user.id, role: user.role, entityType: 'photo', entityId: id, homeId, changes: { newsPhoto: { old: null, new: true } } });
  }

  /** Of these photo ids, those this user may see. */
  async visibleIds(user: SessionUser, ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await (await this.visibleQuery(user)).andWhere('p.id IN (:...candidateIds)', { candidateIds: ids }).select('p.id', 'id').getRawMany<{ id: string }>();
    return new Set(rows.map((r) => r.id));
  }

  /** A relative's photos for the news feed: visible, tagged with this resident, newest first, at most `limit`. */
  async feedPhotos(user: SessionUser, residentId: string, limit: number): Promise<{ total: number; photos: PhotoView[] }> {
    const qb = (await this.visibleQuery(user)).andWhere('p.activityId IS NOT NULL')
      .andWhere('EXISTS (SELECT 1 FROM photo_tag mine WHERE mine."photoId" = p.id AND mine."residentId" = :feedResident)', { feedResident: residentId });
    const total = await qb.clone().getCount();
    const rows = await qb.orderBy('p.createdAt', 'DESC').addOrderBy('p.id', 'DESC').take(limit).getMany();
    const names = new Map((await this.residents.briefsByIds([residentId])).map((r) => [r.id, r.preferredName?.trim() || r.firstName]));
    // Which activity, and when: named only where the family is shown that activity anyway (not hidden from families).
    const activities = new Map((await this.activities.briefsByIds(rows.map((r) => r.activityId).filter((id): id is string => id !== null)))
      .filter((a) => a.visibleToFamilies)
      .map((a) => [a.id, { title: a.title, startsAt: formatDateTime(a.startsAt, user.locale, user.timezone) }]));
    const photos = this.views(user, rows, await this.tagsOf(rows), names).map((view, i) => {
      const activity = activities.get(rows[i].activityId ?? '');
      return activity ? { ...view, activity } : view;
    });
    return { total, photos };
  }

  // Data protection --------------------------------------------------------------------------

  /** The photos a resident is tagged in (metadata only), for the subject-access export. */
  async forResident(residentId: string, manager: EntityManager = this.photos.manager): Promise<ResidentPhotoRecord[]> {
    const tags = await manager.findBy(PhotoTag, { residentId });
    if (tags.length === 0) return [];
    const photos = await manager.find(Photo, { where: { id: In(tags.map((t) => t.photoId)) }, order: { createdAt: 'ASC' } });
    const all = await manager.findBy(PhotoTag, { photoId: In(photos.map((p) => p.id)) });
    return photos.map((p) => ({
      id: p.id, activityId: p.activityId, caption: p.caption, takenAt: p.createdAt,
      otherResidentsTagged: all.filter((t) => t.photoId === p.id && t.residentId !== residentId).length,
    }));
  }

  /**
   * A resident's erasure, inside its transaction: photos where they are the only tagged resident are
   * deleted, elsewhere their tag is removed. Returns the ids whose files go once the erasure commits.
   */
  async eraseResident(m: EntityManager, user: SessionUser, residentId: string): Promise<{ deleted: string[]; untagged: number }> {
    const records = await this.forResident(residentId, m);
    const deleted: string[] = [];
    let untagged = 0;
    for (const record of records) {
      const photo = await m.findOneByOrFail(Photo, { id: record.id });
      if (record.otherResidentsTagged === 0) {
        await this.deleteRow(m, user, photo);
        deleted.push(photo.id);
      } else {
        await m.delete(PhotoTag, { photoId: photo.id, residentId });
        await this.audit.record(m, {
          action: 'update', userId: user.id, role: user.role, entityType: 'photo', entityId: photo.id, homeId: photo.homeId, changes: { untagged: { old: residentId, new: null } },
        });
        untagged += 1;
      }
    }
    return { deleted, untagged };
  }

  removeFiles(ids: string[]): void {
    for (const id of ids) this.files.remove(id);
  }

  // Helpers ----------------------------------------------------------------------------------

  private async deleteRow(m: EntityManager, user: SessionUser, photo: Photo): Promise<void> {
    await m.update(NewsPost, { photoId: photo.id }, { photoId: null });
    await m.delete(PhotoTag, { photoId: photo.id });
    await m.delete(Photo, { id: photo.id });
    await this.audit.record(m, {
      action: 'archive', userId: user.id, role: user.role, entityType: 'photo', entityId: photo.id, homeId: photo.homeId,
      changes: { deleted: { old: photo.caption ?? 'photo', new: null } },
    });
  }

  private photosPage(activityId: string): string {
    return `/activities/${activityId}/photos`;
  }

  private caption(value: string | undefined): string | null {
    const caption = value?.trim() ?? '';
    if (caption.length > MAX_CAPTION) throw new ValidationError({ caption: { key: 'validation.maxLength', params: { n: MAX_CAPTION } } });
    return caption || null;
  }

  private activityHeading(user: SessionUser, activity: { id: string; title: string; startsAt: Date }) {
    return { id: activity.id, title: activity.title, startsAt: formatDateTime(activity.startsAt, user.locale, user.timezone) };
  }

  private async tagsOf(rows: Photo[]): Promise<PhotoTag[]> {
    return rows.length === 0 ? [] : this.photos.manager.findBy(PhotoTag, { photoId: In(rows.map((r) => r.id)) });
  }

  /**
   * Whether families see a photo tagged with these residents, as staff are told it: the conditions of
   * visibleQuery's family rule (someone tagged; every one tagged consents to photos and has the portal open).
   */
  private audience(user: SessionUser, taggedIds: string[], blocks: Map<string, FamilyBlock>, names: Map<string, string>): PhotoAudience {
    const list = (ids: string[]) => nameList(ids.map((id) => names.get(id) ?? '?'), user.locale);
    if (taggedIds.length === 0) return { key: 'photos.staffOnlyUntagged', names: '', staffOnly: true };
    const noConsent = taggedIds.filter((id) => blocks.get(id) === 'noPhotoConsent');
    if (noConsent.length > 0) return { key: 'photos.staffOnlyNoConsent', names: list(noConsent), staffOnly: true };
    const closed = taggedIds.filter((id) => blocks.get(id) === 'portalClosed');
    if (closed.length > 0) return { key: 'photos.staffOnlyPortalClosed', names: list(closed), staffOnly: true };
    return { key: 'photos.seenByFamilies', names: list(taggedIds), staffOnly: false };
  }

  /** Rows as views; tags named only where the reader already knows the resident (`names`). */
  private views(user: SessionUser, rows: Photo[], tags: PhotoTag[], names: Map<string, string>): PhotoView[] {
    const deletes = can(user, 'deletePhotos');
    return rows.map((p) => ({
      id: p.id, caption: p.caption, width: p.width, height: p.height, createdAt: p.createdAt,
      takenAt: formatDateTime(p.createdAt, user.locale, user.timezone),
      tagged: tags.filter((t) => t.photoId === p.id && names.has(t.residentId)).map((t) => names.get(t.residentId)!),
      canDelete: deletes,
      awaitingCheck: p.checkedAt === null,
    }));
  }
}
