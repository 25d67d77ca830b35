import mysql2 from 'mysql2';
import type { Pool, PoolConnection, PoolOptions } from 'mysql2';
import { DataSource } from 'typeorm';
import { GOTO_WEBINAR_OPTIONS } from '../../src/goto-webinar/goto-webinar.options';
import { RunningSimulator, startSimulator } from '../../src/simulator/simulator';
import { SyncJob } from '../../src/sync/sync-job.entity';
import { linkOrganizer } from '../support/factories/organizer.factory';
import { drainQueue } from '../support/sync/drain-queue';
import { createTestApp, TestApp } from '../support/test-app';
import { describeEachDialect, MYSQL_URL } from '../support/test-database';

const DAY = 86_400_000;
const SUBJECT = () => `Webinar ${NAMES.join(' | ')} end`;

// Strings that break SQL written with backslash escapes under NO_BACKSLASH_ESCAPES (mysql2's
// escape turns ' into \' which that mode reads as a backslash and the end of the string), and
// characters that need utf8mb4 end to end.
const NAMES = [
  `O'Brien`,
  `"Bobby" \\'); DELETE FROM subscriber; --`,
  `back\\slash\\`,
  `nul\0byte`,
  `-- comment /* not */ #`,
  `😀 Zoë 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𠜎`,
  `x\\' OR 1=1 -- `,
];
const EMAILS = [
  `o'brien@x.com`,
  `a"b\\'c@x.com`,
  `back\\slash@x.com`,
  `nul\0byte@x.com`,
  `--;drop@x.com`,
  `😀𠜎@x.com`,
  `jöhn@x.com`,
];

/**
 * A server whose default sql_mode has NO_BACKSLASH_ESCAPES (as a managed MySQL parameter group can
 * set), per session: every pooled connection gets the mode as soon as it opens, before the app's
 * own connection hook (if any) runs. SET GLOBAL would break every other suite on the shared server.
 */
function serverDefaultsToNoBackslashEscapes(): jest.SpyInstance {
  const create = mysql2.createPool.bind(mysql2);
  return jest.spyOn(mysql2, 'createPool').mockImplementation(((options: PoolOptions) => {
    const pool: Pool = create(options);
    pool.on('connection', (c: PoolConnection) => {
      c.query(`SET SESSION sql_mode = CONCAT(@@GLOBAL.sql_mode, ',NO_BACKSLASH_ESCAPES')`);
    });
    return pool;
  }) as typeof mysql2.createPool);
}

describeEachDialect('values round-trip exactly (bound parameters, sql_mode pinned)', (dialect) => {
  let sim: RunningSimulator;
  let t: TestApp;
  let ds: DataSource;
  let auth: { Authorization: string };
  let webinarKey: string;
  let spy: jest.SpyInstance | undefined;

  beforeAll(async () => {
    if (dialect === 'mysql') spy = serverDefaultsToNoBackslashEscapes();
    sim = await startSimulator({ port: 0, seed: 5, organizers: 1, webinars: 1, registrants: 1 });
    const org = sim.store.listOrganizers()[0];
    const start = new Date(Date.now() + 2 * DAY);
    webinarKey = sim.store.addWebinar(org.organizerKey, {
      subject: SUBJECT(),
      times: [
        {
          startTime: start.toISOString(),
          endTime: new Date(start.getTime() + 3_600_000).toISOString(),
        },
      ],
    }).webinarKey;
    NAMES.forEach((name, i) =>
      sim.store.addRegistrant(webinarKey, { firstName: name, lastName: name, email: EMAILS[i] }),
    );
    t = await createTestApp(dialect, {
      config: { goto: { apiUrl: sim.url, authUrl: sim.url, maxRps: 1000, maxRetries: 0 } },
      override: (b) =>
        b.overrideProvider(GOTO_WEBINAR_OPTIONS).useValue({ baseDelayMs: 5, maxDelayMs: 20 }),
    });
    ds = t.app.get(DataSource);
    const account = await t.createAccount('Escaping');
    auth = account.auth;
    expect((await linkOrganizer(t, account, org)).status).toBe(201);
    await drainQueue(t.app);
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
    spy?.mockRestore();
  });

  if (dialect === 'mysql')
    it('the simulated server default is really in force on a plain pool, and overridden on ours', async () => {
      const pool = mysql2.createPool({ uri: MYSQL_URL, connectionLimit: 1 }).promise();
      try {
        const [rows] = await pool.query('SELECT @@SESSION.sql_mode AS mode');
        expect(String((rows as Array<{ mode: string }>)[0].mode)).toContain('NO_BACKSLASH_ESCAPES');
      } finally {
        await pool.end();
      }
      for (let i = 0; i < 3; i++) {
        // Several pooled connections at once, not just the first.
        const modes = await Promise.all(
          Array.from({ length: 4 }, () => ds.query('SELECT @@SESSION.sql_mode AS mode')),
        );
        for (const [m] of modes) expect(m.mode).not.toContain('NO_BACKSLASH_ESCAPES');
      }
    });

  it('every sync job succeeded and /sync-jobs answers their JSON', async () => {
    const res = await t.http().get('/api/v1/sync-jobs?pageSize=100').set(auth).expect(200);
    expect(res.body.items.length).toBeGreaterThanOrEqual(2);
    for (const job of res.body.items) {
      expect({ type: job.type, status: job.status, lastError: job.lastError }).toEqual({
        type: job.type,
        status: 'succeeded',
        lastError: null,
      });
      expect(job.result).toEqual(expect.any(Object));
    }
  });

  it('subject, names and emails are stored and answered exactly', async () => {
    const list = await t.http().get('/api/v1/webinars?pageSize=200').set(auth).expect(200);
    const webinar = list.body.items.find(
      (w: { webinarKey: string }) => w.webinarKey === webinarKey,
    );
    expect(webinar.subject).toBe(SUBJECT());
    const res = await t
      .http()
      .get(`/api/v1/webinars/${webinar.id}/participants?pageSize=200`)
      .set(auth)
      .expect(200);
    const got = res.body.items
      .map((p: { email: string; firstName: string; lastName: string }) => [
        p.email,
        p.firstName,
        p.lastName,
      ])
      .sort();
    const want = EMAILS.map((e, i) => [e, NAMES[i].trim(), NAMES[i].trim()]).sort();
    expect(got).toEqual(want);
    // Read back equal to what GoTo says: a re-sync writes nothing.
    const sync = await t.http().post(`/api/v1/webinars/${webinar.id}/sync`).set(auth).expect(202);
    await drainQueue(t.app);
    const job = await ds.getRepository(SyncJob).findOneByOrFail({ id: sync.body.jobId });
    expect(job.result).toMatchObject({ participants: EMAILS.length, rowsWritten: 0 });
  });

  it('sync_job JSON (progress, result) keeps quotes, backslashes, NUL and 4-byte characters', async () => {
    const [job] = await ds.getRepository(SyncJob).find({ take: 1, order: { id: 'ASC' } });
    const value = { names: NAMES, emails: EMAILS, nested: { q: `'"\\` } };
    await ds.getRepository(SyncJob).update(job.id, { progress: value, result: value });
    const res = await t.http().get(`/api/v1/sync-jobs/${job.id}`).set(auth).expect(200);
    expect(res.body.progress).toEqual(value);
    expect(res.body.result).toEqual(value);
  });
});
