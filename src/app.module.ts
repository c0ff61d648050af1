import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { ActivitiesModule } from './activities/activities.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { AppExceptionFilter } from './common/filters/exception.filter';
import { AuthGuard } from './common/guards/auth.guard';
import { CsrfGuard } from './common/guards/csrf.guard';
import { createValidationPipe } from './common/http/validation';
import { LoggingModule } from './common/logging/logging.module';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { ContributionsModule } from './contributions/contributions.module';
import { IdempotencyModule } from './common/idempotency/idempotency.module';
import { JobsModule } from './jobs/jobs.module';
import { DashboardModule } from './dashboard/dashboard.module';
import { DataProtectionModule } from './data-protection/data-protection.module';
import { DatabaseModule } from './database/database.module';
import { DemoStateModule } from './demo/demo-state.module';
import { DemoModule } from './demo/demo.module';
import { HealthModule } from './health/health.module';
import { FamiliesModule } from './families/families.module';
import { HomesModule } from './homes/homes.module';
import { MailModule } from './mail/mail.module';
import { MessagesModule } from './messages/messages.module';
import { NotificationsModule } from './notifications/notifications.module';
import { PhotosModule } from './photos/photos.module';
import { PlansModule } from './plans/plans.module';
import { PortalModule } from './portal/portal.module';
import { CalendarFeedsModule } from './calendar-feeds/calendar-feeds.module';
import { ReportsModule } from './reports/reports.module';
import { GroupsModule } from './groups/groups.module';
import { RequestContextModule } from './request-context/request-context.module';
import { ResidentsModule } from './residents/residents.module';
import { RetentionModule } from './retention/retention.module';
import { StaffModule } from './staff/staff.module';
import { VoiceModule } from './voice/voice.module';
import { VolunteersModule } from './volunteers/volunteers.module';
import { WardDevicesModule } from './ward-devices/ward-devices.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule,
        // Timers of scheduled jobs (the daily digest), cleared when the app closes.
        ScheduleModule.forRoot(),
        DatabaseModule,
        // The first module with routes: Express tries a request against the routes in the order they
        // were registered (one by one, 230 of them), and this module's are the ward's busiest: Today,
        // the log and the participation save. It shares no path with another module's routes.
        ActivitiesModule,
        JobsModule,
        AuditModule,
        MailModule,
        DemoStateModule,
        HomesModule,
        AuthModule,
        RequestContextModule,
        WardDevicesModule,
        DemoModule,
        DashboardModule,
        ResidentsModule,
        FamiliesModule,
        VolunteersModule,
        StaffModule,
        IdempotencyModule,
        RetentionModule,
        ContributionsModule,
        PlansModule,
        NotificationsModule,
        VoiceModule,
        MessagesModule,
        PortalModule,
        CalendarFeedsModule,
        PhotosModule,
        ReportsModule,
        GroupsModule,
        DataProtectionModule,
        HealthModule,
      ],
      providers: [
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_FILTER, useClass: AppExceptionFilter },
        // Order matters: who you are is settled before the token is checked.
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_GUARD, useClass: CsrfGuard },
      ],
    };
  }
}
