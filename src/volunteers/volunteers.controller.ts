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
import { CreateVolunteerDto, VOLUNTEER_LIST_STATUSES, VolunteerDto, VolunteerListQuery } from './dto/volunteer.dto';
import { VolunteerDetail, VolunteersService } from './volunteers.service';

/** The volunteer form's fields as the form shows them (skills as one comma-separated line). */
function formValues(v: VolunteerDetail): Record<string, unknown> {
  return {
    firstName: v.firstName, lastName: v.lastName, email: v.email, phone: v.phone, association: v.association,
    skills: v.skills.join(', '), availability: v.availability, backgroundCheckReference: v.backgroundCheckReference,
    backgroundCheckOn: v.backgroundCheckOn, backgroundCheckExpiresOn: v.backgroundCheckExpiresOn,
    trainingNotes: v.trainingNotes, startedOn: v.startedOn, status: v.status,
  };
}

const STATUS_FILTER = { path: '/volunteers', statuses: VOLUNTEER_LIST_STATUSES, defaultStatus: 'current', labelKeys: 'volunteers.filter' };

@Controller('volunteers')
@Roles(...rolesThat('readVolunteers'))
export class VolunteersController {
  constructor(private readonly volunteers: VolunteersService) {}

  @Get()
  @Render('volunteers/index')
  async index(@CurrentUser() user: SessionUser, @Query() query: VolunteerListQuery) {
    return statusListView(await this.volunteers.list(user, query), query, STATUS_FILTER, user, can(user, 'manageVolunteers'));
  }

  @Get('new')
  @Roles(...rolesThat('manageVolunteers'))
  @Render('volunteers/form')
  async newVolunteer(@CurrentUser() user: SessionUser) {
    return { isNew: true, formAction: '/volunteers', homeChoices: await this.volunteers.homeChoices(user), values: { status: 'active' } };
  }

  @Post()
  @Roles(...rolesThat('manageVolunteers'))
  @Redirect('/', 303)
  @FormView('volunteers/form', { isNew: true }, (c: VolunteersController, req) => c.newVolunteer(req.user!))
  async create(@CurrentUser() user: SessionUser, @Body() body: CreateVolunteerDto, @Req() req: Request) {
    const volunteer = await this.volunteers.create(user, body);
    flash(req, 'success', { key: 'volunteers.created', params: { name: personName(volunteer) } });
    return { url: `/volunteers/${volunteer.id}` };
  }

  @Get(':id')
  @Render('volunteers/show')
  async show(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string) {
    const { volunteer, account } = await this.volunteers.profile(user, id);
    return { title: personName(volunteer), volunteer, account, canEdit: can(user, 'manageVolunteers') };
  }

  @Get(':id/edit')
  @Roles(...rolesThat('manageVolunteers'))
  @Render('volunteers/form')
  async edit(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string) {
    const volunteer = await this.volunteers.get(user, id);
    return {
      isNew: false, formAction: `/volunteers/${id}`, volunteer: { id, name: personName(volunteer) },
      values: formValues(volunteer),
    };
  }

  @Post(':id')
  @Roles(...rolesThat('manageVolunteers'))
  @Redirect('/', 303)
  @FormView('volunteers/form', { isNew: false }, (c: VolunteersController, req) => c.edit(req.user!, req.params.id as string))
  async update(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Body() body: VolunteerDto, @Req() req: Request) {
    await this.volunteers.update(user, id, body);
    flash(req, 'success', { key: 'volunteers.saved' });
    return { url: `/volunteers/${id}` };
  }

  @Post(':id/archive')
  @Roles(...rolesThat('manageVolunteers'))
  @Redirect('/', 303)
  @FormView('volunteers/show', {}, (c: VolunteersController, req) => c.show(req.user!, req.params.id as string))
  async archive(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Req() req: Request) {
    const volunteer = await this.volunteers.archive(user, id);
    flash(req, 'success', { key: 'volunteers.archived', params: { name: personName(volunteer) } });
    return { url: `/volunteers/${id}` };
  }

  @Post(':id/unarchive')
  @Roles(...rolesThat('manageVolunteers'))
  @Redirect('/', 303)
  @FormView('volunteers/show', {}, (c: VolunteersController, req) => c.show(req.user!, req.params.id as string))
  async unarchive(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Req() req: Request) {
    const volunteer = await this.volunteers.unarchive(user, id);
    flash(req, 'success', { key: 'volunteers.unarchived', params: { name: personName(volunteer) } });
    return { url: `/volunteers/${id}` };
  }

  @Post(':id/invite')
  @Roles(...rolesThat('manageVolunteers'))
  @Redirect('/', 303)
  @FormView('volunteers/show', {}, (c: VolunteersController, req) => c.show(req.user!, req.params.id as string))
  async invite(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Req() req: Request) {
    const issued = await this.volunteers.invite(user, id);
    flashInvitation(req, issued, user.timezone, 'volunteers.invitationLink');
    return { url: `/volunteers/${id}` };
  }
}
