import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ContributionsModule } from '../contributions/contributions.module';
import { VolunteersModule } from '../volunteers/volunteers.module';
import { ActivitiesController } from './activities.controller';
import { ActivitiesService } from './activities.service';
import { ActivityTypesController } from './activity-types.controller';
import { ActivitiesApiController } from './api/activities-api.controller';
import { Activity } from './entities/activity.entity';
import { ActivityType } from './entities/activity-type.entity';
import { HelpOffer } from './entities/help-offer.entity';
import { Participation } from './entities/participation.entity';
import { RosterEntry } from './entities/roster-entry.entity';
import { HelpOffersService } from './help-offers.service';
import { LogController } from './log.controller';
import { ParticipationService } from './participation.service';

/** Activity types, the calendar, rosters, the tablet log and help offers. */
@Module({
  imports: [TypeOrmModule.forFeature([ActivityType, Activity, RosterEntry, Participation, HelpOffer]), ContributionsModule, VolunteersModule],
  controllers: [LogController, ActivitiesApiController, ActivityTypesController, ActivitiesController],
  providers: [ActivitiesService, ParticipationService, HelpOffersService],
  exports: [ActivitiesService, ParticipationService, HelpOffersService],
})
export class ActivitiesModule {}
