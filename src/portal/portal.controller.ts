import { Body, Controller, Get, Param, Post, Query, Redirect, Render, Req } from '@nestjs/common';
import type { Request } from 'express';
import type { SessionUser } from '../common/access/session-user';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { FormView } from '../common/decorators/form-view.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { flash } from '../common/http/flash';
import { ParseIdPipe } from '../common/http/parse-id.pipe';
import { translate } from '../common/i18n/i18n';
import { pageNumber } from '../photos/form-fields';
import { CheckInFormDto, HELP_FORM_KINDS, OfferFormDto, RelativeFeedbackFormDto, SUGGESTION_FORM_KINDS, SuggestionFormDto } from './dto/portal.dto';
import { OwnOffersService } from './own-offers.service';
import { activityOption } from './portal-format';
import { PortalService } from './portal.service';

/** The family portal: a card per relative, the relative's page, and the forms families contribute with. */
@Controller('portal')
@Roles('family')
export class PortalController {
  constructor(private readonly portal: PortalService, private readonly ownOffers: OwnOffersService) {}

  @Get()
  @Render('portal/index')
  async index(@CurrentUser() user: SessionUser) {
    return this.portal.familyHome(user);
  }

  /** "My offers": what the relative offered, past activities and withdrawn or declined offers included, with the home's answer. */
  @Get('offers')
  @Render('portal/offers')
  async offers(@CurrentUser() user: SessionUser, @Query('page') page: string | undefined, @Req() req: Request) {
    // A cancellation's reason is written for staff and helpers; relatives are told only that it was cancelled.
    return { title: translate(req.locale, 'portal.myOffers'), ...(await this.ownOffers.page(user, pageNumber(page), { cancelReasons: false })) };
  }

  @Get('residents/:id')
  @Render('portal/resident')
  async resident(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Req() req: Request) {
    const page = await this.page(user, id, req.locale);
    // "Add to their life story" opens the suggestion form with that kind chosen (?kind=life_story#suggest).
    const kind = SUGGESTION_FORM_KINDS.find((k) => k === req.query.kind);
    return kind ? { ...page, suggestionDefaults: { ...page.suggestionDefaults, kind } } : page;
  }

  @Post('residents/:id/suggestions')
  @Redirect('/portal', 303)
  @FormView('portal/resident', { failedForm: 'suggestion' }, (c: PortalController, req) => c.pageContext(req))
  async suggest(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Body() body: SuggestionFormDto, @Req() req: Request) {
    await this.portal.suggest(user, id, body);
    flash(req, 'success', { key: 'portal.suggestionSent' });
    return { url: `/portal/residents/${id}#my-suggestions` };
  }

  @Post('residents/:id/offers')
  @Redirect('/portal', 303)
  @FormView('portal/resident', { failedForm: 'offer' }, (c: PortalController, req) => c.pageContext(req))
  async offer(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Body() body: OfferFormDto, @Req() req: Request) {
    await this.portal.offerHelp(user, id, body);
    flash(req, 'success', { key: 'portal.offerSent' });
    return { url: `/portal/residents/${id}#coming` };
  }

  @Post('residents/:id/offers/:offerId/withdraw')
  @Redirect('/portal', 303)
  @FormView('portal/resident', { failedForm: 'withdraw' }, (c: PortalController, req) => c.pageContext(req))
  async withdraw(
    @CurrentUser() user: SessionUser,
    @Param('id', ParseIdPipe) id: string,
    @Param('offerId', ParseIdPipe) offerId: string,
    @Req() req: Request,
  ) {
    await this.portal.withdrawOffer(user, id, offerId);
    flash(req, 'success', { key: 'portal.offerWithdrawn' });
    return { url: `/portal/residents/${id}#coming` };
  }

  @Post('residents/:id/feedback')
  @Redirect('/portal', 303)
  @FormView('portal/resident', { failedForm: 'feedback' }, (c: PortalController, req) => c.pageContext(req))
  async feedback(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Body() body: RelativeFeedbackFormDto, @Req() req: Request) {
    const saved = await this.portal.giveFeedback(user, id, body);
    // Told again of the same activity: the new answer takes the old one's place, and says so (with what it replaced).
    flash(req, 'success', saved.replaced
      ? { key: saved.replaced.comment ? 'portal.feedbackReplacedComment' : 'portal.feedbackReplaced', params: { title: saved.activityTitle ?? '', rating: saved.replaced.rating, comment: saved.replaced.comment ?? '' } }
      : { key: 'portal.feedbackSent' });
    return { url: `/portal/residents/${id}#how-did-it-go` };
  }

  @Post('residents/:id/check-in')
  @Redirect('/portal', 303)
  @FormView('portal/resident', { failedForm: 'checkIn' }, (c: PortalController, req) => c.pageContext(req))
  async checkIn(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Body() body: CheckInFormDto, @Req() req: Request) {
    await this.portal.checkIn(user, id, body);
    flash(req, 'success', { key: 'portal.checkInSent' });
    return { url: `/portal/residents/${id}#check-in` };
  }

  /** The relative's page again after a rejected form; `failedId` marks the activity whose offer failed. */
  async pageContext(req: Request) {
    const id = new ParseIdPipe().transform(req.params.id as string);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const params = req.params as Record<string, string | undefined>;
    return { ...(await this.page(req.user!, id, req.locale)), failedId: params.offerId ?? (typeof body.activityId === 'string' ? body.activityId : '') };
  }

  private async page(user: SessionUser, id: string, locale: string) {
    const view = await this.portal.relativePage(user, id);
    return {
      ...view,
      feedbackChoices: view.feedbackChoices.map((c) => ({ id: c.id, name: activityOption(c, locale) })),
      title: view.resident.displayName,
      suggestionKinds: SUGGESTION_FORM_KINDS,
      helpKinds: HELP_FORM_KINDS,
      ratings: [1, 2, 3, 4, 5],
      scores: [1, 2, 3, 4],
      domains: ['doingThings', 'people', 'choice'],
      suggestionDefaults: { kind: 'activity_idea', residentId: id },
      offerDefaults: { kind: 'join' },
      feedbackDefaults: {},
      checkInDefaults: view.myCheckIn
        ? { doingThings: view.myCheckIn.doingThings, people: view.myCheckIn.people, choice: view.myCheckIn.choice, comment: view.myCheckIn.comment ?? '' }
        : {},
    };
  }
}
