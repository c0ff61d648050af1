import { Body, Controller, Get, Post, Query, Redirect, Render, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { SessionUser } from '../common/access/session-user';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { FormView } from '../common/decorators/form-view.decorator';
import { Public } from '../common/decorators/public.decorator';
import { flash } from '../common/http/flash';
import { safeLocalPath } from '../common/http/safe-redirect';
import { clientIp } from '../common/http/session';
import { AuthService } from './auth.service';
import { ChangePasswordDto, LocaleDto, SignInDto } from './dto/auth.dto';
import { SessionManager } from './session/session-manager';

@Controller()
export class AuthController {
  constructor(private readonly auth: AuthService, private readonly sessions: SessionManager) {}

  @Public()
  @Get('login')
  @Render('auth/login')
  loginPage(@Query('next') next?: string, @Query('signedOut') signedOut?: string) {
    return { values: { next: safeLocalPath(next, '') }, signedOut: signedOut === '1' };
  }

  @Public()
  @Post('login')
  @FormView('auth/login')
  async login(@Body() body: SignInDto, @Req() req: Request, @Res() res: Response) {
    const user = await this.auth.signIn(body.email, body.password, { ip: clientIp(req), userAgent: req.get('user-agent') });
    await this.sessions.start(req, user);
    res.redirect(303, safeLocalPath(body.next));
  }

  @Post('logout')
  async logout(@CurrentUser() user: SessionUser, @Req() req: Request, @Res() res: Response) {
    await this.auth.recordSignOut(user, { ip: clientIp(req), userAgent: req.get('user-agent') });
    await this.sessions.end(req, res);
    res.redirect(303, '/login?signedOut=1');
  }

  @Public()
  @Post('locale')
  @Redirect('/', 303)
  async chooseLocale(@Body() body: LocaleDto, @CurrentUser() user: SessionUser | undefined, @Req() req: Request) {
    if (user) await this.auth.setLocale(user, body.locale);
    else req.session.locale = body.locale;
    return { url: safeLocalPath(body.next) };
  }

  @Get('account')
  @Render('auth/account')
  account() {
    return {};
  }

  @Post('account/password')
  @Redirect('/account', 303)
  @FormView('auth/account')
  async changePassword(@CurrentUser() user: SessionUser, @Body() body: ChangePasswordDto, @Req() req: Request) {
    await this.auth.changePassword(user, body.currentPassword, body.newPassword, body.confirmPassword, {
      ip: clientIp(req), userAgent: req.get('user-agent'),
    });
    await this.sessions.afterPasswordChange(req, user);
    flash(req, 'success', { key: 'auth.passwordChanged' });
  }
}
