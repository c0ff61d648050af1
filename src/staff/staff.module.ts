import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { HomesModule } from '../homes/homes.module';
import { StaffMember } from './entities/staff-member.entity';
import { StaffController } from './staff.controller';
import { StaffService } from './staff.service';

/** Staff members of each home, and their invitations to an account. */
@Module({
  imports: [TypeOrmModule.forFeature([StaffMember]), HomesModule, AuthModule],
  controllers: [StaffController],
  providers: [StaffService],
  exports: [StaffService],
})
export class StaffModule {}
