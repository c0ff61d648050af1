import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HomeGroup } from './entities/home-group.entity';
import { Home } from './entities/home.entity';
import { Unit } from './entities/unit.entity';
import { GroupsAdminController, HomesController } from './homes.controller';
import { HomesService } from './homes.service';

@Module({
  imports: [TypeOrmModule.forFeature([Home, Unit, HomeGroup])],
  controllers: [HomesController, GroupsAdminController],
  providers: [HomesService],
  exports: [HomesService],
})
export class HomesModule {}
