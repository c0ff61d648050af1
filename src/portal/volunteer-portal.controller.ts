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
import { FeedbackFormDto, HELP_FORM_KINDS, OfferFormDto } from './dto/portal.dto';
import { hoursText } from '../common/views/format';
import { OwnOffersService } from './own-offers.service';
import { activityOption } from './portal-format';
import { VolunteerPortalService } from './volunteer-portal.service';

/** The volunteer portal: my activities, help wanted, my hours this quarter, "How did it go?". */
@Controller('volunteer')
@Roles('volunteer')
export class VolunteerPortalController {
  constructor(private readonly portal: VolunteerPortalService, private readonly ownOffers: OwnOffersService) {}

  @Get()
  @Render('volunteer/index')
  async index(@CurrentUser() user: SessionUser, @Req() req: Request) {
    return this.page(user, req.locale ?? 'en');
  }

  /** "My offers": what the volunteer offered, what they wrote and what the home answered, past activities included. */
  @Get('offers')
  @Render('volunteer/offers')
  async offers(@CurrentUser() user: SessionUser, @Query('page') page: string | undefined, @Req() req: Request) {
    return {
      title: translate(req.locale ?? 'en', 'portal.myOffers'),
      // A volunteer reads a cancelled activity's reason on its page already.
      ...(await this.ownOffers.page(user, pageNumber(page), { cancelReasons: true })),
    };
  }

  @Post('offers')
  @Redirect('/volunteer', 303)
  @FormView('volunteer/index', { failedForm: 'offer' }, (c: VolunteerPortalController, req) => c.pageContext(req))
  async offer(@CurrentUser() user: SessionUser, @Body() body: OfferFormDto, @Req() req: Request) {
    await this.portal.offer(user, body);
    flash(req, 'success', { key: 'portal.offerSent' });
    return { url: '/volunteer#waiting' };
  }

  @Post('offers/:offerId/withdraw')
  @Redirect('/volunteer', 303)
  @FormView('volunteer/index', { failedForm: 'withdraw' }, (c: VolunteerPortalController, req) => c.pageContext(req))
  async withdraw(@CurrentUser() user: SessionUser, @Param('offerId', ParseIdPipe) offerId: string, @Req() req: Request) {
    await this.portal.withdraw(user, offerId);
    flash(req, 'success', { key: 'portal.offerWithdrawn' });
    return { url: '/volunteer' };
  }

  @Post('feedback')
  @Redirect('/volunteer', 303)
  @FormView('volunteer/index', { failedForm: 'feedback' }, (c: VolunteerPortalController, req) => c.pageContext(req))
  async feedback(@CurrentUser() user: SessionUser, @Body() body: FeedbackFormDto, @Req() req: Request) {
    await this.portal.rate(user, body);
    flash(req, 'success', { key: 'portal.feedbackSent' });
    return { url: '/volunteer#how-did-it-go' };
  }

  async pageContext(req: Request) {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const params = req.params as Record<string, string | undefined>;
    return { ...(await this.page(req.user!, req.locale ?? 'en')), failedId: params.offerId ?? (typeof body.activityId === 'string' ? body.activityId : '') };
  }

  private async page(user: SessionUser, locale: string) {
    const view = await this.portal.home(user);
    return {
      ...view,
      totalHours: hoursText(view.totalMinutes, locale),
      // The number shown, for the unit's plural ("1 hour", "1.5 hours"): hundredths, as hoursText rounds.
      totalHoursCount: Math.round(view.totalMinutes / 0.6) / 100,
      rateChoices: view.rateChoices.map((c) => ({ id: c.id, name: activityOption(c, locale) })),
      hours: view.hours.map((h) => ({ ...h, hours: hoursText(h.minutes, locale) })),
      helpKinds: HELP_FORM_KINDS,
      ratings: [1, 2, 3, 4, 5],
      offerDefaults: { kind: 'deliver' },
      feedbackDefaults: {},
    };
  }
}
