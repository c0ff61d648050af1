import { Controller, Get, Param, Post, Query, Redirect, Render, Req } from '@nestjs/common';
import type { Request } from 'express';
import { can, rolesThat } from '../common/access/access-policy';
import type { SessionUser } from '../common/access/session-user';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { FormView } from '../common/decorators/form-view.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { processImage } from '../common/images/image-pipeline';
import { ImageUpload } from '../common/images/image-upload';
import { flash } from '../common/http/flash';
import { ParseIdPipe } from '../common/http/parse-id.pipe';
import { HomesService } from '../homes/homes.service';
import { multipartFields, pageNumber } from './form-fields';
import { NewsService } from './news.service';
import { PhotosService } from './photos.service';

/** News posts (staff) and each relative's news feed (family portal). Volunteers have neither: the feed is for families. */
@Controller()
export class NewsController {
  constructor(private readonly news: NewsService, private readonly photos: PhotosService, private readonly homes: HomesService) {}

  @Get('news')
  @Roles(...rolesThat('homeStaff'))
  @Render('news/index')
  async index(@CurrentUser() user: SessionUser) {
    return this.page(user);
  }

  @Post('news')
  @Roles(...rolesThat('writeNews'))
  @Redirect('/news', 303)
  @FormView('news/index', {}, (c: NewsController, req) => c.page(req.user!))
  @ImageUpload('photo', 4)
  async create(@CurrentUser() user: SessionUser, @Req() req: Request) {
    const fields = multipartFields(req.body, ['body', 'unitId', 'homeId']);
    // The photo is optional: a form sent without one carries an empty file part, or none.
    const image = req.file && req.file.size > 0 ? await processImage(req.file.buffer, 'photo') : null;
    await this.news.create(user, fields, image);
    flash(req, 'success', { key: 'news.posted' });
    return { url: '/news' };
  }

  @Post('news/:id/delete')
  @Roles(...rolesThat('writeNews'))
  @Redirect('/news', 303)
  async remove(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Req() req: Request) {
    await this.news.remove(user, id);
    flash(req, 'success', { key: 'news.deleted' });
    return { url: '/news' };
  }

  @Get('portal/residents/:id/news')
  @Roles('family')
  @Render('news/feed')
  async feed(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Query('page') page?: string) {
    const view = await this.news.feed(user, id, pageNumber(page));
    const link = (n: number | null) => (n === null ? null : `/portal/residents/${id}/news?page=${n}`);
    return { ...view, title: view.resident.displayName, previousHref: link(view.previous), nextHref: link(view.next) };
  }

  async page(user: SessionUser) {
    const view = await this.news.staffPage(user);
    const homes = can(user, 'photoSettings') ? await this.homes.listForUser(user) : [];
    const settings = await Promise.all(homes.map(async (h) => ({ homeId: h.id, homeName: h.name, volunteersMayAdd: await this.photos.volunteersMayAdd(h.id) })));
    return { ...view, settings, values: {} };
  }
}
