import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { HomesModule } from '../homes/homes.module';
import { FamilyLink } from './entities/family-link.entity';
import { Resident } from './entities/resident.entity';
import { FamilyLinksService } from './family-links.service';
import { FamilyMembers } from './family-member-facts';
import { ResidentsApiController } from './api/residents-api.controller';
import { ResidentActivityFacts } from './resident-activity-facts';
import { ResidentPhotos } from './resident-photos';
import { ResidentsController } from './residents.controller';
import { ResidentsService } from './residents.service';

/** Residents, and the family links that decide which relatives may see them. */
@Module({
  imports: [TypeOrmModule.forFeature([Resident, FamilyLink]), HomesModule, AuthModule],
  controllers: [ResidentsController, ResidentsApiController],
  providers: [ResidentsService, FamilyLinksService, ResidentPhotos, ResidentActivityFacts, FamilyMembers],
  exports: [ResidentsService, FamilyLinksService, ResidentPhotos, ResidentActivityFacts, FamilyMembers],
})
export class ResidentsModule {}
