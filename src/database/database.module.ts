import { Injectable, Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { resolveDataSourceOptions } from './data-source-options';
import { assertSessionSqlMode } from './mysql-session';
import { runMigrations } from './run-migrations';

@Injectable()
class MigrationsOnStart implements OnModuleInit {
  constructor(
    private readonly ds: DataSource,
    private readonly config: AppConfig,
  ) {}
  async onModuleInit(): Promise<void> {
    await assertSessionSqlMode(this.ds);
    // Embedded SQLite always migrates at start (zero setup); MySQL unless MIGRATIONS_RUN=false.
    if (this.config.database.type === 'sqlite' || this.config.migrationsRun)
      await runMigrations(this.ds);
  }
}

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => resolveDataSourceOptions(config.database),
    }),
  ],
  providers: [MigrationsOnStart],
})
export class DatabaseModule {}
