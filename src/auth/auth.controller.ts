import { Body, Controller, Get, Post, Query, Redirect, Render, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { can } from '../common/access/access-policy';
import type { SessionUser } from '../common/access/session-user';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { FormView } from '../common/decorators/form-view.decorator';
import { Public } from '../common/decorators/public.decorator';
import { flash } from '../common/http/flash';
import { safeLocalPath } from '../common/http/safe-redirect';
import { clientIp } from '../common/http/session';
import { isLocale, type Locale } from '../common/i18n/i18n';
import { rememberLocale } from '../common/i18n/locale-cookie';
import { AuthService } from './auth.service';
import { ChangePasswordDto, EmailChangeDto, LocaleDto, SignInDto } from './dto/auth.dto';
import { EmailChangeService } from './email-change.service';
import { AllowWithoutMfa } from './mfa/allow-without-mfa.decorator';
import { MFA_ENROLMENT_PATH } from './mfa/mfa-enrolment.guard';
import { MFA_LOCK_MS, MfaService } from './mfa/mfa.service';
import { TooManyRequestsError } from '../common/errors/domain-errors';
import { startPendingSignIn } from './mfa/pending-sign-in';
import { SessionManager } from './session/session-manager';
import { isSessionEndReason } from './session/ended-sessions';

@Controller()
export class AuthController {
  constructor(private readonly auth: AuthService, private readonly sessions: SessionManager, private readonly emailChanges: EmailChangeService, private readonly mfa: MfaService) {}

  @Public()
  @Get('login')
  @Render('auth/login')
  loginPage(@Query('next') next?: string, @Query('signedOut') signedOut?: string, @Query('reason') reason?: string, @Query('reset') reset?: string) {
    // `reset=1`: back from a password reset; said here rather than flashed, as an anonymous flash would need a session.
    return {
      values: { next: safeLocalPath(next, '') }, signedOut: signedOut === '1', passwordReset: reset === '1',
      // Why a session ended (src/auth/session/ended-sessions.ts); anything else in the address is ignored.
      sessionEndedKey: isSessionEndReason(reason) ? `auth.sessionEnded${reason[0].toUpperCase()}${reason.slice(1)}` : undefined,
    };
  }

  @Public()
  @Post('login')
  @FormView('auth/login')
  async login(@Body() body: SignInDto, @Req() req: Request, @Res() res: Response) {
    const user = await this.auth.signIn(body.email, body.password, { ip: clientIp(req), userAgent: req.get('user-agent') });
    const next = safeLocalPath(body.next);
    // The password alone does not sign in a user with MFA: a second page asks for the code.
    if (await this.mfa.isEnabled(user.id)) {
      // Locked after too many wrong codes: said now, not after the code is typed again.
      if (await this.mfa.isLockedFor(user.id)) throw new TooManyRequestsError({ key: 'mfa.locked', params: { minutes: MFA_LOCK_MS / 60_000 } }, MFA_LOCK_MS / 1000);
      await startPendingSignIn(req, user.id, next);
      return res.redirect(303, '/login/mfa');
    }
    await this.sessions.start(req, user);
    res.redirect(303, this.mfa.isRequiredFor(user.role) ? MFA_ENROLMENT_PATH : next);
  }

  @AllowWithoutMfa()
  @Post('logout')
  async logout(@CurrentUser() user: SessionUser, @Req() req: Request, @Res() res: Response) {
    await this.auth.recordSignOut(user, { ip: clientIp(req), userAgent: req.get('user-agent') });
    await this.sessions.end(req, res);
    // The sign-in page after it speaks the language they were using, not the browser's.
    if (isLocale(user.locale)) rememberLocale(req, res, user.locale);
    res.redirect(303, '/login?signedOut=1');
  }

  @Public()
  @AllowWithoutMfa()
  @Post('locale')
  @Redirect('/', 303)
  async chooseLocale(@Body() body: LocaleDto, @CurrentUser() user: SessionUser | undefined, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    if (user) await this.auth.setLocale(user, body.locale);
    else rememberLocale(req, res, body.locale as Locale);
    return { url: safeLocalPath(body.next) };
  }

  @Get('account')
  @Render('auth/account')
  async account(@CurrentUser() user: SessionUser) {
    // Staff may set a PIN for the ward tablets (POST /account/pin, src/ward-devices).
    return {
      // Home staff and relatives have calendars to subscribe to (/account/calendars, src/calendar-feeds).
      canSetPin: can(user, 'homeStaff'), canSubscribe: can(user, 'homeStaff') || user.role === 'family', email: user.email, pendingEmail: await this.emailChanges.pendingFor(user.id),
      mfaEnabled: await this.mfa.isEnabled(user.id),
    };
  }

  @Post('account/email')
  @Redirect('/account', 303)
  @FormView('auth/account', {}, (c: AuthController, req) => c.account(req.user!))
  async changeEmail(@CurrentUser() user: SessionUser, @Body() body: EmailChangeDto, @Req() req: Request) {
    const pending = await this.emailChanges.requestOwn(user, body.newEmail);
    flash(req, 'success', { key: 'auth.emailChangeSent', params: { email: pending.email } });
  }

  @Post('account/password')
  @Redirect('/account', 303)
  @FormView('auth/account', {}, (c: AuthController, req) => c.account(req.user!))
  async changePassword(@CurrentUser() user: SessionUser, @Body() body: ChangePasswordDto, @Req() req: Request) {
    await this.auth.changePassword(user, body.currentPassword, body.newPassword, body.confirmPassword, {
      ip: clientIp(req), userAgent: req.get('user-agent'),
    });
    await this.sessions.afterPasswordChange(req, user);
    flash(req, 'success', { key: 'auth.passwordChanged' });
  }
}
