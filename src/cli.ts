import 'reflect-metadata';
import { DynamicModule, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { parseArgs } from 'node:util';
import { AccountsModule } from './accounts/accounts.module';
import { AccountsService } from './accounts/accounts.service';
import { CredentialCipher } from './common/credential-cipher';
import { AppConfig, loadConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { safeErrorMessage } from './database/database-error';
import {
  CredentialRotationService,
  RotationReport,
} from './organizers/credential-rotation.service';
import { Organizer } from './organizers/organizer.entity';
import { GotoWebhookSetup } from './webhooks/goto-webhook-setup.entity';
import { WebhookSetupStore } from './webhooks/webhook-setup.store';

// Only what the commands need: no HTTP, no worker, no scheduler.
@Module({})
class CliModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        AccountsModule,
        TypeOrmModule.forFeature([Organizer, GotoWebhookSetup]),
      ],
      providers: [CredentialCipher, CredentialRotationService, WebhookSetupStore],
    };
  }
}

const USAGE = [
  'usage: npm run cli -- account:create --name "Acme" [--json]',
  '       npm run cli -- credentials:rotate [--batch-size 200] [--json]',
].join('\n');

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        name: { type: 'string' },
        json: { type: 'boolean', default: false },
        'batch-size': { type: 'string' },
      },
    });
  } catch (e) {
    throw new Error(`${(e as Error).message}\n${USAGE}`);
  }
}

async function withContext<T>(
  run: (ctx: { get<S>(t: new (...a: never[]) => S): S }) => Promise<T>,
) {
  const ctx = await NestFactory.createApplicationContext(
    CliModule.forRoot(loadConfig(undefined, { gotoRequired: false })),
    { logger: ['error'] },
  );
  try {
    return await run(ctx);
  } finally {
    await ctx.close();
  }
}

/** A rotation's report, or why it broke off. */
type RotationOutcome = RotationReport | { error: string };

async function attempt(rotate: () => Promise<RotationReport>): Promise<RotationOutcome> {
  try {
    return await rotate();
  } catch (e) {
    return { error: safeErrorMessage(e) };
  }
}

const succeeded = (o: RotationOutcome): o is RotationReport => !('error' in o) && o.failed === 0;

function describeRotation(o: RotationOutcome): string {
  if ('error' in o) return `broke off: ${o.error}`;
  return (
    `${o.scanned} read, ${o.rewritten} re-encrypted, ${o.current} already current, ` +
    `${o.raced} changed meanwhile, ${o.failed} failed.`
  );
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parse(argv);
  const [command] = positionals;
  if (command === 'account:create') {
    if (!values.name) throw new Error(USAGE);
    const created = await withContext((ctx) => ctx.get(AccountsService).create(values.name!));
    if (values.json) {
      process.stdout.write(JSON.stringify({ id: created.id, apiKey: created.apiKey }) + '\n');
    } else {
      console.log(`Account ${created.id} "${created.name}" created.`);
      console.log(`API key (shown once, keep it safe): ${created.apiKey}`);
    }
    return;
  }
  if (command === 'credentials:rotate') {
    const batch = Number(values['batch-size'] ?? 200);
    if (!Number.isInteger(batch) || batch < 1 || batch > 10000)
      throw new Error(`--batch-size: must be an integer from 1 to 10000\n${USAGE}`);
    // Everything encrypted with CREDENTIALS_KEY: organizer credentials, then the webhook secret,
    // each run on its own (one breaking off does not skip the other); both reported.
    const [report, webhookSecret] = await withContext(async (ctx) => [
      await attempt(() => ctx.get(CredentialRotationService).rotate(batch)),
      await attempt(() => ctx.get(WebhookSetupStore).rotateSecrets()),
    ]);
    if (values.json) process.stdout.write(JSON.stringify({ ...report, webhookSecret }) + '\n');
    else {
      console.log(`Organizer credentials: ${describeRotation(report)}`);
      console.log(`Webhook secret: ${describeRotation(webhookSecret)}`);
    }
    if (!succeeded(report) || !succeeded(webhookSecret)) process.exitCode = 2;
    return;
  }
  throw new Error(USAGE);
}

main(process.argv.slice(2)).catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
