import { Body, Controller, Get, Param, Post, Query, Redirect, Render, Req } from '@nestjs/common';
import type { Request } from 'express';
import { ActivitiesService } from '../activities/activities.service';
import { HomesService } from '../homes/homes.service';
import { homeNamer } from '../homes/places';
import { formatDate } from '../common/views/format';
import type { SessionUser } from '../common/access/session-user';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { FormView } from '../common/decorators/form-view.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { flash } from '../common/http/flash';
import { ParseIdPipe } from '../common/http/parse-id.pipe';
import { InboxQuery, InboxTab, INBOX_TABS, LifeStoryApprovalDto, SuggestionResponseDto } from './dto/voice.dto';
import { FeedbackService } from './feedback.service';
import { SuggestionsService, SuggestionView } from './suggestions.service';
import { withStars } from './voice-views';

/** How far ahead the "link to an activity" choice looks. */
const LINK_DAYS = 90;

/** The coordinators' inbox: suggestions to answer, help offers waiting, recent feedback. */
@Controller('inbox')
@Roles('admin', 'manager', 'coordinator')
export class InboxController {
  constructor(
    private readonly suggestions: SuggestionsService,
    private readonly feedback: FeedbackService,
    private readonly activities: ActivitiesService,
    private readonly homes: HomesService,
  ) {}

  @Get()
  @Render('inbox/index')
  async index(@CurrentUser() user: SessionUser, @Query() query: InboxQuery, @Req() req: Request) {
    return this.page(user, query.status ?? 'new', '', req.locale);
  }

  @Post('suggestions/:id')
  @Redirect('/inbox', 303)
  @FormView('inbox/index', {}, (c: InboxController, req) => c.pageAgain(req))
  async respond(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Body() body: SuggestionResponseDto, @Req() req: Request) {
    const { tab, ...answer } = body;
    const answered = await this.suggestions.respond(user, id, answer);
    flash(req, 'success', { key: `voice.answered.${answered.status}`, params: { title: answered.title } });
    return { url: `${tabHref(tab ?? 'new')}#suggestions` };
  }

  @Post('suggestions/:id/apply-life-story')
  @Redirect('/inbox', 303)
  @FormView('inbox/index', {}, (c: InboxController, req) => c.pageAgain(req))
  async applyLifeStory(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string, @Body() body: LifeStoryApprovalDto, @Req() req: Request) {
    const applied = await this.suggestions.approveLifeStory(user, id);
    flash(req, 'success', { key: 'voice.lifeStoryApplied', params: { name: applied.residentName ?? '' } });
    return { url: `${tabHref(body.tab ?? 'new')}#life-stories` };
  }

  /** The whole page: the chosen tab of suggestions, life stories to approve, offers and feedback. */
  async page(user: SessionUser, tab: InboxTab, failedId = '', locale = 'en') {
    const [listed, lifeStories, offers, feedback, types, upcoming, newCount, places] = await Promise.all([
      this.suggestions.inbox(user, { status: tab }),
      this.suggestions.awaitingLifeStoryApproval(user),
      this.activities.pendingOffers(user),
      this.feedback.inbox(user),
      this.activities.listTypes(user),
      this.activities.listBetween(user, new Date(), new Date(Date.now() + LINK_DAYS * 24 * 60 * 60 * 1000)),
      this.suggestions.countNew(user),
      this.homes.places(user.homeIds),
    ]);
    // Someone with several homes is told which home each suggestion, offer and rating is about.
    const homeName = homeNamer(places);
    // A card whose answer was refused stays on the page even when it no longer belongs to the tab.
    const failed = failedId && !listed.some((s) => s.id === failedId) ? await this.suggestions.get(user, failedId).catch(() => null) : null;
    const suggestions = failed ? [failed, ...listed] : listed;
    // An activity as its choice reads it: "Tombola · 5 dicembre 2026 15:30", the date in the reader's language.
    const when = (title: string, date: string, time: string) => `${title} · ${formatDate(date, locale)} ${time}`.trim();
    const typeOptions = (homeId: string) => types.filter((t) => t.homeId === homeId).map((t) => ({ id: t.id, name: t.name }));
    const activityOptions = (homeId: string) => upcoming
      .filter((a) => a.homeId === homeId && a.status === 'planned')
      .map((a) => ({ id: a.id, name: when(a.title, a.date, a.time) }));
    const withForm = (s: SuggestionView) => {
      const isIdea = s.kind === 'activity_idea';
      const linkedActivity = s.linkedActivityId && !upcoming.some((a) => a.id === s.linkedActivityId)
        ? [{ id: s.linkedActivityId, name: when(s.linkedActivityTitle ?? '', s.linkedActivityDate ?? '', s.linkedActivityTime ?? '') }]
        : [];
      return {
        ...s,
        homeName: homeName(s.homeId),
        isIdea,
        isNew: s.status === 'new',
        canAccept: s.status !== 'accepted',
        canDecline: s.status !== 'declined' && !s.lifeStoryAppliedAt,
        canDone: s.status !== 'done',
        canReopen: s.status !== 'new' && !s.lifeStoryAppliedAt,
        typeOptions: isIdea ? typeOptions(s.homeId) : [],
        activityOptions: isIdea ? [...linkedActivity, ...activityOptions(s.homeId)] : [],
        defaults: { response: s.response ?? '', linkedActivityTypeId: s.linkedActivityTypeId ?? '', linkedActivityId: s.linkedActivityId ?? '' },
      };
    };
    return {
      tab,
      tabs: INBOX_TABS.map((status) => ({ status, href: tabHref(status), current: status === tab, count: status === 'new' ? newCount : null })),
      suggestions: suggestions.map(withForm),
      lifeStories: lifeStories.map((s) => ({ ...s, homeName: homeName(s.homeId) })),
      offers: offers.map((o) => ({ ...o, homeName: homeName(o.homeId) })),
      feedback: feedback.map((f) => ({ ...withStars(f), homeName: homeName(f.homeId) })),
      failedId,
    };
  }

  /** The page again after a rejected answer, on the tab it was sent from, with the failing card marked. */
  async pageAgain(req: Request) {
    const body = (req.body ?? {}) as { tab?: unknown };
    const tab = (INBOX_TABS as readonly unknown[]).includes(body.tab) ? (body.tab as InboxTab) : 'new';
    return this.page(req.user!, tab, String(req.params.id ?? '').toLowerCase(), req.locale);
  }
}

function tabHref(tab: InboxTab): string {
  return tab === 'new' ? '/inbox' : `/inbox?status=${tab}`;
}
