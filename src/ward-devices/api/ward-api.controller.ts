import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { SessionManager } from '../../auth/session/session-manager';
import { Public } from '../../common/decorators/public.decorator';
import { csrf } from '../../common/http/csrf';
import { clientIp } from '../../common/http/session';
import { ApiPinDto } from '../dto/ward.dto';
import { StaffPinsService } from '../staff-pins.service';
import { startPinSession, tabletOf } from '../ward.controller';

/** For the offline log's sign-in in place (docs/api.md): the tablet's carers, and a PIN switch. */
@Controller('api/ward')
@Public()
export class WardApiController {
  constructor(private readonly pins: StaffPinsService, private readonly sessions: SessionManager) {}

  @Get('carers')
  async carers(@Req() req: Request) {
    const tablet = tabletOf(req);
    return { carers: (await this.pins.carersOf(tablet.homeId)).map((c) => ({ id: c.id, displayName: c.displayName, locked: c.locked })) };
  }

  @Post('pin')
  @HttpCode(200)
  async pin(@Body() body: ApiPinDto, @Req() req: Request) {
    const tablet = tabletOf(req);
    const user = await this.pins.signIn(tablet, body.userId, body.pin, { ip: clientIp(req), userAgent: req.get('user-agent') });
    await startPinSession(this.sessions, req, user, tablet.id);
    return { user: { id: user.id, displayName: user.displayName, role: user.role }, csrfToken: csrf.generateToken(req) };
  }
}
