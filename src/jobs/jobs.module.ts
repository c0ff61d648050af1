import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { JobLease } from './entities/job-lease.entity';
import { LeaseService } from './lease.service';

/** Owns `job_lease`; global, so any module's scheduled job can take a lease. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([JobLease])],
  providers: [LeaseService],
  exports: [LeaseService],
})
export class JobsModule {}
