import { Body, Controller, Get, Param, Post, Redirect, Render, Req } from '@nestjs/common';
import type { Request } from 'express';
import type { SessionUser } from '../common/access/session-user';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { FormView } from '../common/decorators/form-view.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { flash } from '../common/http/flash';
import { ParseIdPipe } from '../common/http/parse-id.pipe';
import { GroupSettingsDto, HomeDto, UnitDto } from './dto/home.dto';
import { DEFAULT_COUNTRY } from './homes.enums';
import { HomesService } from './homes.service';

@Controller('admin/homes')
@Roles('admin')
export class HomesController {
  constructor(readonly homes: HomesService) {}

  @Get()
  @Render('homes/index')
  async index(@CurrentUser() user: SessionUser) {
    return { homes: await this.homes.listForUser(user) };
  }

  @Get('new')
  @Render('homes/form')
  async newHome() {
    return { values: { timezone: 'Europe/Rome', locale: 'it', country: DEFAULT_COUNTRY }, isNew: true, formAction: '/admin/homes', groups: await this.homes.groupChoices() };
  }

  @Post()
  @Redirect('/', 303)
  @FormView('homes/form', { isNew: true }, async (c: HomesController) => ({ groups: await c.homes.groupChoices() }))
  async create(@CurrentUser() user: SessionUser, @Body() body: HomeDto, @Req() req: Request) {
    const home = await this.homes.create(user, body);
    flash(req, 'success', { key: 'homes.created', params: { name: home.name } });
    return { url: `/admin/homes/${home.id}` };
  }

  @Get(':id')
  @Render('homes/form')
  async show(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string) {
    const { home, units } = await this.homes.get(user, id);
    return { home, units, values: home, isNew: false, formAction: `/admin/homes/${id}`, groups: await this.homes.groupChoices() };
  }

  @Post(':id')
  @Redirect('/', 303)
  @FormView('homes/form', { isNew: false }, (c: HomesController, req) => c.show(req.user!, req.params.id as string))
  async update(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Body() body: HomeDto, @Req() req: Request) {
    await this.homes.update(user, id, body);
    flash(req, 'success', { key: 'homes.saved' });
    return { url: `/admin/homes/${id}` };
  }

  @Post(':id/units')
  @Redirect('/', 303)
  @FormView('homes/form', { isNew: false }, (c: HomesController, req) => c.show(req.user!, req.params.id as string))
  async addUnit(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Body() body: UnitDto, @Req() req: Request) {
    await this.homes.addUnit(user, id, body);
    flash(req, 'success', { key: 'homes.unitAdded', params: { name: body.unitName } });
    return { url: `/admin/homes/${id}` };
  }
}

/** Groups of homes (docs/groups.md): admins create them here; a group's settings are on its own page (/groups/:id/settings). */
@Controller('admin/groups')
@Roles('admin')
export class GroupsAdminController {
  constructor(private readonly homes: HomesService) {}

  @Get()
  @Render('homes/groups')
  async index(@CurrentUser() user: SessionUser) {
    return { groups: await this.homes.groupsFor(user), values: {} };
  }

  @Post()
  @Redirect('/', 303)
  @FormView('homes/groups', {}, async (c: GroupsAdminController, req) => ({ groups: await c.homes.groupsFor(req.user!) }))
  async create(@CurrentUser() user: SessionUser, @Body() body: GroupSettingsDto, @Req() req: Request) {
    const group = await this.homes.createGroup(user, body);
    flash(req, 'success', { key: 'groups.created', params: { name: group.name } });
    return { url: `/groups/${group.id}/settings` };
  }
}
