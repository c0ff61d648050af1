import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { FamiliesModule } from '../families/families.module';
import { HomesModule } from '../homes/homes.module';
import { VolunteersModule } from '../volunteers/volunteers.module';
import { Notification } from './entities/notification.entity';
import { NotificationsController } from './notifications.controller';
import { NotificationsService } from './notifications.service';

/** In-app notifications. Global: any feature may tell someone that something happened. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([Notification]), AuthModule, HomesModule, FamiliesModule, VolunteersModule],
  controllers: [NotificationsController],
  providers: [NotificationsService],
  exports: [NotificationsService],
})
export class NotificationsModule {}
