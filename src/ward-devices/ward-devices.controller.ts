import { Body, Controller, Get, Param, Post, Redirect, Render, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { rolesThat } from '../common/access/access-policy';
import type { SessionUser } from '../common/access/session-user';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { FormView } from '../common/decorators/form-view.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { flash } from '../common/http/flash';
import { ParseIdPipe } from '../common/http/parse-id.pipe';
import { clientIp } from '../common/http/session';
import { translate } from '../common/i18n/i18n';
import { EnrolDeviceDto, SetPinDto } from './dto/ward.dto';
import { StaffPinsService } from './staff-pins.service';
import { WardDevicesService } from './ward-devices.service';

/** A manager's page of the home's ward tablets: enrol this one, revoke, unlock carers' PINs. */
@Controller('devices')
@Roles(...rolesThat('manageStaff'))
export class WardDevicesController {
  constructor(private readonly devices: WardDevicesService) {}

  @Get()
  @Render('ward-devices/index')
  async index(@CurrentUser() user: SessionUser, @Req() req: Request) {
    const [devices, lockedCarers, { units, unitGroups }] = await Promise.all([
      this.devices.list(user, req.wardDevice?.id), this.devices.lockedCarers(user), this.devices.unitOptions(user),
    ]);
    return {
      title: translate(req.locale, 'ward.devicesTitle'), devices, lockedCarers, units, unitGroups, thisTablet: req.wardDevice ?? null,
      values: { name: '', unitId: units.length === 1 ? units[0].id : '' },
    };
  }

  @Post()
  @Redirect('/devices', 303)
  @FormView('ward-devices/index', {}, (c: WardDevicesController, req) => c.index(req.user!, req))
  async enrol(@CurrentUser() user: SessionUser, @Body() body: EnrolDeviceDto, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const device = await this.devices.enrol(user, body, req, res);
    flash(req, 'success', { key: 'ward.enrolled', params: { name: device.name } });
  }

  @Post(':id/revoke')
  @Redirect('/devices', 303)
  async revoke(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Req() req: Request) {
    const device = await this.devices.revoke(user, id, req);
    flash(req, 'success', { key: 'ward.revoked', params: { name: device.name } });
  }

  @Post('pins/:userId/unlock')
  @Redirect('/devices', 303)
  async unlock(@CurrentUser() user: SessionUser, @Param('userId', ParseIdPipe) userId: string, @Req() req: Request) {
    const name = await this.devices.unlock(user, userId, req);
    flash(req, 'success', { key: 'ward.unlocked', params: { name } });
  }
}

/** The "Ward tablet PIN" form on the account page (staff only). */
@Controller('account/pin')
@Roles(...rolesThat('homeStaff'))
export class AccountPinController {
  constructor(private readonly pins: StaffPinsService) {}

  @Post()
  @Redirect('/account', 303)
  @FormView('auth/account', { canSetPin: true, pinFormFailed: true })
  async setPin(@CurrentUser() user: SessionUser, @Body() body: SetPinDto, @Req() req: Request) {
    await this.pins.setPin(user, body, { ip: clientIp(req), userAgent: req.get('user-agent') });
    flash(req, 'success', { key: 'ward.pinSaved' });
  }
}
