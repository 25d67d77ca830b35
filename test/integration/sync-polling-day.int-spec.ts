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

// A simulated day of the real scheduler and queue with the default schedule: the app's clock and
// the simulator's move together, 15 minutes per tick; each webinar is read as often as its class
// says, no more.
describeEachDialect('adaptive polling over a simulated day', (dialect) => {
  let sim: RunningSimulator;
  let t: TestApp;
  let ds: DataSource;
  const clock = new FakeClock(T0);
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    sim = await startSimulator({ organizers: 1, webinars: 0, registrants: 0, now: T0 });
    const [org] = sim.store.listOrganizers();
    const add = (name: string, startIn: number, registrants = 5) => {
      keys[name] = sim.store.addWebinar(org.organizerKey, {
        subject: name,
        times: [{ startTime: iso(startIn), endTime: iso(startIn + HOUR) }],
        registrants,
      }).webinarKey;
    };
    add('today', 2 * HOUR); // soon, then live 02:00–03:00, then just ended
    add('nextWeek', 5 * DAY); // days ahead: every 6 h
    add('farAhead', 200 * DAY); // months ahead: daily
    add('endedRecently', -3 * DAY); // ended days ago: daily
    add('longPast', -30 * DAY); // read once when linked, never again
    t = await createTestApp(dialect, {
      config: { goto: { apiUrl: sim.url, authUrl: sim.url, maxRps: 1000, maxRetries: 0 } },
      override: (b) => b.overrideProvider(Clock).useValue(clock),
    });
    ds = t.app.get(DataSource);
    const account = await t.createAccount('Polling day');
    await t
      .http()
      .post('/api/v1/organizers')
      .set(account.auth)
      .send({ email: org.email, password: org.password })
      .expect(201);
    await drainQueue(t.app);
    for (let k = 1; k <= 96; k++) {
      clock.advance(15 * MIN);
      sim.store.advanceClock(15 * 60);
      await t.app.get(SyncScheduler).tick();
      await drainQueue(t.app);
    }
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

  /** Hours after T0 of each successful read of the webinar's participants during the day. */
  async function readsOf(name: string): Promise<number[]> {
    const rows: Array<{ finished_at: unknown }> = await ds.query(
      `SELECT j.finished_at FROM sync_job j JOIN webinar w ON w.id = j.webinar_id
       WHERE w.webinar_key = ? AND j.type = 'webinar_participants_sync' AND j.status = 'succeeded'
       ORDER BY j.id`,
      [keys[name]],
    );
    return rows.map((r) => (dbTime(r.finished_at)! - T0.getTime()) / HOUR).filter((h) => h > 0);
  }

  it('far ahead and ended days ago: once a day; long past: never again', async () => {
    expect(await readsOf('farAhead')).toEqual([24]);
    expect(await readsOf('endedRecently')).toEqual([24]);
    expect(await readsOf('longPast')).toEqual([]);
  });

  it('days ahead: every 6 hours', async () => {
    expect(await readsOf('nextWeek')).toEqual([6, 12, 18, 24]);
  });

  it('starting soon hourly, in session every 15 minutes, read at its end, then every 2 hours until final', async () => {
    const reads = await readsOf('today');
    expect(reads.filter((h) => h < 2)).toEqual([1]);
    expect(reads.filter((h) => h >= 2 && h < 3)).toEqual([2, 2.25, 2.5, 2.75]);
    expect(reads).toContain(3); // the attendance, as soon as the session ended
    // 2 h later its attendance is final (settled): then at most daily (the ended-days interval)
    expect(reads.filter((h) => h > 3)).toEqual([5]);
    const [row]: Array<{ attendance_final_at: unknown }> = await ds.query(
      'SELECT attendance_final_at FROM webinar WHERE webinar_key = ?',
      [keys.today],
    );
    expect((dbTime(row.attendance_final_at)! - T0.getTime()) / HOUR).toBe(5);
  });

  it('the webinar list: hourly while a webinar starts within 3 hours or runs, else every 6 hours', async () => {
    const lists: Array<{ created_at: unknown }> = await ds.query(
      "SELECT created_at FROM sync_job WHERE type = 'organizer_periodic_sync' ORDER BY id",
    );
    expect(lists.map((r) => (dbTime(r.created_at)! - T0.getTime()) / HOUR)).toEqual([
      1, 2, 8, 14, 20,
    ]);
  });
});
