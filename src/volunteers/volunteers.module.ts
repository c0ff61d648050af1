import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { HomesModule } from '../homes/homes.module';
import { Volunteer } from './entities/volunteer.entity';
import { VolunteerHistory } from './entities/volunteer-history.entity';
import { VolunteersController } from './volunteers.controller';
import { VolunteersService } from './volunteers.service';

/** Volunteers: their records, background checks, and invitations to an account. */
@Module({
  imports: [TypeOrmModule.forFeature([Volunteer, VolunteerHistory]), HomesModule, AuthModule],
  controllers: [VolunteersController],
  providers: [VolunteersService],
  exports: [VolunteersService],
})
export class VolunteersModule {}
