import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { FamiliesModule } from '../families/families.module';
import { HomesModule } from '../homes/homes.module';
import { ResidentsModule } from '../residents/residents.module';
import { VolunteersModule } from '../volunteers/volunteers.module';
import { PreferencesApiController } from './api/preferences-api.controller';
import { DigestService } from './digest.service';
import { DigestRun } from './entities/digest-run.entity';
import { NotificationPreference } from './entities/notification-preference.entity';
import { Notification } from './entities/notification.entity';
import { NotificationsController } from './notifications.controller';
import { NotificationsService } from './notifications.service';
import { PreferencesController } from './preferences.controller';
import { PreferencesService } from './preferences.service';

/**
 * In-app notifications, each user's choice of how to hear of them (in the app, a mail each, a daily
 * digest) and the digest job. Owns `notification`, `notification_preference` and `digest_run`.
 * Global: any feature may tell someone that something happened.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([Notification, NotificationPreference, DigestRun]), AuthModule, HomesModule, ResidentsModule, FamiliesModule, VolunteersModule],
  controllers: [NotificationsController, PreferencesController, PreferencesApiController],
  providers: [NotificationsService, PreferencesService, DigestService],
  exports: [NotificationsService, PreferencesService, DigestService],
})
export class NotificationsModule {}
