import { Body, Controller, Get, Param, Post, Query, Render, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AuthService } from '../auth/auth.service';
import { SessionManager } from '../auth/session/session-manager';
import type { SessionUser } from '../common/access/session-user';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { FormView } from '../common/decorators/form-view.decorator';
import { Public } from '../common/decorators/public.decorator';
import { NotFoundError, ValidationError } from '../common/errors/domain-errors';
import { ParseIdPipe } from '../common/http/parse-id.pipe';
import { safeLocalPath } from '../common/http/safe-redirect';
import { clientIp } from '../common/http/session';
import { translate } from '../common/i18n/i18n';
import { PinDto } from './dto/ward.dto';
import { PIN_IDLE_TIMEOUT_MS, StaffPinsService } from './staff-pins.service';
import { DeviceRefusedError, WrongPinError } from './ward-errors';

/** The enrolled tablet this request came from; 401 without one (none, forged or revoked). */
export function tabletOf(req: Request): NonNullable<Request['wardDevice']> {
  if (!req.wardDevice) throw new DeviceRefusedError(req.wardDeviceRefused ? { key: 'ward.deviceRefused' } : { key: 'ward.notEnrolled' });
  return req.wardDevice;
}

/** Starts a carer's PIN session on the tablet: 5 minutes idle, only ward routes, the tablet checked on every request. */
export async function startPinSession(sessions: SessionManager, req: Request, user: SessionUser, deviceId: string): Promise<void> {
  await sessions.start(req, user, { deviceId, signedInBy: 'pin', idleTimeoutMs: PIN_IDLE_TIMEOUT_MS });
}

/** The shared ward tablet: the carer picker, the PIN page, and locking back to the picker. */
@Controller('ward')
@Public()
export class WardController {
  constructor(private readonly pins: StaffPinsService, private readonly sessions: SessionManager, private readonly auth: AuthService) {}

  /** `next`: where the carer was when asked to sign in (kept through the PIN page). */
  @Get()
  @Render('ward/picker')
  async picker(@Req() req: Request, @Query('next') next?: string) {
    const tablet = tabletOf(req);
    const back = safeLocalPath(next, '');
    const carers = (await this.pins.carersOf(tablet.homeId)).map((carer) => ({
      ...carer, href: `/ward/pin/${carer.id}${back ? `?next=${encodeURIComponent(back)}` : ''}`,
    }));
    return { title: translate(req.locale, 'ward.pickerTitle'), tablet, carers };
  }

  @Get('pin/:userId')
  @Render('ward/pin')
  async pinPage(@Req() req: Request, @Param('userId', ParseIdPipe) userId: string, @Query('next') next?: string) {
    const tablet = tabletOf(req);
    const carer = await this.pins.carer(tablet.homeId, userId);
    if (!carer) throw new NotFoundError();
    return { title: translate(req.locale, 'ward.pinTitle', { name: carer.displayName }), tablet, carer, values: { next: safeLocalPath(next, '') } };
  }

  @Post('pin/:userId')
  @FormView('ward/pin', {}, (c: WardController, req) => c.pinPage(req, req.params.userId as string))
  async signIn(@Req() req: Request, @Res() res: Response, @Param('userId', ParseIdPipe) userId: string, @Body() body: PinDto) {
    const tablet = tabletOf(req);
    let user: SessionUser;
    try {
      user = await this.pins.signIn(tablet, userId, body.pin, { ip: clientIp(req), userAgent: req.get('user-agent') });
    } catch (error) {
      // The PIN field comes back empty unless its shape was the problem (then what was typed stays, to correct).
      if (!(error instanceof ValidationError)) (req.body as Record<string, unknown>).pin = '';
      if (error instanceof WrongPinError) throw new ValidationError({ pin: error.detail }, error.detail);
      throw error;
    }
    await startPinSession(this.sessions, req, user, tablet.id);
    res.redirect(303, safeLocalPath(body.next, `/today?unitId=${tablet.unitId}`));
  }

  /** "Switch carer", and the idle lock (public/js/ward.js): ends the session and shows the picker. */
  @Post('lock')
  async lock(@CurrentUser() user: SessionUser | undefined, @Req() req: Request, @Res() res: Response) {
    if (user) await this.auth.recordSignOut(user, { ip: clientIp(req), userAgent: req.get('user-agent') });
    await this.sessions.end(req, res);
    res.redirect(303, '/ward');
  }
}
