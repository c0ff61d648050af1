import { Controller, Get, Param, Post, Redirect, Render, Req } from '@nestjs/common';
import type { Request } from 'express';
import type { SessionUser } from '../common/access/session-user';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { flash } from '../common/http/flash';
import { ParseIdPipe } from '../common/http/parse-id.pipe';
import { safeLocalPath } from '../common/http/safe-redirect';
import { notificationText } from './notification-text';
import { NotificationsService } from './notifications.service';
import { PreferencesService } from './preferences.service';

/** Every signed-in user's own messages. */
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService, private readonly preferences: PreferencesService) {}

  @Get()
  @Render('notifications/index')
  async index(@CurrentUser() user: SessionUser, @Req() req: Request) {
    const items = (await this.notifications.list(user)).map((n) => ({
      id: n.id, text: notificationText(n, req.locale), hasLink: n.link !== null, createdAt: n.createdAt, read: n.read,
    }));
    return { items, unread: items.filter((n) => !n.read).length, mode: await this.preferences.modeOf(user) };
  }

  @Post('read')
  @Redirect('/notifications', 303)
  async markAllRead(@CurrentUser() user: SessionUser, @Req() req: Request) {
    await this.notifications.markAllRead(user);
    flash(req, 'success', { key: 'notifications.allRead' });
    return { url: '/notifications' };
  }

  /** Opening a message marks it read and goes where it points (always a page of this site). */
  @Post(':id/open')
  @Redirect('/notifications', 303)
  async open(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string) {
    const link = await this.notifications.open(user, id);
    return { url: safeLocalPath(link, '/notifications') };
  }
}
