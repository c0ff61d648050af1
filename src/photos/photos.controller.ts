import { Body, Controller, Get, Param, Post, Query, Redirect, Render, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { rolesThat } from '../common/access/access-policy';
import type { SessionUser } from '../common/access/session-user';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { FormView } from '../common/decorators/form-view.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { NotFoundError } from '../common/errors/domain-errors';
import { processImage } from '../common/images/image-pipeline';
import { ImageUpload } from '../common/images/image-upload';
import { flash } from '../common/http/flash';
import { ParseIdPipe } from '../common/http/parse-id.pipe';
import { PhotoCheckDto } from './dto/photo-check.dto';
import { PhotoSettingsDto } from './dto/photo-settings.dto';
import { multipartFields, pageNumber } from './form-fields';
import { PHOTO_SIZES, PhotoSize } from './photos.enums';
import { PhotosService } from './photos.service';

const ADDERS = [...rolesThat('addPhotos'), 'volunteer'] as const;

/** Activity photos: the activity's photo page, adding and deleting, and the one route that serves a photo's bytes. */
@Controller()
export class PhotosController {
  constructor(private readonly photos: PhotosService) {}

  @Get('activities/:id/photos')
  @Roles(...ADDERS)
  @Render('photos/activity')
  async activityPhotos(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Query('page') page?: string) {
    return this.page(user, id, pageNumber(page));
  }

  @Post('activities/:id/photos')
  @Roles(...ADDERS)
  @Redirect('/', 303)
  @FormView('photos/activity', {}, (c: PhotosController, req) => c.page(req.user!, new ParseIdPipe().transform(req.params.id as string), 1))
  @ImageUpload('photo', 100)
  async add(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Req() req: Request) {
    // Who may add is settled before the input is judged: another home's activity is not found, whatever was sent.
    await this.photos.activityForAdding(user, id);
    const fields = multipartFields(req.body, ['caption'], ['residentIds']);
    // Decoding and re-encoding is the slow part: done before the transaction.
    const image = await processImage(req.file?.buffer, 'photo');
    await this.photos.add(user, id, { caption: fields.caption, residentIds: fields.residentIds }, image);
    flash(req, 'success', { key: 'photos.added' });
    return { url: `/activities/${id}/photos` };
  }

  @Post('photos/:id/delete')
  @Roles(...rolesThat('deletePhotos'))
  @Redirect('/', 303)
  async remove(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Req() req: Request) {
    const activityId = await this.photos.remove(user, id);
    flash(req, 'success', { key: 'photos.deleted' });
    return { url: activityId ? `/activities/${activityId}/photos` : '/news' };
  }

  /** A coordinator's check of a volunteer's photo: who is in it; then it follows the rule like any other. */
  @Post('photos/:id/check')
  @Roles(...rolesThat('checkPhotos'))
  @Redirect('/', 303)
  async check(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Body() body: PhotoCheckDto, @Req() req: Request) {
    const activityId = await this.photos.check(user, id, body.residentIds ?? []);
    flash(req, 'success', { key: 'photos.checked' });
    return { url: `/activities/${activityId}/photos` };
  }

  @Post('photos/settings')
  @Roles(...rolesThat('photoSettings'))
  @Redirect('/news', 303)
  async settings(@CurrentUser() user: SessionUser, @Body() body: PhotoSettingsDto, @Req() req: Request) {
    await this.photos.setVolunteersMayAdd(user, body.homeId, body.volunteersMayAdd === true);
    flash(req, 'success', { key: 'photos.settingsSaved' });
    return { url: '/news' };
  }

  /** A photo's bytes, only for a reader the photo rule lets see it; never cached, never sniffed. */
  @Get('photos/:id/:size')
  @Roles(...rolesThat('homeUsers'))
  async image(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Param('size') size: string, @Res() res: Response) {
    if (!(PHOTO_SIZES as readonly string[]).includes(size)) throw new NotFoundError();
    const stream = await this.photos.open(user, id, size as PhotoSize);
    res.setHeader('Content-Type', 'image/jpeg');
    res.setHeader('Content-Disposition', 'inline');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    stream.on('error', () => {
      if (!res.headersSent) res.status(404).end();
      else res.destroy();
    });
    stream.pipe(res);
  }

  async page(user: SessionUser, id: string, page: number) {
    const view = await this.photos.activityPage(user, id, page);
    return {
      ...view,
      title: view.activity.title,
      previous: view.page > 1 ? `/activities/${id}/photos?page=${view.page - 1}` : null,
      next: view.page < view.pages ? `/activities/${id}/photos?page=${view.page + 1}` : null,
      values: { residentIds: [] as string[] },
    };
  }
}
