import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { HomesModule } from '../homes/homes.module';
import { WardApiController } from './api/ward-api.controller';
import { StaffPin } from './entities/staff-pin.entity';
import { WardDevice } from './entities/ward-device.entity';
import { PinSessionGuard } from './pin-session.guard';
import { StaffPinsService } from './staff-pins.service';
import { AccountPinController, WardDevicesController } from './ward-devices.controller';
import { WardDevicesService } from './ward-devices.service';
import { WardController } from './ward.controller';

/** Shared ward tablets: enrolment, carers' PINs, PIN sessions limited to ward work (issue 15, docs/ward-tablet.md). */
@Module({
  imports: [TypeOrmModule.forFeature([WardDevice, StaffPin]), AuthModule, HomesModule],
  controllers: [WardDevicesController, AccountPinController, WardController, WardApiController],
  providers: [WardDevicesService, StaffPinsService, { provide: APP_GUARD, useClass: PinSessionGuard }],
  exports: [WardDevicesService],
})
export class WardDevicesModule {}
