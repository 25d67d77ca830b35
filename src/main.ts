import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import { AppConfig, loadConfig } from './config/app-config';
import { ConfigValidationError } from './config/env.validation';

async function bootstrap(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigValidationError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const app = configureApp(
    await NestFactory.create(AppModule.forRoot(config), { bufferLogs: true }),
  );
  await app.listen(config.port);
  const where = config.database.type === 'sqlite' ? `SQLite ${config.database.path}` : 'MySQL';
  const goto = config.goto.usesSimulator
    ? `GoTo simulator at ${config.goto.apiUrl}`
    : config.goto.apiUrl;
  console.log(`webinar-sync listening on http://localhost:${config.port} (${where}; ${goto})`);
}

void bootstrap();
