import { Module } from '@nestjs/common';
import { REQUEST_LOG_DESTINATION, RequestLog } from './request-log';

/** The request log; configureApp mounts its middleware first, so every request is counted. */
@Module({
  providers: [RequestLog, { provide: REQUEST_LOG_DESTINATION, useValue: null }],
  exports: [RequestLog],
})
export class LoggingModule {}
