import { Module } from '@nestjs/common';
import { ActivitiesModule } from '../activities/activities.module';
import { ContributionsModule } from '../contributions/contributions.module';
import { HomesModule } from '../homes/homes.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { PlansModule } from '../plans/plans.module';
import { ResidentsModule } from '../residents/residents.module';
import { VoiceModule } from '../voice/voice.module';
import { VolunteersModule } from '../volunteers/volunteers.module';
import { OwnOffersService } from './own-offers.service';
import { PortalController } from './portal.controller';
import { PortalService } from './portal.service';
import { VolunteerPortalController } from './volunteer-portal.controller';
import { VolunteerPortalService } from './volunteer-portal.service';

/**
 * The family and volunteer portals. They own no tables: they gather what other features hold and
 * send contributions through those features' services.
 */
@Module({
  imports: [ActivitiesModule, ResidentsModule, PlansModule, VoiceModule, NotificationsModule, HomesModule, ContributionsModule, VolunteersModule],
  controllers: [PortalController, VolunteerPortalController],
  providers: [PortalService, VolunteerPortalService, OwnOffersService],
  // The family calendar feed (src/calendar-feeds) lists what the relative's page lists.
  exports: [PortalService],
})
export class PortalModule {}
