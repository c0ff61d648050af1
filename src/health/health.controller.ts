import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { Public } from '../common/decorators/public.decorator';
import { HealthService } from './health.service';

@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService, @Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** A real round trip to the database; 503 when it does not answer, so a load balancer stops sending traffic. */
  @Public()
  @Get()
  async check(@Res({ passthrough: true }) res: Response) {
    if (await this.health.databaseAnswers()) return { status: 'ok', db: 'ok', version: this.config.version };
    res.status(503);
    return { status: 'error', db: 'unavailable', version: this.config.version };
  }
}
