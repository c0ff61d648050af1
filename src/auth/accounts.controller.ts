import { Body, Controller, Get, Param, Post, Query, Redirect, Render, Req } from '@nestjs/common';
import type { Request } from 'express';
import type { SessionUser } from '../common/access/session-user';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { FormView } from '../common/decorators/form-view.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { flash, flashInvitation } from '../common/http/flash';
import { listHref } from '../common/http/list-href';
import { ParseIdPipe } from '../common/http/parse-id.pipe';
import { HomesService } from '../homes/homes.service';
import { ACCOUNT_STATES, AccountsService } from './accounts.service';
import { ROLES } from './auth.enums';
import { AccountGroupsDto, AccountRoleDto, AccountsQueryDto, NewGroupManagerDto } from './dto/accounts.dto';

function pageHref(query: AccountsQueryDto, page: number): string {
  return listHref('/accounts', { q: query.q, homeId: query.homeId, role: query.role, status: query.status }, page);
}

/** Account management: admins for every home, managers for theirs (issue 16, item 6). */
@Controller('accounts')
@Roles('admin', 'manager')
export class AccountsController {
  constructor(private readonly accounts: AccountsService, private readonly homes: HomesService) {}

  @Get()
  @Render('accounts/index')
  async index(@CurrentUser() user: SessionUser, @Query() query: AccountsQueryDto) {
    const result = await this.accounts.list(user, query);
    const homes = await this.accounts.homeChoices(user);
    return {
      ...result,
      filters: { q: query.q ?? '' },
      homeOptions: homes.map((home) => ({ value: home.id, label: home.name, selected: home.id === query.homeId })),
      // A manager never sees an admin's or a group manager's account (they belong to no home): no filter for them.
      roleOptions: ROLES.filter((role) => user.role === 'admin' || (role !== 'admin' && role !== 'group_manager'))
        .map((value) => ({ value, labelKey: `roles.${value}`, selected: value === query.role })),
      // Admins make group managers' accounts here (docs/groups.md).
      groupOptions: user.role === 'admin' ? await this.groupOptions([]) : [],
      statusOptions: ACCOUNT_STATES.map((value) => ({ value, labelKey: `accounts.states.${value}`, selected: value === query.status })),
      previous: result.page > 1 ? pageHref(query, result.page - 1) : null,
      next: result.page < result.pages ? pageHref(query, result.page + 1) : null,
    };
  }

  @Get(':id')
  @Render('accounts/show')
  async show(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string) {
    const account = await this.accounts.detail(user, id);
    return {
      title: account.displayName,
      account,
      groupOptions: user.role === 'admin' && account.role === 'group_manager' ? await this.groupOptions(account.groups.map((g) => g.id)) : [],
      roleOptions: account.roleChoices.map((value) => ({ value, labelKey: `roles.${value}`, selected: value === account.role })),
    };
  }

  /** A new group manager (admins only): the account, its groups and a set-up link shown once. */
  @Post('group-managers')
  @Roles('admin')
  @Redirect('/', 303)
  @FormView('accounts/index', {}, async (c: AccountsController, req) => c.index(req.user!, {}))
  async createGroupManager(@CurrentUser() user: SessionUser, @Body() body: NewGroupManagerDto, @Req() req: Request) {
    const { id, issued } = await this.accounts.createGroupManager(user, body);
    flash(req, 'success', { key: 'groups.managerCreated', params: { name: body.displayName } });
    flashInvitation(req, issued, user.timezone, 'accounts.setupLink');
    return { url: `/accounts/${id}` };
  }

  @Post(':id/groups')
  @Roles('admin')
  @Redirect('/', 303)
  @FormView('accounts/show', {}, (c: AccountsController, req) => c.show(req.user!, req.params.id as string))
  async setGroups(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Body() body: AccountGroupsDto, @Req() req: Request) {
    const account = await this.accounts.setGroups(user, id, body.groupIds);
    flash(req, 'success', { key: 'groups.managerGroupsSaved', params: { name: account.displayName } });
    return { url: `/accounts/${id}` };
  }

  private async groupOptions(selected: string[]) {
    return (await this.homes.groupChoices()).map((g) => ({ value: g.id, label: g.name, checked: selected.includes(g.id) }));
  }

  @Post(':id/disable')
  @Redirect('/', 303)
  @FormView('accounts/show', {}, (c: AccountsController, req) => c.show(req.user!, req.params.id as string))
  async disable(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Req() req: Request) {
    const account = await this.accounts.setDisabled(user, id, true);
    flash(req, 'success', { key: 'accounts.disabled', params: { name: account.displayName } });
    return { url: `/accounts/${id}` };
  }

  @Post(':id/enable')
  @Redirect('/', 303)
  @FormView('accounts/show', {}, (c: AccountsController, req) => c.show(req.user!, req.params.id as string))
  async enable(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Req() req: Request) {
    const account = await this.accounts.setDisabled(user, id, false);
    flash(req, 'success', { key: 'accounts.enabled', params: { name: account.displayName } });
    return { url: `/accounts/${id}` };
  }

  @Post(':id/role')
  @Redirect('/', 303)
  @FormView('accounts/show', {}, (c: AccountsController, req) => c.show(req.user!, req.params.id as string))
  async changeRole(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Body() body: AccountRoleDto, @Req() req: Request) {
    const account = await this.accounts.changeRole(user, id, body.role);
    flash(req, 'success', { key: 'accounts.roleChanged', params: { name: account.displayName } });
    return { url: `/accounts/${id}` };
  }

  /** The set-up link is mailed to the account; without a mail server it is also shown here once (see flashInvitation). */
  @Post(':id/reset')
  @Redirect('/', 303)
  @FormView('accounts/show', {}, (c: AccountsController, req) => c.show(req.user!, req.params.id as string))
  async forceReset(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Req() req: Request) {
    const issued = await this.accounts.forceReset(user, id);
    flash(req, 'success', { key: 'accounts.resetDone' });
    flashInvitation(req, issued, user.timezone, 'accounts.setupLink');
    return { url: `/accounts/${id}` };
  }

  @Post(':id/mfa-reset')
  @Redirect('/', 303)
  @FormView('accounts/show', {}, (c: AccountsController, req) => c.show(req.user!, req.params.id as string))
  async resetMfa(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Req() req: Request) {
    const account = await this.accounts.resetMfa(user, id);
    flash(req, 'success', { key: 'mfa.resetDone', params: { name: account.displayName } });
    return { url: `/accounts/${id}` };
  }

  @Post(':id/setup-link')
  @Redirect('/', 303)
  @FormView('accounts/show', {}, (c: AccountsController, req) => c.show(req.user!, req.params.id as string))
  async setupLink(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Req() req: Request) {
    const issued = await this.accounts.newSetupLink(user, id);
    flashInvitation(req, issued, user.timezone, 'accounts.setupLink');
    return { url: `/accounts/${id}` };
  }

  @Post(':id/revoke-link')
  @Redirect('/', 303)
  @FormView('accounts/show', {}, (c: AccountsController, req) => c.show(req.user!, req.params.id as string))
  async revokeLink(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Req() req: Request) {
    await this.accounts.revokeLink(user, id);
    flash(req, 'success', { key: 'invitations.revoked' });
    return { url: `/accounts/${id}` };
  }
}
