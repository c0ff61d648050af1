import { Body, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { SessionUser } from '../../common/access/session-user';
import { CurrentUser } from '../../common/decorators/current-user.decorator';
import { Public } from '../../common/decorators/public.decorator';
import { SkipCsrf } from '../../common/decorators/skip-csrf.decorator';
import { csrf } from '../../common/http/csrf';
import { clientIp } from '../../common/http/session';
import { AuthService } from '../auth.service';
import { SignInDto } from '../dto/auth.dto';
import { SessionManager } from '../session/session-manager';

@Controller('api/auth')
export class AuthApiController {
  constructor(private readonly auth: AuthService, private readonly sessions: SessionManager) {}

  @Public()
  @SkipCsrf()
  @Post('login')
  @HttpCode(200)
  async login(@Body() body: SignInDto, @Req() req: Request) {
    const user = await this.auth.signIn(body.email, body.password, { ip: clientIp(req), userAgent: req.get('user-agent') });
    await this.sessions.start(req, user);
    return {
      user: { id: user.id, email: user.email, displayName: user.displayName, role: user.role, locale: user.locale, homeIds: user.homeIds },
      csrfToken: csrf.generateToken(req),
    };
  }

  @Post('logout')
  @HttpCode(204)
  async logout(@CurrentUser() user: SessionUser, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    await this.auth.recordSignOut(user, { ip: clientIp(req), userAgent: req.get('user-agent') });
    await this.sessions.end(req, res);
  }
}
