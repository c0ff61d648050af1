import { Body, Controller, Get, Param, Post, Query, Redirect, Render, Req } from '@nestjs/common';
import type { Request } from 'express';
import { can, rolesThat } from '../common/access/access-policy';
import type { SessionUser } from '../common/access/session-user';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { FormView } from '../common/decorators/form-view.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { flash, flashInvitation } from '../common/http/flash';
import { listHref } from '../common/http/list-href';
import { ParseIdPipe } from '../common/http/parse-id.pipe';
import { AddFamilyLinkDto, RELATIONSHIPS, UpdateFamilyLinkDto } from '../residents/dto/family-link.dto';
import { FAMILY_ACCESS } from '../residents/residents.enums';
import { FamilyLinksService } from '../residents/family-links.service';
import { CreateFamilyMemberDto, FamilyListQueryDto, FamilyMemberDto } from './dto/family-member.dto';
import { FamiliesService } from './families.service';

/** A list address keeping the search and filters, for the paging links. */
function pageHref(query: FamilyListQueryDto, page: number): string {
  return listHref('/families', { q: query.q, archived: query.archived ? '1' : null, homeId: query.homeId }, page);
}

const RELATIONSHIP_OPTIONS = RELATIONSHIPS.map((value) => ({ value, labelKey: `families.relationships.${value}` }));
const ACCESS_OPTIONS = FAMILY_ACCESS.map((value) => ({ value, labelKey: `families.access.${value}` }));

@Controller('families')
@Roles(...rolesThat('readFamilies'))
export class FamiliesController {
  constructor(private readonly families: FamiliesService, private readonly links: FamilyLinksService) {}

  @Get()
  @Render('families/index')
  async index(@CurrentUser() user: SessionUser, @Query() query: FamilyListQueryDto) {
    const result = await this.families.list(user, query);
    const homes = await this.families.homeChoices(user);
    return {
      ...result,
      filters: { q: query.q ?? '', archived: !!query.archived, homeId: query.homeId ?? '' },
      homes,
      showHome: homes.length > 0,
      previous: result.page > 1 ? pageHref(query, result.page - 1) : null,
      next: result.page < result.pageCount ? pageHref(query, result.page + 1) : null,
      canEdit: can(user, 'manageFamilies'),
    };
  }

  @Get('new')
  @Roles(...rolesThat('manageFamilies'))
  @Render('families/form')
  async newMember(@CurrentUser() user: SessionUser) {
    return { isNew: true, formAction: '/families', homes: await this.families.homeChoices(user), values: {} };
  }

  @Post()
  @Roles(...rolesThat('manageFamilies'))
  @Redirect('/', 303)
  @FormView('families/form', { isNew: true }, (c: FamiliesController, req) => c.newMember(req.user!))
  async create(@CurrentUser() user: SessionUser, @Body() body: CreateFamilyMemberDto, @Req() req: Request) {
    const member = await this.families.create(user, body);
    flash(req, 'success', { key: 'families.created', params: { name: member.name } });
    return { url: `/families/${member.id}` };
  }

  @Get(':id')
  @Render('families/show')
  show(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string) {
    return this.detail(user, id);
  }

  @Get(':id/edit')
  @Roles(...rolesThat('manageFamilies'))
  @Render('families/form')
  async edit(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string) {
    const member = await this.families.get(user, id);
    return {
      isNew: false, formAction: `/families/${id}`, member: { id, name: member.name, archived: member.archivedAt !== null },
      values: { firstName: member.firstName, lastName: member.lastName, email: member.email, phone: member.phone },
    };
  }

  @Post(':id')
  @Roles(...rolesThat('manageFamilies'))
  @Redirect('/', 303)
  @FormView('families/form', { isNew: false }, (c: FamiliesController, req) => c.edit(req.user!, req.params.id as string))
  async update(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Body() body: FamilyMemberDto, @Req() req: Request) {
    await this.families.update(user, id, body);
    flash(req, 'success', { key: 'families.saved' });
    return { url: `/families/${id}` };
  }

  /** Archiving is asked for on a page of its own, so a stray tap on a shared tablet does not do it. */
  @Get(':id/archive')
  @Roles(...rolesThat('manageFamilies'))
  @Render('families/archive')
  async confirmArchive(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string) {
    const member = await this.families.get(user, id);
    return { member: { id, name: member.name, archived: member.archivedAt !== null } };
  }

