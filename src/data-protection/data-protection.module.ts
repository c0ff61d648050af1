import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PhotosModule } from '../photos/photos.module';
import { ResidentsModule } from '../residents/residents.module';
import { AuditLogService } from './audit-log.service';
import { DataProtectionController } from './data-protection.controller';
import { RetentionHold } from './entities/retention-hold.entity';
import { ErasureService } from './erasure.service';
import { RetentionService } from './retention.service';
import { SubjectAccessService } from './subject-access.service';

/**
 * Data-protection requests (SPEC 7): a resident's subject-access export, erasure by anonymisation
 * and the retention review. It reads, and for an erasure anonymises, the records other modules keep
 * about a resident; it owns one table, the retention review's decisions to keep a record (retention_hold).
 */
@Module({
  imports: [TypeOrmModule.forFeature([RetentionHold]), ResidentsModule, PhotosModule],
  controllers: [DataProtectionController],
  providers: [SubjectAccessService, ErasureService, RetentionService, AuditLogService],
})
export class DataProtectionModule {}
