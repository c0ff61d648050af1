import { IsIn } from 'class-validator';
import { NOTIFICATION_MODES, NotificationMode } from '../notifications.enums';

/** How to hear of notifications: the page's three choices, and the API's body. */
export class NotificationPreferenceDto {
  @IsIn([...NOTIFICATION_MODES])
  mode: NotificationMode;
}
