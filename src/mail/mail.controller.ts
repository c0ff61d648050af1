import { Body, Controller, Get, Param, Post, Query, Redirect, Render, Req } from '@nestjs/common';
import type { Request } from 'express';
import type { SessionUser } from '../common/access/session-user';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { FormView } from '../common/decorators/form-view.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { flash } from '../common/http/flash';
import { ParseIdPipe } from '../common/http/parse-id.pipe';
import { OutboxQueryDto } from './dto/outbox-query.dto';
import { TestMailDto } from './dto/test-mail.dto';
import { MailService } from './mail.service';

/** The outbox for admins: what was sent, what waits, what failed and why; a test mail. */
@Controller('admin/mail')
@Roles('admin')
export class MailController {
  constructor(private readonly mail: MailService) {}

  @Get()
  @Render('mail-admin/index')
  index(@Query() query: OutboxQueryDto) {
    return this.page(query.page);
  }

  @Post('test')
  @Redirect('/admin/mail', 303)
  @FormView('mail-admin/index', {}, (c: MailController) => c.page(1))
  async sendTest(@CurrentUser() user: SessionUser, @Body() body: TestMailDto, @Req() req: Request) {
    const status = await this.mail.sendTest(user, body.to, req.locale);
    flash(req, 'success', { key: status === 'kept' ? 'mail.admin.testKept' : 'mail.admin.testQueued', params: { to: body.to } });
  }

  @Get(':id')
  @Render('mail-admin/show')
  async show(@Param('id', ParseIdPipe) id: string) {
    return { mail: await this.mail.get(id) };
  }

  @Post(':id/resend')
  @Redirect('/admin/mail', 303)
  async resend(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Req() req: Request) {
    const queued = await this.mail.resend(user, id);
    if (queued) flash(req, 'success', { key: 'mail.admin.resent' });
    else flash(req, 'error', { key: 'mail.admin.notResendable' });
    return { url: `/admin/mail/${id}` };
  }

  async page(requested?: number) {
    const outbox = await this.mail.list(requested);
    return {
      ...outbox,
      sending: this.mail.sending,
      previous: outbox.page > 1 ? `/admin/mail?page=${outbox.page - 1}` : null,
      next: outbox.page < outbox.pages ? `/admin/mail?page=${outbox.page + 1}` : null,
    };
  }
}
