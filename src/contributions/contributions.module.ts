import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { FamiliesModule } from '../families/families.module';
import { HomesModule } from '../homes/homes.module';
import { ResidentsModule } from '../residents/residents.module';
import { StaffModule } from '../staff/staff.module';
import { VolunteersModule } from '../volunteers/volunteers.module';
import { ContributionsController } from './contributions.controller';
import { ContributionsService } from './contributions.service';
import { Contribution } from './entities/contribution.entity';

/** The one table of co-production contributions, and the one service that writes it. */
@Module({
  imports: [TypeOrmModule.forFeature([Contribution]), HomesModule, VolunteersModule, StaffModule, ResidentsModule, FamiliesModule],
  controllers: [ContributionsController],
  providers: [ContributionsService],
  exports: [ContributionsService],
})
export class ContributionsModule {}
