import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ActivitiesModule } from '../activities/activities.module';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { HomesModule } from '../homes/homes.module';
import { PortalModule } from '../portal/portal.module';
import { CalendarFeedsController } from './calendar-feeds.controller';
import { CalendarFeedsService } from './calendar-feeds.service';
import { CalendarFeed } from './entities/calendar-feed.entity';

/**
 * Calendars to subscribe to (issue 19 item 4). It owns `calendar_feed` and reads the activities
 * through the services the pages use: a staff feed is the calendar's list, a relative's is what
 * their relative's portal page lists.
 */
@Module({
  imports: [TypeOrmModule.forFeature([CalendarFeed]), ActivitiesModule, AuditModule, AuthModule, HomesModule, PortalModule],
  controllers: [CalendarFeedsController],
  providers: [CalendarFeedsService],
})
export class CalendarFeedsModule {}
