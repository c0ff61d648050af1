import { Body, Controller, Get, Headers, Param, Post, Put, Query } from '@nestjs/common';
import type { SessionUser } from '../../common/access/session-user';
import { rolesThat } from '../../common/access/access-policy';
import { CurrentUser } from '../../common/decorators/current-user.decorator';
import { Roles } from '../../common/decorators/roles.decorator';
import { ValidationError } from '../../common/errors/domain-errors';
import { AccessCheck, IdempotencyService } from '../../common/idempotency/idempotency.service';
import { ParseIdPipe } from '../../common/http/parse-id.pipe';
import { localDayRange } from '../../common/time/zoned';
import { ContributionDto } from '../../contributions/dto/contribution.dto';
import { ContributionsService } from '../../contributions/contributions.service';
import { ActivitiesService } from '../activities.service';
import { ActivityPagesService } from '../activity-pages.service';
import { ActivitiesApiQuery } from '../dto/activity.dto';
import type { Activity } from '../entities/activity.entity';
import { ParticipationSaveDto } from '../dto/participation.dto';
import { ParticipationService } from '../participation.service';

/** The tablet's API (docs/api.md): the day's activities, one activity with its roster, and the log. */
@Controller('api/activities')
@Roles(...rolesThat('homeUsers'))
export class ActivitiesApiController {
  constructor(
    private readonly activities: ActivitiesService,
    private readonly participation: ParticipationService,
    private readonly contributions: ContributionsService,
    private readonly idempotency: IdempotencyService,
    private readonly pages: ActivityPagesService,
  ) {}

  @Get()
  async list(@CurrentUser() user: SessionUser, @Query() query: ActivitiesApiQuery) {
    const { start, end } = localDayRange(query.date, user.timezone);
    return { date: query.date, activities: await this.activities.listBetween(user, start, end, { unitId: query.unitId }) };
  }

  @Get(':id')
  get(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string) {
    return this.pages.withLog(user, id);
  }

  /** Saves a log. A replay with the same Idempotency-Key returns the first answer and writes nothing. */
  @Put(':id/participation')
  async saveParticipation(
    @CurrentUser() user: SessionUser,
    @Param('id', ParseIdPipe) id: string,
    @Body() body: ParticipationSaveDto,
    @Headers('idempotency-key') key: string | undefined,
  ) {
    if (!key) throw new ValidationError({ 'Idempotency-Key': { key: 'idempotency.badKey' } });
    // A replay is answered only while the user may still log this activity.
    const { body: result } = await this.idempotency.run(user.id, key, { route: 'participation', id, body }, (m) => this.participation.assertMayLog(user, id, m), (m, access) =>
      this.participation.save(user, id, body.entries, body.complete === true, m, access),
    );
    return result;
  }

  @Post(':id/contributions')
  async addContribution(
    @CurrentUser() user: SessionUser,
    @Param('id', ParseIdPipe) id: string,
    @Body() body: ContributionDto,
    @Headers('idempotency-key') key: string | undefined,
  ) {
    if (!key) return this.contributions.record(user, await this.activities.get(user, id), body);
    // A replay is answered only while the user may still record contributions on this activity.
    const mayRecord: AccessCheck<Activity> = async (m) => {
      const activity = await this.activities.get(user, id, m);
      this.contributions.assertMayRecord(user, activity);
      return activity;
    };
    const { body: result } = await this.idempotency.run(user.id, key, { route: 'contribution', id, body }, mayRecord, (m, activity) =>
      this.contributions.record(user, activity, body, m),
    );
    return result;
  }
}
