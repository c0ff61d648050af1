import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { AppDataSources, closeDataSources, DATA_SOURCES, openDataSources } from './data-source';
import { SummaryUpkeep } from './summary-upkeep';
import { UnitOfWork } from './unit-of-work';

/**
 * The injected DataSource, and so every `@InjectRepository` repository, is the reader; writes go
 * through UnitOfWork. Migrations run at start-up, one process at a time (see runMigrations).
 */
@Global()
@Module({
  providers: [
    { provide: DATA_SOURCES, inject: [APP_CONFIG], useFactory: (config: AppConfig) => openDataSources(config) },
    { provide: DataSource, inject: [DATA_SOURCES], useFactory: (sources: AppDataSources) => sources.reader },
    UnitOfWork,
    SummaryUpkeep,
  ],
  exports: [DATA_SOURCES, DataSource, UnitOfWork, SummaryUpkeep],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(DATA_SOURCES) private readonly sources: AppDataSources) {}

  async onApplicationShutdown(): Promise<void> {
    await closeDataSources(this.sources);
  }
}
