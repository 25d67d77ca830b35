import 'reflect-metadata';
import { DynamicModule, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AccountsModule } from './accounts/accounts.module';
import { AccountsService } from './accounts/accounts.service';
import { AppConfig, loadConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';

// Only what the commands need: no HTTP, no worker, no scheduler.
@Module({})
class CliModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule, AccountsModule],
    };
  }
}

const USAGE = 'usage: npm run cli -- account:create --name "Acme" [--json]';

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function main(args: string[]): Promise<void> {
  const [command] = args;
  if (command !== 'account:create') throw new Error(USAGE);
  const name = flag(args, '--name');
  if (!name) throw new Error(USAGE);
  const ctx = await NestFactory.createApplicationContext(
    CliModule.forRoot(loadConfig(process.env, { gotoRequired: false })),
    {
      logger: ['error'],
    },
  );
  try {
    const created = await ctx.get(AccountsService).create(name);
    if (args.includes('--json')) {
      process.stdout.write(JSON.stringify({ id: created.id, apiKey: created.apiKey }) + '\n');
    } else {
      console.log(`Account ${created.id} "${created.name}" created.`);
      console.log(`API key (shown once, keep it safe): ${created.apiKey}`);
    }
  } finally {
    await ctx.close();
  }
}

main(process.argv.slice(2)).catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
