import { Body, Controller, Get, Post, Redirect, Render, Req } from '@nestjs/common';
import type { Request } from 'express';
import type { SessionUser } from '../common/access/session-user';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { FormView } from '../common/decorators/form-view.decorator';
import { flash } from '../common/http/flash';
import { NotificationPreferenceDto } from './dto/preferences.dto';
import { NOTIFICATION_MODES } from './notifications.enums';
import { PREFERENCES_PATH } from './notifications.service';
import { PreferencesService } from './preferences.service';

/** Every signed-in user's own choice of how to hear of notifications; nobody sets another's. */
@Controller('account/notifications')
export class PreferencesController {
  constructor(private readonly preferences: PreferencesService) {}

  @Get()
  @Render('notifications/preferences')
  async page(@CurrentUser() user: SessionUser) {
    const current = await this.preferences.get(user);
    return { ...(await this.form(user)), values: { mode: current.mode } };
  }

  @Post()
  @Redirect(PREFERENCES_PATH, 303)
  @FormView('notifications/preferences', {}, (c: PreferencesController, req) => c.form(req.user!))
  async save(@CurrentUser() user: SessionUser, @Body() body: NotificationPreferenceDto, @Req() req: Request) {
    const saved = await this.preferences.set(user, body.mode);
    flash(req, 'success', { key: `preferences.saved.${saved.mode}` });
  }

  /** The page around the form; a refused choice is shown again with the user's own address and whether they ever chose. */
  async form(user: SessionUser) {
    return { modes: NOTIFICATION_MODES, email: user.email, chosen: (await this.preferences.get(user)).chosen };
  }
}
