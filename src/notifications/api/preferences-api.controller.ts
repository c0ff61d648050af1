import { Body, Controller, Get, Put } from '@nestjs/common';
import type { SessionUser } from '../../common/access/session-user';
import { CurrentUser } from '../../common/decorators/current-user.decorator';
import { NotificationPreferenceDto } from '../dto/preferences.dto';
import { NOTIFICATION_MODES } from '../notifications.enums';
import { PreferencesService } from '../preferences.service';

/** The signed-in user's notification preference as JSON (docs/api.md). */
@Controller('api/account/notifications')
export class PreferencesApiController {
  constructor(private readonly preferences: PreferencesService) {}

  @Get()
  async get(@CurrentUser() user: SessionUser) {
    return { ...(await this.preferences.get(user)), modes: NOTIFICATION_MODES };
  }

  @Put()
  async put(@CurrentUser() user: SessionUser, @Body() body: NotificationPreferenceDto) {
    return { ...(await this.preferences.set(user, body.mode)), modes: NOTIFICATION_MODES };
  }
}
