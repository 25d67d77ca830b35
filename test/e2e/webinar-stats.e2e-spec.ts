import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { dbTime } from '../../src/database/datetime';
import { RunningSimulator, startSimulator } from '../../src/simulator/simulator';
import { createOrganizerTestApp, linkOrganizer } from '../support/factories/organizer.factory';
import { drainQueue } from '../support/sync/drain-queue';
import { TestApp } from '../support/test-app';
import { describeEachDialect } from '../support/test-database';

interface Stats {
  webinarId: number;
  timeZone: string;
  registrationsPerDay: Array<{ date: string; count: number }>;
  registrationsUndated: number;
  funnel: Array<{ step: string; count: number }>;
  engagementMinutes: number | null;
  attendanceMinutes: {
    barMinutes: number;
    bars: Array<{ fromMinutes: number; toMinutes: number; count: number }>;
  };
}

// GET /webinars/:id/stats: the webinar page's charts, grouped in SQL, checked here against the
// stored rows read back raw.
describeEachDialect('webinar stats', (dialect) => {
  let sim: RunningSimulator;
  let t: TestApp;
  let ds: DataSource;
  let account: Awaited<ReturnType<TestApp['createAccount']>>;
  let webinarId: number;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, organizers: 1, webinars: 3, registrants: 40 });
    t = await createOrganizerTestApp(dialect, sim);
    ds = t.app.get(DataSource);
    account = await t.createAccount();
    expect((await linkOrganizer(t, account, sim.store.listOrganizers()[0])).status).toBe(201);
    await drainQueue(t.app, { advanceClock: true });
    const [row] = await ds.query(
      `SELECT wp.webinar_id AS id, COUNT(*) AS n FROM webinar_participant wp JOIN webinar w ON w.id = wp.webinar_id
        WHERE w.account_id = ? AND wp.webinar_participant_status_id = 2 GROUP BY wp.webinar_id ORDER BY n DESC`,
      [account.id],
    );
    expect(Number(row?.n ?? 0)).toBeGreaterThan(1);
    webinarId = Number(row.id);
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

  const get = (path: string, auth = account.auth) => t.http().get(path).set(auth);
  const stats = async (): Promise<Stats> =>
    (await get(`/api/v1/webinars/${webinarId}/stats`).expect(200)).body;
  const stored = async () =>
    (await ds.query(
      `SELECT registration_status AS rs, webinar_participant_status_id AS status,
              attendance_seconds AS secs, registered_at AS registered_at
         FROM webinar_participant WHERE webinar_id = ?`,
      [webinarId],
    )) as Array<{ rs: string; status: number; secs: number; registered_at: unknown }>;

  it('registrations per day in the displayed zone, the funnel and the histogram match the stored rows', async () => {
    // A registration late in the evening in New York is early the next day in UTC.
    const [p] = await ds.query(
      `SELECT id FROM webinar_participant WHERE webinar_id = ? AND registration_status = 'approved' ORDER BY id`,
      [webinarId],
    );
    await ds.query(`UPDATE webinar_participant SET registered_at = ? WHERE id = ?`, [
      dialect === 'sqlite' ? '2026-01-10 03:30:00.000' : new Date('2026-01-10T03:30:00Z'),
      p.id,
    ]);
    const s = await stats();
    const rows = await stored();
    const registered = rows.filter((r) => !['cancelled', 'denied'].includes(r.rs));
    const attended = rows.filter((r) => Number(r.status) === 2);
    const detail = (await get(`/api/v1/webinars/${webinarId}`).expect(200)).body;
    expect(s.webinarId).toBe(webinarId);
    expect(s.timeZone).toBe('America/New_York');
    expect(s.engagementMinutes).toBeNull();
    expect(s.funnel).toEqual([
      { step: 'registered', count: detail.counts.registered },
      { step: 'attended', count: detail.counts.attended },
    ]);
    expect(s.funnel[0].count).toBe(registered.length);
    expect(s.funnel[1].count).toBe(attended.length);

    const expectedDays = new Map<string, number>();
    for (const r of registered) {
      const ms = dbTime(r.registered_at);
      if (ms === null) continue;
      const day = DateTime.fromMillis(ms, { zone: 'America/New_York' }).toISODate()!;
      expectedDays.set(day, (expectedDays.get(day) ?? 0) + 1);
    }
    const nonZero = s.registrationsPerDay.filter((d) => d.count > 0);
    expect(Object.fromEntries(nonZero.map((d) => [d.date, d.count]))).toEqual(
      Object.fromEntries(expectedDays),
    );
    expect(nonZero.some((d) => d.date === '2026-01-09')).toBe(true);
    expect(s.registrationsPerDay.reduce((n, d) => n + d.count, 0) + s.registrationsUndated).toBe(
      registered.length,
    );
    // Consecutive days, first to last.
    const dates = s.registrationsPerDay.map((d) => Date.parse(`${d.date}T00:00:00Z`));
    for (let i = 1; i < dates.length; i++) expect(dates[i] - dates[i - 1]).toBe(86_400_000);

    const h = s.attendanceMinutes;
    expect(h.bars.reduce((n, b) => n + b.count, 0)).toBe(attended.length);
    for (const b of h.bars) {
      expect(b.toMinutes - b.fromMinutes).toBe(h.barMinutes);
      const inBar = attended.filter(
        (r) => Number(r.secs) >= b.fromMinutes * 60 && Number(r.secs) < b.toMinutes * 60,
      );
      expect(b.count).toBe(inBar.length);
    }
  });

  it('adds the engaged step while engagementMinutes is set', async () => {
    const rows = await stored();
    const secs = rows.filter((r) => Number(r.status) === 2).map((r) => Number(r.secs));
    const minutes = Math.max(1, Math.floor(Math.max(...secs) / 120));
    await t
      .http()
      .put('/api/v1/webinar-integration/settings')
      .set(account.auth)
      .send({ engagementMinutes: minutes })
      .expect(200);
    const s = await stats();
    expect(s.engagementMinutes).toBe(minutes);
    expect(s.funnel.map((f) => f.step)).toEqual(['registered', 'attended', 'engaged']);
    expect(s.funnel[2].count).toBe(secs.filter((x) => x >= minutes * 60).length);
  });

  it("the engaged step is the webinar's Engaged group: its frozen threshold, not a later setting", async () => {
    await drainQueue(t.app, { advanceClock: true }); // existing webinars get the group
    const groups = (await get(`/api/v1/target-groups?webinarId=${webinarId}`).expect(200)).body
      .items as Array<{ kind: string; engagementMinutes: number | null; memberCount: number }>;
    const engaged = groups.find((g) => g.kind === 'engaged');
    expect(engaged?.engagementMinutes).toEqual(expect.any(Number));
    await t
      .http()
      .put('/api/v1/webinar-integration/settings')
      .set(account.auth)
      .send({ engagementMinutes: engaged!.engagementMinutes! + 30 })
      .expect(200);
    const s = await stats();
    expect(s.engagementMinutes).toBe(engaged!.engagementMinutes);
    expect(s.funnel[2]).toEqual({ step: 'engaged', count: engaged!.memberCount });
  });

  it('uses the displayed time zone, 404s another account and 400s a bad id', async () => {
    await t
      .http()
      .put('/api/v1/webinar-integration/settings')
      .set(account.auth)
      .send({ displayedTimeZone: 'UTC' })
      .expect(200);
    const s = await stats();
    expect(s.timeZone).toBe('UTC');
    expect(s.registrationsPerDay.find((d) => d.date === '2026-01-10')?.count).toBeGreaterThan(0);
    const other = await t.createAccount();
    await get(`/api/v1/webinars/${webinarId}/stats`, other.auth).expect(404);
    await get('/api/v1/webinars/abc/stats').expect(400);
  });

  it('is documented in the OpenAPI document', async () => {
    const doc = (await t.http().get('/api/docs-json').expect(200)).body;
    const op = doc.paths['/api/v1/webinars/{id}/stats'].get;
    expect(op.responses['200'].content['application/json'].schema.$ref).toMatch(/WebinarStatsDto/);
    expect(Object.keys(doc.components.schemas.WebinarStatsDto.properties)).toEqual(
      expect.arrayContaining(['registrationsPerDay', 'funnel', 'attendanceMinutes']),
    );
  });
});