  @Post(':id/archive')
  @Roles(...rolesThat('manageFamilies'))
  @Redirect('/', 303)
  @FormView('families/archive', {}, (c: FamiliesController, req) => c.confirmArchive(req.user!, req.params.id as string))
  async archive(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Req() req: Request) {
    const member = await this.families.archive(user, id);
    flash(req, 'success', { key: 'families.archivedDone', params: { name: member.name } });
    return { url: `/families/${id}` };
  }

  @Post(':id/unarchive')
  @Roles(...rolesThat('manageFamilies'))
  @Redirect('/', 303)
  @FormView('families/archive', {}, (c: FamiliesController, req) => c.confirmArchive(req.user!, req.params.id as string))
  async unarchive(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Req() req: Request) {
    const member = await this.families.unarchive(user, id);
    flash(req, 'success', { key: 'families.unarchived', params: { name: member.name } });
    return { url: `/families/${id}` };
  }

  @Post(':id/links')
  @Roles(...rolesThat('manageFamilies'))
  @Redirect('/', 303)
  @FormView('families/show', {}, (c: FamiliesController, req) => c.detail(req.user!, req.params.id as string))
  async addLink(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Body() body: AddFamilyLinkDto, @Req() req: Request) {
    const link = await this.links.addLink(user, id, body);
    flash(req, 'success', { key: 'families.linkAdded', params: { name: link.residentName } });
    for (const former of link.formerPrimaryContacts ?? []) flash(req, 'info', { key: 'families.primaryContactMoved', params: { name: former, resident: link.residentName } });
    return { url: `/families/${id}` };
  }

  @Post(':id/links/:linkId')
  @Roles(...rolesThat('manageFamilies'))
  @Redirect('/', 303)
  @FormView('families/show', {}, (c: FamiliesController, req) =>
    c.detail(req.user!, req.params.id as string, { linkId: req.params.linkId as string, values: (req.body ?? {}) as Record<string, unknown> }),
  )
  async updateLink(
    @CurrentUser() user: SessionUser,
    @Param('id', ParseIdPipe) id: string,
    @Param('linkId', ParseIdPipe) linkId: string,
    @Body() body: UpdateFamilyLinkDto,
    @Req() req: Request,
  ) {
    const link = await this.links.updateLink(user, linkId, body, id);
    flash(req, 'success', { key: 'families.linkSaved', params: { name: link.residentName } });
    for (const former of link.formerPrimaryContacts ?? []) flash(req, 'info', { key: 'families.primaryContactMoved', params: { name: former, resident: link.residentName } });
    return { url: `/families/${id}` };
  }

  @Post(':id/invitation')
  @Roles(...rolesThat('manageFamilies'))
  @Redirect('/', 303)
  @FormView('families/show', {}, (c: FamiliesController, req) => c.detail(req.user!, req.params.id as string))
  async invite(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Req() req: Request) {
    const issued = await this.families.invite(user, id);
    flashInvitation(req, issued, user.timezone, 'families.invitationLink');
    return { url: `/families/${id}` };
  }

  /**
   * The detail page: contact details, links with their forms, and the account. `failedLink` is a link
   * edit that was just refused: its form shows what was typed instead of what is stored.
   */
  async detail(user: SessionUser, id: string, failedLink?: { linkId: string; values: Record<string, unknown> }) {
    const { member, links, account, canEdit, residentOptions } = await this.families.profile(user, id);
    return {
      title: member.name,
      member,
      account,
      canEdit,
      canUnarchive: member.archivedAt !== null && can(user, 'manageFamilies'),
      links: links.map((link) => {
        const typed = failedLink?.linkId === link.id ? failedLink.values : null;
        return {
          ...link,
          failed: typed !== null,
          form: typed
            ? { relationship: typed.linkRelationship, access: typed.linkAccess, primaryContact: !!typed.linkPrimaryContact, active: !!typed.linkActive }
            : { relationship: link.relationship, access: link.access, primaryContact: link.primaryContact, active: link.active },
        };
      }),
      residentOptions,
      relationships: RELATIONSHIP_OPTIONS,
      accessLevels: ACCESS_OPTIONS,
      // The "add a link" form starts at the safer access level.
      values: { access: 'view' },
    };
  }
}
