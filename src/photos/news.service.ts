import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { can } from '../common/access/access-policy';
import { findInHomes, resolveHomeId, scopeToHomes } from '../common/access/home-scope';
import type { SessionUser } from '../common/access/session-user';
import { NotFoundError, ValidationError } from '../common/errors/domain-errors';
import type { ProcessedImage } from '../common/images/image-pipeline';
import { formatDateTime } from '../common/views/format';
import { UnitOfWork } from '../database/unit-of-work';
import { HomesService } from '../homes/homes.service';
import { ResidentsService } from '../residents/residents.service';
import { NewsPost } from './entities/news-post.entity';
import { PhotoFiles } from './photo-files';
import { FEED_PAGE_SIZE, MAX_FEED_PAGE, MAX_POST } from './photos.enums';
import { PhotosService, PhotoView } from './photos.service';

export interface PostInput {
  body?: string;
  unitId?: string;
  homeId?: string;
}

export interface PostView {
  id: string;
  body: string;
  unitName: string | null;
  postedAt: string;
  createdAt: Date;
  photoId: string | null;
  canDelete: boolean;
}

export type FeedItem = { kind: 'photo'; at: Date; photo: PhotoView } | { kind: 'post'; at: Date; post: PostView };

/** Short posts from a home to its families, and each relative's news feed (their photos and the home's posts). */
@Injectable()
export class NewsService {
  constructor(
    @InjectRepository(NewsPost) private readonly posts: Repository<NewsPost>,
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditService,
    private readonly photos: PhotosService,
    private readonly files: PhotoFiles,
    private readonly homes: HomesService,
    private readonly residents: ResidentsService,
  ) {}

  /** The staff page: the newest posts of the user's homes and the form's choices. */
  async staffPage(user: SessionUser) {
    const rows = await scopeToHomes(this.posts.createQueryBuilder('n'), user).orderBy('n.createdAt', 'DESC').addOrderBy('n.id', 'DESC').take(50).getMany();
    const units = await this.homes.unitNames(user.homeIds);
    const homes = await this.homes.listForUser(user);
    return {
      posts: rows.map((r) => this.view(user, r, units)),
      ...(await this.homes.unitChoices(user.homeIds)),
      homes: homes.length > 1 ? homes.map((h) => ({ id: h.id, name: h.name })) : [],
      canWrite: can(user, 'writeNews'),
    };
  }

  /** Writes a post (its photo, if any, already through the image pipeline). */
  async create(user: SessionUser, input: PostInput, image: ProcessedImage | null): Promise<string> {
    const body = input.body?.trim() ?? '';
    // A post is a few words, a photo, or both.
    if (!body && !image) throw new ValidationError({ body: { key: 'validation.isNotEmpty' } });
    if (body.length > MAX_POST) throw new ValidationError({ body: { key: 'validation.maxLength', params: { n: MAX_POST } } });
    const homeId = resolveHomeId(user, input.homeId || null);
    const unitId = input.unitId || null;
    if (unitId) {
      const { units } = await this.homes.get(user, homeId);
      if (!units.some((u) => u.id === unitId)) throw new ValidationError({ unitId: { key: 'news.unitNotInHome' } });
    }
    const photoId = image ? randomUUID() : null;
    if (photoId && image) this.files.write(photoId, image);
    try {
      return await this.unitOfWork.transaction(async (m) => {
        if (photoId && image) await this.photos.addUntagged(m, user, homeId, photoId, image);
        const id = randomUUID();
        // To the millisecond (SQLite's CURRENT_TIMESTAMP has whole seconds), so the feed's newest-first order holds.
        await m.insert(NewsPost, { id, homeId, unitId, body, photoId, authorId: user.id, createdAt: new Date() });
        await this.audit.record(m, {
          action: 'create', userId: user.id, role: user.role, entityType: 'news_post', entityId: id, homeId,
          changes: { body: { old: null, new: body }, unitId: { old: null, new: unitId }, photoId: { old: null, new: photoId } },
        });
        return id;
      });
    } catch (error) {
      if (photoId) this.files.remove(photoId);
      throw error;
    }
  }

  /** Deletes a post and its photo. */
  async remove(user: SessionUser, id: string): Promise<void> {
    if (!can(user, 'writeNews')) throw new NotFoundError();
    const photoId = await this.unitOfWork.transaction(async (m) => {
      const post = await findInHomes(m, NewsPost, user, id);
      await m.delete(NewsPost, { id });
      await this.audit.record(m, { action: 'archive', userId: user.id, role: user.role, entityType: 'news_post', entityId: id, homeId: post.homeId, changes: { body: { old: post.body, new: null } } });
      return post.photoId;
    });
    if (photoId) await this.photos.remove(user, photoId).catch(() => undefined);
  }

  /**
   * A relative's news feed: the photos of them this user may see and the posts of their home (for the
   * whole home or their unit), newest first, FEED_PAGE_SIZE a page. 404 when the relative is not theirs.
   */
  async feed(user: SessionUser, residentId: string, page = 1) {
    const resident = await this.residents.get(user, residentId);
    const current = Math.min(Math.max(1, Math.floor(page) || 1), MAX_FEED_PAGE);
    const wanted = current * FEED_PAGE_SIZE;
    const photoPart = await this.photos.feedPhotos(user, resident.id, wanted);
    const postQuery = this.posts.createQueryBuilder('n').where('n.homeId = :homeId', { homeId: resident.homeId })
      .andWhere(resident.unitId ? '(n.unitId IS NULL OR n.unitId = :unitId)' : 'n.unitId IS NULL', { unitId: resident.unitId });
    const postTotal = await postQuery.clone().getCount();
    const posts = await postQuery.orderBy('n.createdAt', 'DESC').addOrderBy('n.id', 'DESC').take(wanted).getMany();
    const visiblePostPhotos = await this.photos.visibleIds(user, posts.map((p) => p.photoId).filter((id): id is string => id !== null));
    const units = await this.homes.unitNames([resident.homeId]);
    const items: FeedItem[] = [
      ...photoPart.photos.map((photo) => ({ kind: 'photo' as const, at: photo.createdAt, photo })),
      ...posts.map((p) => {
        const post = this.view(user, p, units);
        return { kind: 'post' as const, at: p.createdAt, post: { ...post, photoId: post.photoId && visiblePostPhotos.has(post.photoId) ? post.photoId : null, canDelete: false } };
      }),
    ].sort((a, b) => b.at.getTime() - a.at.getTime());
    const total = photoPart.total + postTotal;
    const pages = Math.min(MAX_FEED_PAGE, Math.max(1, Math.ceil(total / FEED_PAGE_SIZE)));
    return {
      resident: { id: resident.id, displayName: resident.displayName },
      items: items.slice((current - 1) * FEED_PAGE_SIZE, wanted),
      page: current,
      pages,
      previous: current > 1 ? current - 1 : null,
      next: current < pages ? current + 1 : null,
    };
  }

  private view(user: SessionUser, row: NewsPost, units: Map<string, string>): PostView {
    return {
      id: row.id, body: row.body, unitName: row.unitId ? (units.get(row.unitId) ?? null) : null, createdAt: row.createdAt,
      postedAt: formatDateTime(row.createdAt, user.locale, user.timezone), photoId: row.photoId, canDelete: can(user, 'writeNews'),
    };
  }
}
