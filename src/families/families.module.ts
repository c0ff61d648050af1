import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { HomesModule } from '../homes/homes.module';
import { ResidentsModule } from '../residents/residents.module';
import { FamilyMember } from './entities/family-member.entity';
import { FamiliesController } from './families.controller';
import { FamiliesService } from './families.service';

/** Family members. Their links to residents belong to the residents module, which decides who sees whom. */
@Module({
  imports: [TypeOrmModule.forFeature([FamilyMember]), ResidentsModule, AuthModule, HomesModule],
  controllers: [FamiliesController],
  providers: [FamiliesService],
  exports: [FamiliesService],
})
export class FamiliesModule {}
