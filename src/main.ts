import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
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
  configureApp(app, config);
  app.enableShutdownHooks();
  await app.listen(config.port);
  console.log(`Insieme ${config.version} is listening on http://localhost:${config.port}`);
}

function logLevels(level: string) {
  const order = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const;
  const index = order.indexOf((level === 'info' ? 'log' : level) as (typeof order)[number]);
  return order.slice(0, index + 1);
}

void bootstrap();
