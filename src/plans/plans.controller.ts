import { Body, Controller, Get, Param, Post, Redirect, Render, Req } from '@nestjs/common';
import { rolesThat } from '../common/access/access-policy';
import type { Request } from 'express';
import type { SessionUser } from '../common/access/session-user';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { FormView } from '../common/decorators/form-view.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { flash } from '../common/http/flash';
import { ParseIdPipe } from '../common/http/parse-id.pipe';
import { AgreePlanDto, PlanDto, PlanReviewDto } from './dto/plan.dto';

import { PlanWritesService } from './plan-writes.service';
import { PlansService } from './plans.service';

/** A resident's activity plan: staff pages. Families see the plan through the portal instead. */
@Controller('residents/:id/plan')
@Roles(...rolesThat('readPlans'))
export class PlansController {
  constructor(
    private readonly plans: PlansService,
    private readonly writes: PlanWritesService,
  ) {}

  @Get()
  @Render('plans/show')
  async show(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string) {
    const view = await this.plans.residentPlans(user, id);
    return { ...view, title: view.resident.fullName, values: { agreedOn: view.today, nextReviewOn: '' } };
  }

  @Get('new')
  @Roles(...rolesThat('editPlans'))
  @Render('plans/form')
  async newPlan(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string) {
    return this.formPage(await this.plans.newPlanForm(user, id));
  }

  @Post('new')
  @Roles(...rolesThat('editPlans'))
  @Redirect('/residents', 303)
  @FormView('plans/form', {}, async (c: PlansController, req) => c.formPage(await c.plans.newPlanForm(req.user!, req.params.id as string, req.body)))
  async create(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Body() body: PlanDto, @Req() req: Request) {
    const plan = await this.writes.createDraft(user, id, body);
    flash(req, 'success', { key: 'plans.draftSaved', params: { version: plan.version } });
    return { url: `/residents/${id}/plan#draft` };
  }

  @Get('versions/:planId')
  @Render('plans/version')
  async version(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Param('planId', ParseIdPipe) planId: string) {
    const view = await this.plans.planVersion(user, id, planId);
    return { ...view, title: view.resident.fullName };
  }

  @Get(':planId/edit')
  @Roles(...rolesThat('editPlans'))
  @Render('plans/form')
  async edit(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Param('planId', ParseIdPipe) planId: string) {
    return this.formPage(await this.plans.editPlanForm(user, id, planId));
  }

  @Post(':planId/edit')
  @Roles(...rolesThat('editPlans'))
  @Redirect('/residents', 303)
  @FormView('plans/form', {}, async (c: PlansController, req) =>
    c.formPage(await c.plans.editPlanForm(req.user!, req.params.id as string, req.params.planId as string, req.body)))
  async update(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Param('planId', ParseIdPipe) planId: string, @Body() body: PlanDto, @Req() req: Request) {
    await this.writes.updateDraft(user, id, planId, body);
    flash(req, 'success', { key: 'plans.draftUpdated' });
    return { url: `/residents/${id}/plan#draft` };
  }

  @Post(':planId/agree')
  @Roles(...rolesThat('editPlans'))
  @Redirect('/residents', 303)
  @FormView('plans/show', {}, (c: PlansController, req) => c.show(req.user!, req.params.id as string))
  async agree(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Param('planId', ParseIdPipe) planId: string, @Body() body: AgreePlanDto, @Req() req: Request) {
    await this.writes.agree(user, id, planId, body);
    flash(req, 'success', { key: 'plans.agreed' });
    return { url: `/residents/${id}/plan` };
  }

  @Get(':planId/review')
  @Roles(...rolesThat('editPlans'))
  @Render('plans/review')
  async reviewForm(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Param('planId', ParseIdPipe) planId: string) {
    return this.reviewPage(await this.plans.reviewForm(user, id, planId));
  }

  @Post(':planId/review')
  @Roles(...rolesThat('editPlans'))
  @Redirect('/residents', 303)
  @FormView('plans/review', {}, async (c: PlansController, req) =>
    c.reviewPage(await c.plans.reviewForm(req.user!, req.params.id as string, req.params.planId as string, req.body)))
  async recordReview(
    @CurrentUser() user: SessionUser,
    @Param('id', ParseIdPipe) id: string,
    @Param('planId', ParseIdPipe) planId: string,
    @Body() body: PlanReviewDto,
    @Req() req: Request,
  ) {
    const review = await this.writes.recordReview(user, id, planId, body);
    flash(req, 'success', { key: 'plans.reviewRecorded', params: { n: review.contributions } });
    return { url: `/residents/${id}/plan#reviews` };
  }

  reviewPage(view: Awaited<ReturnType<PlansService['reviewForm']>>) {
    return { ...view, title: view.resident.fullName, formAction: `/residents/${view.resident.id}/plan/${view.plan.id}/review` };
  }

  formPage(view: Awaited<ReturnType<PlansService['newPlanForm']>>) {
    return { ...view, title: view.resident.fullName, formAction: view.planId ? `/residents/${view.resident.id}/plan/${view.planId}/edit` : `/residents/${view.resident.id}/plan/new` };
  }
}
