import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Home } from './entities/home.entity';
import { Unit } from './entities/unit.entity';
import { HomesController } from './homes.controller';
import { HomesService } from './homes.service';

@Module({
  imports: [TypeOrmModule.forFeature([Home, Unit])],
  controllers: [HomesController],
  providers: [HomesService],
  exports: [HomesService],
})
export class HomesModule {}
