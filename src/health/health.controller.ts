import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { Public } from '../common/decorators/public.decorator';

@Controller('health')
export class HealthController {
  constructor(private readonly dataSource: DataSource, @Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** A real round trip to the database; 503 when it does not answer, so a load balancer stops sending traffic. */
  @Public()
  @Get()
  async check(@Res({ passthrough: true }) res: Response) {
    try {
      await this.dataSource.query('SELECT 1');
      return { status: 'ok', db: 'ok', version: this.config.version };
    } catch {
      res.status(503);
      return { status: 'error', db: 'unavailable', version: this.config.version };
    }
  }
}
