import { INestApplication } from '@nestjs/common';
import { Test, TestingModuleBuilder } from '@nestjs/testing';
import request from 'supertest';
import { AccountsService } from '../../src/accounts/accounts.service';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/app.setup';
import { AppConfig } from '../../src/config/app-config';
import { testConfig } from './test-config';
import { createTestDatabase, Dialect, TestDatabase } from './test-database';

export interface TestApp {
  app: INestApplication;
  config: AppConfig;
  db: TestDatabase;
  /** supertest against the running app */
  http(): ReturnType<typeof request>;
  /** A fresh tenant: tests isolate by account, never by truncating. */
  createAccount(
    name?: string,
  ): Promise<{ id: number; apiKey: string; auth: { Authorization: string } }>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  config?: Parameters<typeof testConfig>[0];
  /** Replace providers at the edges (e.g. Clock) before compiling. */
  override?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
  /** Listen on this port (default: any free one), e.g. one PUBLIC_URL already names. */
  port?: number;
}

// The real AppModule on a fresh database of the given dialect, listening on a random port.
export async function createTestApp(
  dialect: Dialect,
  options: TestAppOptions = {},
): Promise<TestApp> {
  const db = await createTestDatabase(dialect);
  const config = testConfig({ ...options.config, database: db.config });
  let builder = Test.createTestingModule({ imports: [AppModule.forRoot(config)] });
  if (options.override) builder = options.override(builder);
  const moduleRef = await builder.compile();
  const app = configureApp(moduleRef.createNestApplication({ logger: false }));
  await app.listen(options.port ?? 0);
  let seq = 0;
  return {
    app,
    config,
    db,
    http: () => request(app.getHttpServer()),
    createAccount: async (name?: string) => {
      const created = await app.get(AccountsService).create(name ?? `Test account ${++seq}`);
      return {
        id: created.id,
        apiKey: created.apiKey,
        auth: { Authorization: `Bearer ${created.apiKey}` },
      };
    },
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}

/** A free TCP port on loopback (for a PUBLIC_URL that must be known before the app starts). */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}
