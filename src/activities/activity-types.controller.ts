import { Body, Controller, Get, Param, Post, Redirect, Render, Req } from '@nestjs/common';
import type { Request } from 'express';
import type { SessionUser } from '../common/access/session-user';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { FormView } from '../common/decorators/form-view.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { flash } from '../common/http/flash';
import { ParseIdPipe } from '../common/http/parse-id.pipe';
import { HomesService } from '../homes/homes.service';
import { ActivitiesService } from './activities.service';
import { ActivityTypeDto } from './dto/activity.dto';
import { ActivityType } from './entities/activity-type.entity';
import { PHASES } from '../contributions/contributions.enums';
import { ACTIVITY_CATEGORIES } from './activities.enums';

/** The kinds of activity a home offers: list, create, edit, deactivate and reactivate. Planners only. */
@Controller('activity-types')
@Roles('admin', 'manager', 'coordinator')
export class ActivityTypesController {
  constructor(
    private readonly activities: ActivitiesService,
    private readonly homes: HomesService,
  ) {}

  @Get()
  @Render('activities/types')
  async index(@CurrentUser() user: SessionUser) {
    const homeNames = await this.homeNames(user);
    const rows = (await this.activities.listTypes(user, true)).map((type) => ({
      ...typeView(type), homeName: homeNames.size > 1 ? (homeNames.get(type.homeId) ?? '') : '',
    }));
    return { active: rows.filter((row) => row.active), inactive: rows.filter((row) => !row.active), showHome: homeNames.size > 1 };
  }

  @Get('new')
  @Render('activities/type-form')
  async newType(@CurrentUser() user: SessionUser) {
    return { ...(await this.formContext(user)), isNew: true, formAction: '/activity-types', values: { category: 'social', defaultDurationMinutes: 60 } };
  }

  @Post()
  @Redirect('/activity-types', 303)
  @FormView('activities/type-form', { isNew: true }, (c: ActivityTypesController, req) => c.formContext(req.user!))
  async create(@CurrentUser() user: SessionUser, @Body() body: ActivityTypeDto, @Req() req: Request) {
    const type = await this.activities.createType(user, body);
    flash(req, 'success', { key: 'calendar.typeCreated', params: { name: type.name } });
    return { url: '/activity-types' };
  }

  @Get(':id/edit')
  @Render('activities/type-form')
  async edit(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string) {
    const type = await this.activities.getType(user, id);
    return {
      isNew: false, formAction: `/activity-types/${id}`, typeId: id, title: type.name, typeActive: type.active, categories: ACTIVITY_CATEGORIES,
      phases: PHASES,
      values: {
        name: type.name, category: type.category, description: type.description ?? '', defaultDurationMinutes: type.defaultDurationMinutes,
        defaultLocation: type.defaultLocation ?? '', defaultCapacity: type.defaultCapacity ?? '', usualPhases: type.usualPhases,
      },
    };
  }

  @Post(':id')
  @Redirect('/activity-types', 303)
  @FormView('activities/type-form', { isNew: false }, (c: ActivityTypesController, req) => c.editContext(req))
  async update(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Body() body: ActivityTypeDto, @Req() req: Request) {
    await this.activities.updateType(user, id, body);
    flash(req, 'success', { key: 'calendar.typeSaved', params: { name: body.name } });
    return { url: '/activity-types' };
  }

  @Post(':id/deactivate')
  @Redirect('/activity-types', 303)
  async deactivate(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Req() req: Request) {
    const type = await this.setActive(user, id, false);
    flash(req, 'success', { key: 'calendar.typeDeactivated', params: { name: type.name } });
    return { url: '/activity-types' };
  }

  @Post(':id/reactivate')
  @Redirect('/activity-types', 303)
  async reactivate(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Req() req: Request) {
    const type = await this.setActive(user, id, true);
    flash(req, 'success', { key: 'calendar.typeReactivated', params: { name: type.name } });
    return { url: '/activity-types' };
  }

  async formContext(user: SessionUser) {
    const homeNames = await this.homeNames(user);
    return {
      categories: ACTIVITY_CATEGORIES,
      phases: PHASES,
      // Only a user of several homes chooses one; the others create in their one home.
      homes: homeNames.size > 1 ? [...homeNames.entries()].map(([id, name]) => ({ id, name })) : [],
    };
  }

  /** The edit page again after a rejected save, without the stored values (what was typed replaces them). */
  async editContext(req: Request) {
    return { ...(await this.edit(req.user!, new ParseIdPipe().transform(req.params.id as string))), values: {} };
  }

  private async setActive(user: SessionUser, id: string, active: boolean): Promise<ActivityType> {
    const type = await this.activities.getType(user, id);
    await this.activities.updateType(user, id, {
      name: type.name, category: type.category, description: type.description ?? undefined, defaultDurationMinutes: type.defaultDurationMinutes,
      defaultLocation: type.defaultLocation ?? undefined, defaultCapacity: type.defaultCapacity ?? undefined, usualPhases: type.usualPhases, active,
    });
    return type;
  }

  private async homeNames(user: SessionUser): Promise<Map<string, string>> {
    if (user.homeIds.length === 0) return new Map();
    return new Map((await this.homes.listForUser(user)).map((home) => [home.id, home.name]));
  }
}

function typeView(type: ActivityType) {
  return {
    id: type.id, name: type.name, category: type.category, description: type.description,
    defaultDurationMinutes: type.defaultDurationMinutes, defaultLocation: type.defaultLocation, defaultCapacity: type.defaultCapacity,
    usualPhases: type.usualPhases, active: type.active,
  };
}
