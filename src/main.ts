import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import { DRAIN_MS, GracefulShutdown } from './common/lifecycle/graceful-shutdown';
import { ConfigError, loadConfig } from './config/app-config';

async function bootstrap(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bodyParser: false,
    logger: logLevels(config.logLevel),
  });
  // Not app.enableShutdownHooks(): Nest's hooks would close the database while requests are still
  // being answered. The stop drains HTTP first, then calls app.close() so every hook still runs.
  const shutdown = new GracefulShutdown(app, { logger: new Logger('Shutdown') });
  // Before everything else: while stopping, nothing below (session, database) is reached.
  app.use(shutdown.middleware);
  configureApp(app, config);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      // A stop that hangs (a hook that never returns) still ends, with an exit code that says so.
      setTimeout(() => process.exit(1), DRAIN_MS + 10_000).unref();
      void shutdown.shutdown(signal).then((code) => process.exit(code));
    });
  }
  await app.listen(config.port);
  console.log(`Insieme ${config.version} is listening on http://localhost:${config.port}`);
}

function logLevels(level: string) {
  const order = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const;
  const index = order.indexOf((level === 'info' ? 'log' : level) as (typeof order)[number]);
  return order.slice(0, index + 1);
}

void bootstrap();
