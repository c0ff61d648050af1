import { Body, Controller, Get, Param, Post, Query, Redirect, Render, Req } from '@nestjs/common';
import type { Request } from 'express';
import { can, rolesThat } from '../common/access/access-policy';
import type { SessionUser } from '../common/access/session-user';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { FormView } from '../common/decorators/form-view.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { flash, flashInvitation } from '../common/http/flash';
import { ParseIdPipe } from '../common/http/parse-id.pipe';
import { statusListView } from '../common/people/person-list-view';
import { personName } from '../common/people/person-records';
import { CreateStaffMemberDto, STAFF_LIST_STATUSES, StaffInvitationDto, StaffListQuery, StaffMemberDto } from './dto/staff-member.dto';
import { JOB_ROLES } from './staff.enums';
import { invitableRoles, StaffDetail, StaffService } from './staff.service';

const JOB_ROLE_OPTIONS = JOB_ROLES.map((value) => ({ value, labelKey: `staff.jobRoles.${value}` }));

function formValues(s: StaffDetail): Record<string, unknown> {
  return {
    firstName: s.firstName, lastName: s.lastName, email: s.email, phone: s.phone, jobRole: s.jobRole,
    unitId: s.unitId, startedOn: s.startedOn, status: s.status,
  };
}

const STATUS_FILTER = { path: '/staff', statuses: STAFF_LIST_STATUSES, defaultStatus: 'active', labelKeys: 'staff.filter' };

@Controller('staff')
@Roles(...rolesThat('readStaff'))
export class StaffController {
  constructor(private readonly staff: StaffService) {}

  @Get()
  @Render('staff/index')
  async index(@CurrentUser() user: SessionUser, @Query() query: StaffListQuery) {
    return statusListView(await this.staff.list(user, query), query, STATUS_FILTER, user, can(user, 'manageStaff'));
  }

  @Get('new')
  @Roles(...rolesThat('manageStaff'))
  @Render('staff/form')
  async newMember(@CurrentUser() user: SessionUser) {
    return {
      isNew: true, formAction: '/staff', jobRoles: JOB_ROLE_OPTIONS, ...(await this.staff.formOptions(user)),
      values: { status: 'active', jobRole: 'care_assistant' },
    };
  }

  @Post()
  @Roles(...rolesThat('manageStaff'))
  @Redirect('/', 303)
  @FormView('staff/form', { isNew: true }, (c: StaffController, req) => c.newMember(req.user!))
  async create(@CurrentUser() user: SessionUser, @Body() body: CreateStaffMemberDto, @Req() req: Request) {
    const member = await this.staff.create(user, body);
    flash(req, 'success', { key: 'staff.created', params: { name: personName(member) } });
    return { url: `/staff/${member.id}` };
  }

  @Get(':id')
  @Render('staff/show')
  async show(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string) {
    const { member, account, suggestedRole } = await this.staff.profile(user, id);
    return {
      title: personName(member), member, account, canEdit: can(user, 'manageStaff'),
      inviteRoles: invitableRoles(user).map((value) => ({ value, labelKey: `roles.${value}`, selected: value === suggestedRole })),
    };
  }

  @Get(':id/edit')
  @Roles(...rolesThat('manageStaff'))
  @Render('staff/form')
  async edit(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string) {
    const member = await this.staff.get(user, id);
    return {
      isNew: false, formAction: `/staff/${id}`, member: { id, name: personName(member) },
      jobRoles: JOB_ROLE_OPTIONS, ...(await this.staff.formOptions(user, member)), values: formValues(member),
    };
  }

  @Post(':id')
  @Roles(...rolesThat('manageStaff'))
  @Redirect('/', 303)
  @FormView('staff/form', { isNew: false }, (c: StaffController, req) => c.edit(req.user!, req.params.id as string))
  async update(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Body() body: StaffMemberDto, @Req() req: Request) {
    await this.staff.update(user, id, body);
    flash(req, 'success', { key: 'staff.saved' });
    return { url: `/staff/${id}` };
  }

  @Post(':id/archive')
  @Roles(...rolesThat('manageStaff'))
  @Redirect('/', 303)
  @FormView('staff/show', {}, (c: StaffController, req) => c.show(req.user!, req.params.id as string))
  async archive(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Req() req: Request) {
    const member = await this.staff.archive(user, id);
    flash(req, 'success', { key: 'staff.archived', params: { name: personName(member) } });
    return { url: `/staff/${id}` };
  }

  @Post(':id/unarchive')
  @Roles(...rolesThat('manageStaff'))
  @Redirect('/', 303)
  @FormView('staff/show', {}, (c: StaffController, req) => c.show(req.user!, req.params.id as string))
  async unarchive(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Req() req: Request) {
    const member = await this.staff.unarchive(user, id);
    flash(req, 'success', { key: 'staff.unarchived', params: { name: personName(member) } });
    return { url: `/staff/${id}` };
  }

  @Post(':id/invite')
  @Roles(...rolesThat('manageStaff'))
  @Redirect('/', 303)
  @FormView('staff/show', {}, (c: StaffController, req) => c.show(req.user!, req.params.id as string))
  async invite(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Body() body: StaffInvitationDto, @Req() req: Request) {
    const issued = await this.staff.invite(user, id, body.role);
    flashInvitation(req, issued, user.timezone, 'staff.invitationLink');
    return { url: `/staff/${id}` };
  }
}
