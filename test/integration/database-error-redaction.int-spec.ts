import { Module } from '@nestjs/common';
import { Writable } from 'node:stream';
import pino from 'pino';
import { DataSource } from 'typeorm';
import { HttpErrorFilter } from '../../src/common/errors/http-error.filter';
import { LOG_SERIALIZERS } from '../../src/logging/logging.module';
import { ParticipantSqlDialect } from '../../src/participants/participant-sql-dialect';
import { JobContext, SyncJobHandler } from '../../src/sync/sync-job-handler';
import { SyncJob } from '../../src/sync/sync-job.entity';
import { SyncJobType } from '../../src/sync/sync-job-types';
import { describeJobError } from '../../src/sync/sync-error-policy';
import { drainQueue } from '../support/sync/drain-queue';
import { createSyncTestApp, SyncTestApp } from '../support/sync/sync-test-app';
import { createTestDatabase, describeEachDialect, TestDatabase } from '../support/test-database';

// Personal data and a credential ciphertext as statement parameters.
const SECRET_EMAIL = 'ann.secret@example.com';
const CIPHERTEXT = 'v1.c2VjcmV0LWNpcGhlcnRleHQ';
const DB_FAILURE = 'test_db_failure' as SyncJobType;

/** Inserts the same subscriber twice: a real duplicate-key error carrying SECRET_EMAIL. */
async function duplicateSubscriber(ds: DataSource, accountId: number): Promise<unknown> {
  const now = ds.options.type === 'better-sqlite3' ? '2026-12-01 10:00:00' : new Date();
  const insert = `INSERT INTO subscriber (account_id, email, first_name, created_at) VALUES (?, ?, ?, ?)`;
  await ds.query(insert, [accountId, SECRET_EMAIL, CIPHERTEXT, now]);
  return ds.query(insert, [accountId, SECRET_EMAIL, CIPHERTEXT, now]).then(
    () => new Error('no error'),
    (err: unknown) => err,
  );
}

@SyncJobHandler(DB_FAILURE)
class DbFailureHandler {
  constructor(private readonly ds: DataSource) {}
  async handle(ctx: JobContext): Promise<void> {
    throw await duplicateSubscriber(this.ds, 900_000 + ctx.job.id);
  }
}

@Module({ providers: [DbFailureHandler] })
class DbFailureModule {}

const leaks = (text: string) =>
  [SECRET_EMAIL, CIPHERTEXT, 'INSERT'].filter((s) => text.includes(s));

describeEachDialect('database errors never carry their parameters', (dialect) => {
  let db: TestDatabase;
  let t: SyncTestApp;
  let accountId = 1;

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    t = await createSyncTestApp({
      database: db.config,
      sync: { maxAttempts: 1 },
      handlers: [DbFailureModule],
      requiredTypes: [DB_FAILURE],
    });
  });
  afterAll(async () => {
    await t?.app.close();
    await db?.drop();
  });

  it('a real duplicate-key error: the stored text and the log line hold no value and no SQL', async () => {
    const err = await duplicateSubscriber(t.ds, accountId++);
    expect(err).toHaveProperty('parameters'); // what TypeORM attaches, and must not be shown
    expect(leaks(describeJobError(err))).toEqual([]);
    expect(describeJobError(err)).toMatch(/^database error/);

    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    pino({ serializers: LOG_SERIALIZERS }, sink).error({ err }, 'Unhandled error');
    expect(lines).toHaveLength(1);
    expect(leaks(lines[0])).toEqual([]);
    expect(JSON.parse(lines[0]).err.message).toMatch(/^database error/);
  });

  it('the participant SQL (prepared statements on MariaDB) fails the same way', async () => {
    const sql = new ParticipantSqlDialect(t.ds);
    const account = accountId++;
    await duplicateSubscriber(t.ds, account);
    const err = await sql
      .query(t.ds, 'INSERT INTO subscriber (account_id, email, created_at) VALUES (?, ?, ?)', [
        account,
        SECRET_EMAIL,
        sql.dt(new Date()),
      ])
      .then(
        () => new Error('no error'),
        (e: unknown) => e,
      );
    expect(err).toHaveProperty('driverError');
    expect(leaks(describeJobError(err))).toEqual([]);
    expect(leaks(JSON.stringify(LOG_SERIALIZERS.err(err as Error)))).toEqual([]);
  });

  it('an HTTP request failing on it answers a bare 500', () => {
    return duplicateSubscriber(t.ds, accountId++).then((err) => {
      const body = new HttpErrorFilter().toBody(err);
      expect(body).toEqual({
        statusCode: 500,
        message: 'Internal server error',
        correlationId: expect.any(String),
      });
    });
  });

  it('a sync job failing on it stores a last_error without values', async () => {
    const job = await t.queue.enqueue({ type: DB_FAILURE, accountId: 1 });
    await drainQueue(t.app, { advanceClock: true });
    const stored = await t.ds.getRepository(SyncJob).findOneByOrFail({ id: job.id });
    expect(stored.status).toBe('failed');
    expect(stored.lastError).toMatch(/^database error/);
    expect(leaks(String(stored.lastError))).toEqual([]);
  });
});
