import { Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { HomesModule } from '../homes/homes.module';
import { FamilyMembers } from '../residents/family-member-facts';
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
export class FamiliesModule implements OnModuleInit {
  constructor(
    private readonly familyMembers: FamilyMembers,
    private readonly families: FamiliesService,
  ) {}

  /** The residents module's family links read relatives' records through this module. */
  onModuleInit(): void {
    this.familyMembers.supply(this.families);
  }
}
