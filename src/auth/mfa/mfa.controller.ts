import { Body, Controller, Get, HttpCode, Post, Redirect, Render, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { SessionUser } from '../../common/access/session-user';
import { CurrentUser } from '../../common/decorators/current-user.decorator';
import { FormView } from '../../common/decorators/form-view.decorator';
import { Public } from '../../common/decorators/public.decorator';
import { ValidationError } from '../../common/errors/domain-errors';
import { flash } from '../../common/http/flash';
import { safeLocalPath } from '../../common/http/safe-redirect';
import { clientIp, saveSession } from '../../common/http/session';
import { AuthService } from '../auth.service';
import { SessionManager } from '../session/session-manager';
import { AllowWithoutMfa } from './allow-without-mfa.decorator';
import { MfaCodeDto } from './mfa.dto';
import { MFA_LOCK_MS, MfaService } from './mfa.service';
import { endPendingSignIn, pendingSignIn } from './pending-sign-in';

function origin(req: Request) {
  return { ip: clientIp(req), userAgent: req.get('user-agent') };
}

/** The second step of signing in, and the user's own MFA settings (issue 17 item 6). */
@Controller()
export class MfaController {
  constructor(private readonly mfa: MfaService, private readonly auth: AuthService, private readonly sessions: SessionManager) {}

  /** Asked after a right password, in a session that is not signed in yet. */
  @Public()
  @Get('login/mfa')
  challenge(@Req() req: Request, @Res() res: Response) {
    if (!pendingSignIn(req)) return res.redirect(303, '/login');
    res.render('auth/mfa-challenge', {});
  }

  @Public()
  @Post('login/mfa')
  @FormView('auth/mfa-challenge')
  async verify(@Body() body: MfaCodeDto, @Req() req: Request, @Res() res: Response) {
    const pending = pendingSignIn(req);
    const user = pending ? await this.auth.findSessionUser(pending.userId) : null;
    if (!pending || !user) return this.backToSignIn(req, res, 'mfa.pendingExpired');
    const result = await this.mfa.check(user, body.code, origin(req));
    if (result.ok) {
      await this.sessions.start(req, user);
      if (result.method === 'recovery') {
        flash(req, 'info', { key: 'mfa.recoveryUsed', params: { n: (await this.mfa.status(user.id)).recoveryCodesLeft } });
      }
      return res.redirect(303, safeLocalPath(pending.next));
    }
    if (result.locked) return this.backToSignIn(req, res, 'mfa.locked');
    throw new ValidationError({ code: { key: 'mfa.codeWrong' } });
  }

  @AllowWithoutMfa()
  @Get('account/mfa')
  @Render('auth/mfa')
  async settings(@CurrentUser() user: SessionUser, @Req() req: Request) {
    const status = await this.mfa.status(user.id);
    const required = this.mfa.isRequiredFor(user.role);
    if (status.enabled) return { status, canDisable: !required };
    const { enrolment, pending } = await this.mfa.startEnrolment(user, req.session.mfaEnrolment);
    req.session.mfaEnrolment = pending;
    return { status, required, enrolment };
  }

  /** Recovery codes are shown in this answer only; only their hashes are kept. */
  @AllowWithoutMfa()
  @Post('account/mfa/enable')
  @HttpCode(200)
  @Render('auth/mfa-recovery-codes')
  @FormView('auth/mfa', {}, (c: MfaController, req) => c.settings(req.user!, req))
  async enable(@CurrentUser() user: SessionUser, @Body() body: MfaCodeDto, @Req() req: Request) {
    const codes = await this.mfa.confirmEnrolment(user, body.code, req.session.mfaEnrolment, origin(req));
    delete req.session.mfaEnrolment;
    return { codes, enrolled: true };
  }

  @Post('account/mfa/recovery-codes')
  @HttpCode(200)
  @Render('auth/mfa-recovery-codes')
  @FormView('auth/mfa', {}, (c: MfaController, req) => c.settings(req.user!, req))
  async regenerate(@CurrentUser() user: SessionUser, @Body() body: MfaCodeDto, @Req() req: Request) {
    return { codes: await this.mfa.regenerateRecoveryCodes(user, body.code, origin(req)), enrolled: false };
  }

  @Post('account/mfa/disable')
  @Redirect('/account/mfa', 303)
  @FormView('auth/mfa', {}, (c: MfaController, req) => c.settings(req.user!, req))
  async disable(@CurrentUser() user: SessionUser, @Body() body: MfaCodeDto, @Req() req: Request) {
    await this.mfa.disableOwn(user, body.code, origin(req));
    flash(req, 'success', { key: 'mfa.disabled' });
  }

  private async backToSignIn(req: Request, res: Response, key: string) {
    await endPendingSignIn(req);
    flash(req, 'error', { key, params: { minutes: MFA_LOCK_MS / 60_000 } });
    await saveSession(req);
    res.redirect(303, '/login');
  }
}
