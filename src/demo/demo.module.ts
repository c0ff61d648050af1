import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { HomesModule } from '../homes/homes.module';
import { DemoSeeder } from './demo-seeder';

@Module({ imports: [AuthModule, HomesModule], providers: [DemoSeeder], exports: [DemoSeeder] })
export class DemoModule {}
