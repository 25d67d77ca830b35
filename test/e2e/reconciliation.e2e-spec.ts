import { DataSource } from 'typeorm';
import { RunningSimulator, startSimulator } from '../../src/simulator/simulator';
import { createOrganizerTestApp, linkOrganizer } from '../support/factories/organizer.factory';
import { drainQueue } from '../support/sync/drain-queue';
import { TestApp } from '../support/test-app';
import { describeEachDialect } from '../support/test-database';

// GoTo's counts (stored by the sync) vs stored participants vs group sizes; drift and its repair.
describeEachDialect('reconciliation', (dialect) => {
  let sim: RunningSimulator;
  let t: TestApp;
  let ds: DataSource;
  let account: Awaited<ReturnType<TestApp['createAccount']>>;
  let webinarId: number;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, organizers: 1, webinars: 3, registrants: 30 });
    t = await createOrganizerTestApp(dialect, sim);
    ds = t.app.get(DataSource);
    account = await t.createAccount();
    expect((await linkOrganizer(t, account, sim.store.listOrganizers()[0])).status).toBe(201);
    await drainQueue(t.app, { advanceClock: true });
    // The webinar with the most attendees (the simulator has held some already).
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

  it("after a sync, GoTo's counts, the stored participants and the groups agree", async () => {
    const res = await get(`/api/v1/webinars/${webinarId}/reconciliation`).expect(200);
    const r = res.body;
    expect(r.goto).toEqual({
      registrants: expect.any(Number),
      walkIns: expect.any(Number),
      attendees: expect.any(Number),
      observedAt: expect.any(String),
    });
    expect(r.goto.attendees).toBe(r.stored.attended);
    expect(r.goto.registrants + r.goto.walkIns).toBe(
      r.stored.total - r.stored.byRegistrationStatus.cancelled,
    );
    const size = (kind: string) =>
      r.groups.find((g: { kind: string }) => g.kind === kind).memberCount;
    expect([size('registered'), size('attended'), size('not_attended')]).toEqual([
      r.stored.registered,
      r.stored.attended,
      r.stored.notAttended,
    ]);
    expect(r.checks.every((c: { ok: boolean }) => c.ok)).toBe(true);
    expect(r.drift).toBe(false);
    expect(r.repair).toBeNull();
    const all = await get('/api/v1/reconciliation').expect(200);
    expect(all.body.total).toBeGreaterThanOrEqual(1);
    expect((await get('/api/v1/reconciliation?drift=true').expect(200)).body.total).toBe(0);
  });

  it('stored data that disagrees is drift, listed by ?drift=true, and the repair sync fixes it', async () => {
    // Something outside the sync changed the stored rows: one attendee lost their attendance.
    const [p] = await ds.query(
      'SELECT id FROM webinar_participant WHERE webinar_id = ? AND webinar_participant_status_id = 2 ORDER BY id',
      [webinarId],
    );
    await ds.query(
      'UPDATE webinar_participant SET webinar_participant_status_id = 1, attendance_seconds = 0 WHERE id = ?',
      [p.id],
    );
    const r = (await get(`/api/v1/webinars/${webinarId}/reconciliation`).expect(200)).body;
    expect(r.drift).toBe(true);
    expect(r.checks.find((c: { name: string }) => c.name === 'attended')).toEqual({
      name: 'attended',
      goto: r.goto.attendees,
      stored: r.goto.attendees - 1,
      ok: false,
    });
    expect(r.repair).toEqual({ method: 'POST', href: `/api/v1/webinars/${webinarId}/sync` });
    const drifting = (await get('/api/v1/reconciliation?drift=true').expect(200)).body;
    expect(drifting.items.map((i: { webinarId: number }) => i.webinarId)).toEqual([webinarId]);
    expect(drifting.items[0].repair.href).toBe(r.repair.href);

    const queued = await t.http().post(r.repair.href).set(account.auth).expect(202);
    expect(queued.body.jobId).toEqual(expect.any(Number));
    await drainQueue(t.app, { advanceClock: true });
    const after = (await get(`/api/v1/webinars/${webinarId}/reconciliation`).expect(200)).body;
    expect(after.drift).toBe(false);
    expect((await get('/api/v1/reconciliation?drift=true').expect(200)).body.total).toBe(0);
  });

  it('400 naming drift for a bad value, 404 for another account', async () => {
    const bad = await get('/api/v1/reconciliation?drift=maybe').expect(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'drift' })]);
    const other = await t.createAccount();
    await get(`/api/v1/webinars/${webinarId}/reconciliation`, other.auth).expect(404);
    expect((await get('/api/v1/reconciliation', other.auth).expect(200)).body.total).toBe(0);
  });
});
