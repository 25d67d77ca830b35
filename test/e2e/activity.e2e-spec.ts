import { DataSource } from 'typeorm';
import { RunningSimulator, startSimulator } from '../../src/simulator/simulator';
import { createOrganizerTestApp, linkOrganizer } from '../support/factories/organizer.factory';
import { drainQueue } from '../support/sync/drain-queue';
import { TestApp } from '../support/test-app';
import { describeEachDialect } from '../support/test-database';

interface Entry {
  jobId: number;
  type: string;
  status: string;
  organizerId: number | null;
  organizerEmail: string | null;
  webinarId: number | null;
  webinarSubject: string | null;
  finishedAt: string;
  lastError: string | null;
  changes: { added: number; cancelled: number; attended: number; statusChanged: number } | null;
}

// GET /activity: the account's recent syncs across organizers, with what each changed and why a
// failed one failed.
describeEachDialect('activity', (dialect) => {
  let sim: RunningSimulator;
  let t: TestApp;
  let ds: DataSource;
  let account: Awaited<ReturnType<TestApp['createAccount']>>;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, organizers: 2, webinars: 2, registrants: 5 });
    t = await createOrganizerTestApp(dialect, sim);
    ds = t.app.get(DataSource);
    account = await t.createAccount();
    for (const org of sim.store.listOrganizers())
      expect((await linkOrganizer(t, account, org)).status).toBe(201);
    await drainQueue(t.app, { advanceClock: true });
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

  const get = (path: string, auth = account.auth) => t.http().get(path).set(auth);

  it('lists the finished syncs of every organizer, newest first, with what they changed', async () => {
    const res = (await get('/api/v1/activity?pageSize=200').expect(200)).body;
    const [{ n }] = await ds.query(
      `SELECT COUNT(*) AS n FROM sync_job WHERE account_id = ? AND status IN ('succeeded', 'failed')`,
      [account.id],
    );
    expect(res.total).toBe(Number(n));
    const items: Entry[] = res.items;
    expect(new Set(items.map((i) => i.organizerEmail))).toEqual(
      new Set(sim.store.listOrganizers().map((o) => o.email)),
    );
    const times = items.map((i) => Date.parse(i.finishedAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    // Each participant sync's changes are the webinar history's record of that job.
    const participantJobs = items.filter((i) => i.type === 'webinar_participants_sync');
    expect(participantJobs.length).toBeGreaterThan(0);
    const changed = participantJobs.find((i) => i.changes !== null)!;
    expect(changed.webinarSubject).toEqual(expect.any(String));
    const history = (
      await get(`/api/v1/webinars/${changed.webinarId}/history?pageSize=200`).expect(200)
    ).body.items.find((h: { jobId: number }) => h.jobId === changed.jobId);
    expect(changed.changes).toEqual({
      added: history.added.count,
      cancelled: history.cancelled.count,
      attended: history.attended.count,
      statusChanged: history.statusChanged.count,
    });
    // Paging.
    const p2 = (await get('/api/v1/activity?page=2&pageSize=1').expect(200)).body;
    expect(p2.items.map((i: Entry) => i.jobId)).toEqual([items[1].jobId]);
  });

  it('shows a failed sync with its error, filtered by status and organizer', async () => {
    const [w] = await ds.query(
      `SELECT id, webinar_key AS webinar_key, organizer_id AS organizer_id FROM webinar WHERE account_id = ? ORDER BY id`,
      [account.id],
    );
    sim.faults.inject({ type: 'malformed-json', path: `webinars/${w.webinar_key}/registrants` });
    await t.http().post(`/api/v1/webinars/${w.id}/sync`).set(account.auth).expect(202);
    await drainQueue(t.app, { advanceClock: true });
    sim.faults.clear();
    const failed = (await get('/api/v1/activity?status=failed').expect(200)).body;
    expect(failed.total).toBeGreaterThanOrEqual(1);
    const entry: Entry = failed.items[0];
    expect(entry).toMatchObject({
      status: 'failed',
      webinarId: Number(w.id),
      organizerId: Number(w.organizer_id),
      changes: null,
    });
    expect(entry.lastError).toMatch(/malformed|JSON/i);
    expect(failed.items.every((i: Entry) => i.status === 'failed')).toBe(true);
    const mine = (await get(`/api/v1/activity?organizerId=${w.organizer_id}`).expect(200)).body;
    expect(mine.items.every((i: Entry) => i.organizerId === Number(w.organizer_id))).toBe(true);
    expect(mine.items[0].jobId).toBe(entry.jobId);
  });

  it('is scoped to the account and names a bad parameter', async () => {
    const other = await t.createAccount();
    expect((await get('/api/v1/activity', other.auth).expect(200)).body.total).toBe(0);
    const bad = await get('/api/v1/activity?status=running').expect(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'status' })]);
    await get('/api/v1/activity?pageSize=500').expect(400);
    for (const [query, field] of [
      ['page=1&page=2', 'page'],
      ['organizerId=abc', 'organizerId'],
      ['organizerId=99999999999999999999', 'organizerId'],
    ]) {
      const res = await get(`/api/v1/activity?${query}`).expect(400);
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    }
  });

  it('is documented in the OpenAPI document', async () => {
    const doc = (await t.http().get('/api/docs-json').expect(200)).body;
    const op = doc.paths['/api/v1/activity'].get;
    expect(op.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['page', 'pageSize', 'status', 'organizerId']),
    );
    expect(op.responses['200'].content['application/json'].schema.$ref).toMatch(/ActivityPageDto/);
  });
});
