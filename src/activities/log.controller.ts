import { Body, Controller, Get, Param, Post, Query, Render, Req, Res, UseInterceptors } from '@nestjs/common';
import type { Request, Response } from 'express';
import { rolesThat } from '../common/access/access-policy';
import type { SessionUser } from '../common/access/session-user';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { FormView } from '../common/decorators/form-view.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { flash } from '../common/http/flash';
import { ParseIdPipe } from '../common/http/parse-id.pipe';
import { ActivitiesService } from './activities.service';
import { ActivityPagesService } from './activity-pages.service';
import { TodayQuery } from './dto/activity.dto';
import { AddResidentsDto, entriesFromForm, ParticipationFormDto } from './dto/participation.dto';
import { LogFormInterceptor } from './log-form.interceptor';
import { ParticipationService } from './participation.service';

/** "Today" on the ward tablet, and the log page for one activity. */
@Controller()
@Roles(...rolesThat('homeStaff'), 'volunteer')
export class LogController {
  constructor(
    private readonly activities: ActivitiesService,
    private readonly participation: ParticipationService,
    readonly pages: ActivityPagesService,
  ) {}

  @Get('today')
  @Roles(...rolesThat('homeStaff'))
  @Render('activities/today')
  today(@CurrentUser() user: SessionUser, @Query() query: TodayQuery) {
    return this.pages.today(user, query);
  }

  @Get('activities/:id/log')
  @Render('activities/log')
  logPage(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string) {
    return this.pages.log(user, id);
  }

  @Post('activities/:id/log')
  @UseInterceptors(LogFormInterceptor)
  @FormView('activities/log', {}, (c: LogController, req) => c.pages.log(req.user!, req.params.id as string))
  async saveLog(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Body() body: ParticipationFormDto, @Req() req: Request, @Res() res: Response) {
    const result = await this.participation.save(user, id, entriesFromForm(body), body.complete === true);
    // "Marked as held" only when this save marked it so: a plain save of a held activity is a plain save.
    const marked = body.complete === true && result.status === 'completed';
    flash(req, 'success', { key: marked ? 'activities.logSavedCompleted' : 'activities.logSaved', params: { n: result.participation.length } });
    res.redirect(303, user.role === 'volunteer' ? `/activities/${id}` : '/today');
  }

  /** The bulk add without a script (the page adds tiles in place with one): several residents, or a whole group. */
  @Post('activities/:id/log/residents')
  @FormView('activities/log', {}, (c: LogController, req) => c.pages.log(req.user!, req.params.id as string))
  async addResidents(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Body() body: AddResidentsDto, @Req() req: Request, @Res() res: Response) {
    const placed = await this.activities.addResidents(user, id, { residentIds: body.residentId, scope: body.scope });
    flash(req, 'success', { key: 'activities.residentsAdded', params: { n: placed.invited.length } });
    // A full activity: the others wait for a place, with no tile.
    if (placed.waitlisted.length > 0) flash(req, 'info', { key: 'activities.residentsWaiting', params: { n: placed.waitlisted.length } });
    res.redirect(303, `/activities/${id}/log`);
  }
}
