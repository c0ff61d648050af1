import { Body, Controller, Get, Param, Post, Redirect, Render, Req } from '@nestjs/common';
import type { Request } from 'express';
import type { SessionUser } from '../common/access/session-user';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { FormView } from '../common/decorators/form-view.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { flash } from '../common/http/flash';
import { ParseIdPipe } from '../common/http/parse-id.pipe';
import { translate } from '../common/i18n/i18n';
import { MessageDto } from './dto/message.dto';
import { HOME_SIDE_ROLES, MESSAGE_MAX_LENGTH } from './messages.enums';
import { MessagesService } from './messages.service';

/** The home's side: every thread of the home with its markers, and a resident's thread from their page. */
@Controller()
@Roles(...HOME_SIDE_ROLES)
export class MessagesController {
  constructor(private readonly messages: MessagesService) {}

  @Get('messages')
  @Render('messages/index')
  async index(@CurrentUser() user: SessionUser, @Req() req: Request) {
    const threads = await this.messages.homeThreads(user);
    return { title: translate(req.locale, 'messages.title'), threads, unansweredCount: threads.filter((t) => t.unanswered).length };
  }

  @Get('residents/:id/messages')
  @Render('messages/thread')
  async thread(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Req() req: Request) {
    return this.page(user, id, req);
  }

  @Post('residents/:id/messages')
  @Redirect('/messages', 303)
  @FormView('messages/thread', {}, (c: MessagesController, req) => c.pageAgain(req))
  async write(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Body() body: MessageDto, @Req() req: Request) {
    await this.messages.write(user, id, body);
    flash(req, 'success', { key: 'messages.sent' });
    return { url: `/residents/${id}/messages#write` };
  }

  /** Read: a form's button (a GET stores nothing), back to the thread. */
  @Post('residents/:id/messages/read')
  @Redirect('/messages', 303)
  async read(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string) {
    await this.messages.markRead(user, id);
    return { url: `/residents/${id}/messages` };
  }

  async page(user: SessionUser, id: string, req: Request) {
    const thread = await this.messages.open(user, id);
    // The heading's words and name, as the list, the menu's notifications and the breadcrumb name the resident.
    return { ...thread, title: translate(req.locale, 'messages.threadWith', { name: thread.resident.displayName }), maxLength: MESSAGE_MAX_LENGTH, values: {} };
  }

  async pageAgain(req: Request) {
    return this.page(req.user!, new ParseIdPipe().transform(req.params.id as string), req);
  }
}
