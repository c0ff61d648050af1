import { Body, Controller, Get, Param, Post, Redirect, Render, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { rolesThat } from '../common/access/access-policy';
import type { SessionUser } from '../common/access/session-user';
import { Roles } from '../common/decorators/roles.decorator';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { FormView } from '../common/decorators/form-view.decorator';
import { Public } from '../common/decorators/public.decorator';
import { NotFoundError } from '../common/errors/domain-errors';
import { flash } from '../common/http/flash';
import { CalendarFeedsService } from './calendar-feeds.service';
import { CalendarFeedDto, RevokeCalendarFeedDto } from './dto/calendar-feed.dto';

export const FEEDS_PATH = '/account/calendars';

/** One's own calendar feeds (issue 19 item 4), and the feeds' addresses that calendar apps read. */
@Controller()
export class CalendarFeedsController {
  constructor(private readonly feeds: CalendarFeedsService) {}

  @Get('account/calendars')
  @Roles(...rolesThat('homeUsers'))
  @Render('calendar-feeds/index')
  page(@CurrentUser() user: SessionUser) {
    return this.form(user);
  }

  @Post('account/calendars')
  @Roles(...rolesThat('homeUsers'))
  @Redirect(FEEDS_PATH, 303)
  @FormView('calendar-feeds/index', {}, (c: CalendarFeedsController, req) => c.form(req.user!))
  async create(@CurrentUser() user: SessionUser, @Body() body: CalendarFeedDto, @Req() req: Request) {
    const { url } = await this.feeds.create(user, body.calendar);
    // Only the token's hash is kept: the address is shown this once, as an invitation link is.
    flash(req, 'success', { key: 'calendarFeeds.created' });
    flash(req, 'info', { key: 'calendarFeeds.createdLink', params: { link: url } });
  }

  @Post('account/calendars/revoke')
  @Roles(...rolesThat('homeUsers'))
  @Redirect(FEEDS_PATH, 303)
  @FormView('calendar-feeds/index', {}, (c: CalendarFeedsController, req) => c.form(req.user!))
  async revoke(@CurrentUser() user: SessionUser, @Body() body: RevokeCalendarFeedDto, @Req() req: Request) {
    const label = (await this.feeds.list(user)).find((feed) => feed.id === body.feedId)?.label ?? '';
    await this.feeds.revoke(user, body.feedId);
    flash(req, 'success', { key: 'calendarFeeds.revoked', params: { label } });
  }

  /**
   * What a calendar app reads: no session, the address is the key. 404 for an address unknown,
   * revoked or no longer its owner's to read, and for anything not shaped `<token>.ics`.
   */
  @Public()
  @Get('calendar-feeds/:file')
  async feed(@Param('file') file: string, @Res() res: Response): Promise<void> {
    const token = /^(.+)\.ics$/.exec(file)?.[1];
    if (!token) throw new NotFoundError();
    const body = await this.feeds.read(token);
    res.setHeader('Content-Type', 'text/calendar; charset=utf-8');
    res.setHeader('Content-Disposition', 'inline; filename="insieme.ics"');
    // The address is the secret: kept out of search engines and of any Referer.
    res.setHeader('X-Robots-Tag', 'noindex, nofollow');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.send(body);
  }

  /** The page around the forms: the user's feeds and what they may subscribe to. */
  async form(user: SessionUser) {
    const [feeds, choices] = await Promise.all([this.feeds.list(user), this.feeds.choices(user)]);
    return { feeds, options: choices.options, groups: choices.groups, family: user.role === 'family', offered: choices.options.length > 0 };
  }
}
