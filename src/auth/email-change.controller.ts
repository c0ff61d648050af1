import { Controller, Get, HttpCode, Param, Post, Render, Req } from '@nestjs/common';
import type { Request } from 'express';
import { FormView } from '../common/decorators/form-view.decorator';
import { Public } from '../common/decorators/public.decorator';
import { clientIp } from '../common/http/session';
import { EmailChangeService } from './email-change.service';

/**
 * The page the link mailed to a new address opens. Confirming is a button (a POST), so a mail
 * scanner that follows links does not change anyone's address.
 */
@Controller('email-change')
export class EmailChangeController {
  constructor(private readonly emailChanges: EmailChangeService) {}

  @Public()
  @Get(':token')
  @Render('auth/email-change')
  async show(@Param('token') token: string) {
    return { change: await this.emailChanges.check(token) };
  }

  /** Answers with a page of its own (not a redirect): whoever opens the link may be signed in elsewhere or not at all. */
  @Public()
  @Post(':token')
  @HttpCode(200)
  @Render('auth/email-changed')
  @FormView('auth/email-change', {}, (c: EmailChangeController, req) => c.show(req.params.token as string))
  async confirm(@Param('token') token: string, @Req() req: Request) {
    return { changed: await this.emailChanges.confirm(token, { ip: clientIp(req), userAgent: req.get('user-agent') }), signedIn: req.user !== undefined };
  }
}
