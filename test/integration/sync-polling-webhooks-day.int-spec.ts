import { DataSource } from 'typeorm';
import { Clock, FakeClock } from '../../src/common/clock';
import { dbTime } from '../../src/database/datetime';
import { RunningSimulator, startSimulator } from '../../src/simulator/simulator';
import { SyncScheduler } from '../../src/sync/sync-scheduler.service';
import { drainQueue } from '../support/sync/drain-queue';
import { createTestApp, TestApp } from '../support/test-app';
import { describeEachDialect } from '../support/test-database';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T0 = new Date('2026-06-15T00:00:00Z');
const iso = (ms: number) => new Date(T0.getTime() + ms).toISOString().replace('.000Z', 'Z');

// The same simulated day as sync-polling-day.int-spec.ts (its figures are the normal pace), for an
// organizer whose webhooks flow for the first 12 hours (organizer columns set as the webhook
// module would), then stop ('failing'): the relaxed schedule first, the normal pace after, with no
// other step than the per-tick health check.
describeEachDialect('relaxed polling while webhooks flow, over a simulated day', (dialect) => {
  let sim: RunningSimulator;
  let t: TestApp;
  let ds: DataSource;
  const clock = new FakeClock(T0);
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    sim = await startSimulator({ organizers: 1, webinars: 0, registrants: 0, now: T0 });
    const [org] = sim.store.listOrganizers();
    const add = (name: string, startIn: number) => {
      keys[name] = sim.store.addWebinar(org.organizerKey, {
        subject: name,
        times: [{ startTime: iso(startIn), endTime: iso(startIn + HOUR) }],
        registrants: 5,
      }).webinarKey;
    };
    add('today', 2 * HOUR);
    add('nextWeek', 5 * DAY);
    add('farAhead', 200 * DAY);
    add('longPast', -30 * DAY);
    t = await createTestApp(dialect, {
      config: { goto: { apiUrl: sim.url, authUrl: sim.url, maxRps: 1000, maxRetries: 0 } },
      override: (b) => b.overrideProvider(Clock).useValue(clock),
    });
    ds = t.app.get(DataSource);
    const account = await t.createAccount('Webhooks day');
    await t
      .http()
      .post('/api/v1/organizers')
      .set(account.auth)
      .send({ email: org.email, password: org.password })
      .expect(201);
    await drainQueue(t.app);
    await ds
      .createQueryBuilder()
      .update('organizer')
      .set({ webhookState: 'on', webhookCheckedAt: T0 })
      .execute();
    for (let k = 1; k <= 96; k++) {
      clock.advance(15 * MIN);
      sim.store.advanceClock(15 * 60);
      await t.app.get(SyncScheduler).tick();
      await drainQueue(t.app);
      if (k === 48)
        await ds
          .createQueryBuilder()
          .update('organizer')
          .set({ webhookState: 'failing' })
          .execute();
    }
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

  async function readsOf(name: string): Promise<number[]> {
    const rows: Array<{ finished_at: unknown }> = await ds.query(
      `SELECT j.finished_at FROM sync_job j JOIN webinar w ON w.id = j.webinar_id
       WHERE w.webinar_key = ? AND j.type = 'webinar_participants_sync' AND j.status = 'succeeded'
       ORDER BY j.id`,
      [keys[name]],
    );
    return rows.map((r) => (dbTime(r.finished_at)! - T0.getTime()) / HOUR).filter((h) => h > 0);
  }

  it('today: once in the hour before start, none while live, at the end and 6 h later; final then', async () => {
    // normal pace: 1, 2, 2.25, 2.5, 2.75, 3, 5
    expect(await readsOf('today')).toEqual([1, 3, 9]);
    const [row]: Array<{ attendance_final_at: unknown }> = await ds.query(
      'SELECT attendance_final_at FROM webinar WHERE webinar_key = ?',
      [keys.today],
    );
    expect(row.attendance_final_at).not.toBeNull();
  });

  it('days and months ahead: not re-read while events flow, the normal pace once they stop', async () => {
    // normal pace: 6, 12, 18, 24 and 24
    expect(await readsOf('nextWeek')).toEqual([12.25, 18.25]);
    expect(await readsOf('farAhead')).toEqual([24]);
    expect(await readsOf('longPast')).toEqual([]);
  });

  it('the webinar list: not re-listed while events flow, every 6 h after', async () => {
    const lists: Array<{ created_at: unknown }> = await ds.query(
      "SELECT created_at FROM sync_job WHERE type = 'organizer_periodic_sync' ORDER BY id",
    );
    // normal pace: 1, 2, 8, 14, 20
    expect(lists.map((r) => (dbTime(r.created_at)! - T0.getTime()) / HOUR)).toEqual([12.25, 18.25]);
  });
});
