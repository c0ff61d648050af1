import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import type { SessionUser } from '../../common/access/session-user';
import { CurrentUser } from '../../common/decorators/current-user.decorator';
import { Roles } from '../../common/decorators/roles.decorator';
import { ParseIdPipe } from '../../common/http/parse-id.pipe';
import { MessageDto } from '../dto/message.dto';
import { HOME_SIDE_ROLES } from '../messages.enums';
import { MessagesService } from '../messages.service';

/** The same threads, by the same rules, as JSON: the home's staff and the resident's relatives. */
@Controller('api')
@Roles(...HOME_SIDE_ROLES, 'family')
export class MessagesApiController {
  constructor(private readonly messages: MessagesService) {}

  /** The reader's threads: the home's with their markers, or a relative's residents with unread counts. */
  @Get('messages')
  async list(@CurrentUser() user: SessionUser) {
    if (user.role === 'family') return { relatives: await this.messages.familyThreads(user) };
    return { threads: await this.messages.homeThreads(user) };
  }

  /** A resident's thread, with what the reader's side has not read marked new (reading it marks nothing). */
  @Get('residents/:id/messages')
  thread(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string) {
    return this.messages.open(user, id);
  }

  /** Marks the thread read for the reader's side. */
  @Post('residents/:id/messages/read')
  read(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string) {
    return this.messages.markRead(user, id);
  }

  @Post('residents/:id/messages')
  write(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Body() body: MessageDto) {
    return this.messages.write(user, id, body);
  }
}
