import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { IdempotencyModule } from '../common/idempotency/idempotency.module';
import { MailModule } from '../mail/mail.module';
import { RetentionJob } from './retention.job';

/** The daily retention job; it owns no table: each module prunes its own. */
@Module({
  imports: [AuthModule, IdempotencyModule, MailModule],
  providers: [RetentionJob],
  exports: [RetentionJob],
})
export class RetentionModule {}
