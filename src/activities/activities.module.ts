import { Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { ContributionsModule } from '../contributions/contributions.module';
import { FamiliesModule } from '../families/families.module';
import { HomesModule } from '../homes/homes.module';
import { ResidentActivityFacts } from '../residents/resident-activity-facts';
import { ResidentsModule } from '../residents/residents.module';
import { StaffModule } from '../staff/staff.module';
import { VolunteersModule } from '../volunteers/volunteers.module';
import { ActivitiesController } from './activities.controller';
import { ActivitiesService } from './activities.service';
import { ActivityPagesService } from './activity-pages.service';
import { ActivityTypesController } from './activity-types.controller';
import { ActivitiesApiController } from './api/activities-api.controller';
import { Activity } from './entities/activity.entity';
import { ActivitySeries } from './entities/activity-series.entity';
import { ActivityType } from './entities/activity-type.entity';
import { HelpOffer } from './entities/help-offer.entity';
import { Participation } from './entities/participation.entity';
import { RosterEntry } from './entities/roster-entry.entity';
import { WaitlistEntry } from './entities/waitlist-entry.entity';
import { HelpOffersService } from './help-offers.service';
import { LogController } from './log.controller';
import { ParticipationService } from './participation.service';
import { SeriesJob } from './series.job';
import { SeriesService } from './series.service';

/** Activity types, the calendar, rosters, the tablet log and help offers. */
@Module({
  imports: [TypeOrmModule.forFeature([ActivityType, Activity, ActivitySeries, RosterEntry, WaitlistEntry, Participation, HelpOffer]), AuthModule, ContributionsModule, VolunteersModule, HomesModule, ResidentsModule, StaffModule, FamiliesModule],
  controllers: [LogController, ActivitiesApiController, ActivityTypesController, ActivitiesController],
  providers: [ActivitiesService, ParticipationService, HelpOffersService, ActivityPagesService, SeriesService, SeriesJob],
  exports: [ActivitiesService, ParticipationService, HelpOffersService, SeriesJob],
})
export class ActivitiesModule implements OnModuleInit {
  constructor(
    private readonly residentFacts: ResidentActivityFacts,
    private readonly activities: ActivitiesService,
  ) {}

  /** Residents' pages learn attendance and volunteers' assignments from here (residents sit below activities). */
  onModuleInit(): void {
    this.residentFacts.supply(this.activities);
  }
}
