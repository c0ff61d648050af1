import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { SessionUser } from '../../common/access/session-user';
import { CurrentUser } from '../../common/decorators/current-user.decorator';
import { Public } from '../../common/decorators/public.decorator';
import { SkipCsrf } from '../../common/decorators/skip-csrf.decorator';
import { TooManyRequestsError, ValidationError } from '../../common/errors/domain-errors';
import { csrf } from '../../common/http/csrf';
import { clientIp } from '../../common/http/session';
import { AuthService } from '../auth.service';
import { AllowWithoutMfa } from '../mfa/allow-without-mfa.decorator';
import { MFA_ENROLMENT_REQUIRED } from '../mfa/mfa-enrolment.guard';
import { ApiSignInDto } from '../mfa/mfa.dto';
import { MFA_LOCK_MS, MfaService } from '../mfa/mfa.service';
import { SessionManager } from '../session/session-manager';

@Controller('api')
export class AuthApiController {
  constructor(private readonly auth: AuthService, private readonly sessions: SessionManager, private readonly mfa: MfaService) {}

  @Public()
  @SkipCsrf()
  @Post('auth/login')
  @HttpCode(200)
  async login(@Body() body: ApiSignInDto, @Req() req: Request) {
    const origin = { ip: clientIp(req), userAgent: req.get('user-agent') };
    const user = await this.auth.signIn(body.email, body.password, origin);
    // A user with MFA sends the code with the password; no session starts without it.
    if (await this.mfa.isEnabled(user.id)) {
      if (!body.code) throw new ValidationError({ code: { key: 'mfa.codeRequired' } }, { key: 'mfa.required' });
      const result = await this.mfa.check(user, body.code, origin);
      if (!result.ok && result.locked) throw new TooManyRequestsError({ key: 'mfa.locked', params: { minutes: MFA_LOCK_MS / 60_000 } }, MFA_LOCK_MS / 1000);
      if (!result.ok) throw new ValidationError({ code: { key: 'mfa.codeWrong' } }, { key: 'mfa.required' });
    }
    await this.sessions.start(req, user);
    return {
      user: { id: user.id, email: user.email, displayName: user.displayName, role: user.role, locale: user.locale, homeIds: user.homeIds },
      csrfToken: csrf.generateToken(req),
      // Until enrolled (pages, /account/mfa), every other call answers 403 with this code.
      ...(this.mfa.isRequiredFor(user.role) && !(await this.mfa.isEnabled(user.id)) ? { required: MFA_ENROLMENT_REQUIRED } : {}),
    };
  }

  /**
   * Who is signed in, with a fresh CSRF token (401 when nobody is). The tablet asks on taps, at most
   * once a minute, so a carer's taps count as use: the request moves the session's idle expiry on
   * (within the 12-hour absolute limit, which the request context enforces).
   */
  @Get('session')
  session(@CurrentUser() user: SessionUser, @Req() req: Request) {
    return { user: { id: user.id, displayName: user.displayName, role: user.role }, csrfToken: csrf.generateToken(req) };
  }

  @AllowWithoutMfa()
  @Post('auth/logout')
  @HttpCode(204)
  async logout(@CurrentUser() user: SessionUser, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    await this.auth.recordSignOut(user, { ip: clientIp(req), userAgent: req.get('user-agent') });
    await this.sessions.end(req, res);
  }
}
