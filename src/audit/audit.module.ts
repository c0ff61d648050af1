import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditService } from './audit.service';
import { AuditEntry } from './entities/audit-entry.entity';
import { AuditHead } from './entities/audit-head.entity';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([AuditEntry, AuditHead])],
  providers: [AuditService],
  exports: [AuditService],
})
export class AuditModule {}
