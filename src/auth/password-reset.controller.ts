import { Body, Controller, Get, Param, Post, Query, Render, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { FormView } from '../common/decorators/form-view.decorator';
import { Public } from '../common/decorators/public.decorator';
import { clientIp } from '../common/http/session';
import { ForgotPasswordDto, NewPasswordDto } from './dto/auth.dto';
import { PasswordResetService } from './password-reset.service';

/** "Forgot your password?" from the sign-in page, and the page the mailed link opens. */
@Controller('password')
export class PasswordResetController {
  constructor(private readonly resets: PasswordResetService) {}

  @Public()
  @Get('forgot')
  @Render('auth/forgot')
  forgotPage(@Query('sent') sent?: string) {
    return { sent: sent === '1', values: {} };
  }

  @Public()
  @Post('forgot')
  @FormView('auth/forgot')
  async forgot(@Body() body: ForgotPasswordDto, @Req() req: Request, @Res() res: Response) {
    await this.resets.request(body.email, { ip: clientIp(req), userAgent: req.get('user-agent') });
    // The same answer whether the address has an account or not.
    res.redirect(303, '/password/forgot?sent=1');
  }

  @Public()
  @Get('reset/:token')
  @Render('auth/reset')
  async resetPage(@Param('token') token: string) {
    return { account: await this.resets.check(token) };
  }

  @Public()
  @Post('reset/:token')
  @FormView('auth/reset', {}, (c: PasswordResetController, req) => c.resetPage(req.params.token as string))
  async reset(@Param('token') token: string, @Body() body: NewPasswordDto, @Req() req: Request, @Res() res: Response) {
    await this.resets.reset(token, body.newPassword, body.confirmPassword, { ip: clientIp(req), userAgent: req.get('user-agent') });
    // Said by the sign-in page (reset=1), not flashed: a flash message would need a session for someone not signed in.
    res.redirect(303, '/login?reset=1');
  }
}
