import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditHeadJob } from './audit-head.job';
import { AuditService } from './audit.service';
import { AuditEntry } from './entities/audit-entry.entity';
import { AuditHead } from './entities/audit-head.entity';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([AuditEntry, AuditHead])],
  providers: [AuditService, AuditHeadJob],
  exports: [AuditService],
})
export class AuditModule {}
