import { Body, Controller, Get, Param, Post, Redirect, Render, Req } from '@nestjs/common';
import type { Request } from 'express';
import type { SessionUser } from '../common/access/session-user';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { FormView } from '../common/decorators/form-view.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { flash } from '../common/http/flash';
import { ParseIdPipe } from '../common/http/parse-id.pipe';
import { ResidentsService } from '../residents/residents.service';
import { CheckInsService } from './check-ins.service';
import { ResidentCheckInDto, ResidentFeedbackDto, ResidentSuggestionDto } from './dto/voice.dto';
import { SUGGESTION_KINDS } from './voice.enums';
import { FeedbackService } from './feedback.service';
import { SuggestionsService } from './suggestions.service';
import { withStars } from './voice-views';

/**
 * The resident's own voice: staff write down a resident's suggestion, feedback or wellbeing check-in,
 * in the resident's name and marked as recorded on their behalf.
 */
@Controller('residents/:id/voice')
@Roles('admin', 'manager', 'coordinator', 'carer')
export class ResidentVoiceController {
  constructor(
    private readonly residents: ResidentsService,
    private readonly suggestions: SuggestionsService,
    private readonly feedback: FeedbackService,
    private readonly checkIns: CheckInsService,
  ) {}

  @Get()
  @Render('voice/resident')
  async show(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string) {
    return this.page(user, id);
  }

  @Post('suggestions')
  @Redirect('/residents', 303)
  @FormView('voice/resident', { failedForm: 'suggestion' }, (c: ResidentVoiceController, req) => c.pageAgain(req))
  async suggest(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Body() body: ResidentSuggestionDto, @Req() req: Request) {
    await this.suggestions.submitForResident(user, id, body);
    flash(req, 'success', { key: 'voice.recordedSuggestion' });
    return { url: `/residents/${id}/voice#suggestions` };
  }

  @Post('feedback')
  @Redirect('/residents', 303)
  @FormView('voice/resident', { failedForm: 'feedback' }, (c: ResidentVoiceController, req) => c.pageAgain(req))
  async giveFeedback(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Body() body: ResidentFeedbackDto, @Req() req: Request) {
    await this.feedback.submitForResident(user, id, body);
    flash(req, 'success', { key: 'voice.recordedFeedback' });
    return { url: `/residents/${id}/voice#feedback` };
  }

  @Post('check-in')
  @Redirect('/residents', 303)
  @FormView('voice/resident', { failedForm: 'checkIn' }, (c: ResidentVoiceController, req) => c.pageAgain(req))
  async checkIn(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Body() body: ResidentCheckInDto, @Req() req: Request) {
    await this.checkIns.submitForResident(user, id, body);
    flash(req, 'success', { key: 'voice.recordedCheckIn' });
    return { url: `/residents/${id}/voice#check-ins` };
  }

  async page(user: SessionUser, id: string) {
    const resident = await this.residents.get(user, id);
    const current = resident.status === 'active' || resident.status === 'on_leave';
    const [suggestions, feedback, checkIns, choices, quarter] = await Promise.all([
      this.suggestions.listForResident(user, id),
      this.feedback.listForResident(user, id),
      this.checkIns.listForResident(user, id),
      current ? this.feedback.choices(user, id) : [],
      this.checkIns.quarterFor(id),
    ]);
    const own = checkIns.find((c) => c.perspective === 'resident' && c.quarter === quarter);
    return {
      title: resident.fullName,
      resident: { id: resident.id, displayName: resident.displayName, fullName: resident.fullName, initials: resident.initials },
      current,
      quarter,
      kinds: SUGGESTION_KINDS,
      // Strings, as a form sends them back, so the chosen one is found again after a rejected submit.
      ratings: ['1', '2', '3', '4', '5'],
      scores: ['4', '3', '2', '1'],
      activityChoices: choices.map((a) => ({ id: a.id, title: a.title, date: a.date, time: a.time })),
      suggestions,
      feedback: feedback.map(withStars),
      checkIns,
      hasOwnCheckIn: own !== undefined,
      defaults: {
        suggestion: { kind: 'activity_idea' },
        feedback: { activityId: '' },
        checkIn: own ? { doingThings: String(own.doingThings), people: String(own.people), choice: String(own.choice), comment: own.comment ?? '' } : {},
      },
      failedForm: '',
    };
  }

  /** The page again after a rejected form: what was typed goes back into the form that failed only. */
  async pageAgain(req: Request) {
    return this.page(req.user!, new ParseIdPipe().transform(req.params.id as string));
  }
}
