import { Body, Controller, Get, Param, Post, Query, Redirect, Render, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { sendAs } from '../common/http/download-name';
import type { SessionUser } from '../common/access/session-user';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { FormView } from '../common/decorators/form-view.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { flash } from '../common/http/flash';
import { ParseIdPipe } from '../common/http/parse-id.pipe';
import { translate } from '../common/i18n/i18n';
import { GroupSettingsDto } from '../homes/dto/home.dto';
import { HomesService } from '../homes/homes.service';
import { GroupViewQuery } from './dto/group-view.dto';
import { groupCsv, groupPageView } from './group-view';
import { GROUP_VIEWERS, GroupViewService } from './group-view.service';

/**
 * Groups of homes (docs/groups.md): the group view for admins and the group's managers, and the
 * group's settings, the one thing a group manager writes.
 */
@Controller('groups')
@Roles(...GROUP_VIEWERS)
export class GroupsController {
  constructor(private readonly groups: GroupViewService, private readonly homes: HomesService) {}

  @Get()
  @Render('groups/index')
  async index(@CurrentUser() user: SessionUser, @Req() req: Request) {
    return { title: translate(req.locale, 'groups.title'), groups: await this.homes.groupsFor(user), isAdmin: user.role === 'admin' };
  }

  @Get(':id')
  @Render('groups/show')
  async show(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Query() query: GroupViewQuery, @Req() req: Request) {
    const sort = query.sort ?? 'name';
    const dir = query.dir ?? 'asc';
    const view = await this.groups.view(user, id, query.quarter, sort, dir);
    return groupPageView({ ...view, sort, dir, canEditSettings: true }, req.locale);
  }

  /** The same table as CSV, in the page's order. */
  @Get(':id/homes.csv')
  async csv(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Query() query: GroupViewQuery, @Req() req: Request, @Res() res: Response): Promise<void> {
    const view = await this.groups.view(user, id, query.quarter, query.sort ?? 'name', query.dir ?? 'asc');
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    sendAs(res, 'attachment', req.locale, 'group', { group: view.group.name, quarter: view.quarter }, 'csv');
    res.send(groupCsv(view.group, view.quarter, view.table, req.locale));
  }

  @Get(':id/settings')
  @Render('groups/settings')
  async settings(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string) {
    const { group, homes } = await this.homes.group(user, id);
    return { title: group.name, group, homes, values: { name: group.name, reachedThreshold: group.reachedThreshold ?? '' } };
  }

  /** The group's name and threshold: an admin's, or a group manager's of their own group (their only write). */
  @Post(':id/settings')
  @Redirect('/', 303)
  @FormView('groups/settings', {}, async (c: GroupsController, req) => {
    const { group, homes } = await c.homes.group(req.user!, req.params.id as string);
    return { title: group.name, group, homes };
  })
  async saveSettings(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Body() body: GroupSettingsDto, @Req() req: Request) {
    await this.homes.updateGroup(user, id, body);
    flash(req, 'success', { key: 'groups.saved' });
    return { url: `/groups/${id}` };
  }
}
