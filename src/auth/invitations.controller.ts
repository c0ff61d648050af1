import { Body, Controller, Get, Param, Post, Render, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { FormView } from '../common/decorators/form-view.decorator';
import { Public } from '../common/decorators/public.decorator';
import { flash } from '../common/http/flash';
import { clientIp } from '../common/http/session';
import { AuthService } from './auth.service';
import { NewPasswordDto } from './dto/auth.dto';
import { InvitationsService } from './invitations.service';
import { SessionManager } from './session/session-manager';

/** Where an invited person sets their own password, through the one-time link staff passed on. */
@Controller('invitations')
export class InvitationsController {
  constructor(
    private readonly invitations: InvitationsService,
    private readonly auth: AuthService,
    private readonly sessions: SessionManager,
  ) {}

  @Public()
  @Get(':token')
  @Render('auth/invitation')
  async show(@Param('token') token: string) {
    return { invitee: await this.invitations.check(token) };
  }

  @Public()
  @Post(':token')
  @FormView('auth/invitation', {}, (c: InvitationsController, req) => c.show(req.params.token as string))
  async accept(@Param('token') token: string, @Body() body: NewPasswordDto, @Req() req: Request, @Res() res: Response) {
    const userId = await this.invitations.accept(token, body.newPassword, body.confirmPassword, { ip: clientIp(req), userAgent: req.get('user-agent') });
    const user = await this.auth.findSessionUser(userId);
    if (!user) {
      // Accepted but not allowed in (the account was disabled meanwhile): nothing to say in a session, which nobody has.
      res.redirect(303, '/login');
      return;
    }
    await this.sessions.start(req, user);
    flash(req, 'success', { key: 'invitations.welcome' });
    res.redirect(303, '/');
  }
}
