import { RunningSimulator, startSimulator } from '../../src/simulator/simulator';
import { ParticipantHistoryService } from '../../src/participants/participant-history.service';
import { createOrganizerTestApp, linkOrganizer } from '../support/factories/organizer.factory';
import { drainQueue } from '../support/sync/drain-queue';
import { TestApp } from '../support/test-app';
import { describeEachDialect } from '../support/test-database';

interface Entry {
  id: number;
  syncedAt: string;
  jobId: number | null;
  source: string;
  added: { count: number; samples: string[] };
  cancelled: { count: number; samples: string[] };
  attended: { count: number; samples: string[] };
  statusChanged: { count: number; samples: string[] };
}

// Every participant sync records what it changed; GET /webinars/:id/history lists it newest first.
describeEachDialect('participant sync history', (dialect) => {
  let sim: RunningSimulator;
  let t: TestApp;
  let account: Awaited<ReturnType<TestApp['createAccount']>>;
  let webinarId: number;
  let webinarKey: string;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, organizers: 1, webinars: 1, registrants: 2 });
    const org = sim.store.listOrganizers()[0];
    const start = new Date(sim.store.now().getTime() - 2 * 86_400_000);
    webinarKey = sim.store.addWebinar(org.organizerKey, {
      subject: 'History webinar',
      times: [
        {
          startTime: start.toISOString(),
          endTime: new Date(start.getTime() + 3600_000).toISOString(),
        },
      ],
      registrants: 0,
    }).webinarKey;
    for (let i = 0; i < 8; i++)
      sim.store.addRegistrant(webinarKey, {
        firstName: `P${i}`,
        lastName: 'History',
        email: `history${i}@example.com`,
      });
    t = await createOrganizerTestApp(dialect, sim);
    account = await t.createAccount();
    expect((await linkOrganizer(t, account, org)).status).toBe(201);
    await drainQueue(t.app, { advanceClock: true });
    const list = await t.http().get('/api/v1/webinars?pageSize=200').set(account.auth).expect(200);
    webinarId = list.body.items.find(
      (w: { subject: string }) => w.subject === 'History webinar',
    ).id;
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

  const history = async (query = ''): Promise<{ items: Entry[]; total: number }> =>
    (
      await t
        .http()
        .get(`/api/v1/webinars/${webinarId}/history${query}`)
        .set(account.auth)
        .expect(200)
    ).body;
  const syncNow = async (): Promise<number> => {
    const res = await t
      .http()
      .post(`/api/v1/webinars/${webinarId}/sync`)
      .set(account.auth)
      .expect(202);
    await drainQueue(t.app, { advanceClock: true });
    return res.body.jobId;
  };

  it('the first sync records everyone as added', async () => {
    const h = await history();
    expect(h.total).toBe(1);
    const stored = await t
      .http()
      .get(`/api/v1/webinars/${webinarId}/participants`)
      .set(account.auth)
      .expect(200);
    expect(stored.body.total).toBeGreaterThanOrEqual(8);
    expect(h.items[0].added.count).toBe(stored.body.total);
    expect(h.items[0].added.samples).toHaveLength(5);
    const emails = stored.body.items.map((p: { email: string }) => p.email);
    expect(emails).toEqual(expect.arrayContaining(h.items[0].added.samples));
    expect(h.items[0].cancelled.count).toBe(0);
    expect(h.items[0].jobId).toEqual(expect.any(Number));
    expect(h.items[0].source).toBe('sync');
  });

  it('a later sync records added, cancelled, became attended and other status changes', async () => {
    const regs = sim.store.listRegistrants(webinarKey);
    const byEmail = (e: string) => regs.find((r) => r.email === e)!;
    sim.store.addRegistrant(webinarKey, {
      firstName: 'New',
      lastName: 'One',
      email: 'late@example.com',
    });
    sim.store.removeRegistrant(webinarKey, byEmail('history1@example.com').registrantKey);
    sim.store.markAttendance(webinarKey, {
      registrantKey: byEmail('history2@example.com').registrantKey,
      attendanceTimeInSeconds: 1200,
    });
    sim.store.setRegistrantStatus(
      webinarKey,
      byEmail('history3@example.com').registrantKey,
      'WAITING',
    );
    const jobId = await syncNow();
    const h = await history();
    expect(h.total).toBe(2);
    const [newest, oldest] = h.items;
    expect(newest.id).toBeGreaterThan(oldest.id);
    expect(newest).toMatchObject({
      jobId,
      added: { count: 1, samples: ['late@example.com'] },
      cancelled: { count: 1, samples: ['history1@example.com'] },
      attended: { count: 1, samples: ['history2@example.com'] },
      statusChanged: { count: 1, samples: ['history3@example.com'] },
    });
    // The job result carries the counts (never the emails).
    const job = await t.http().get(`/api/v1/sync-jobs/${jobId}`).set(account.auth).expect(200);
    expect(JSON.stringify(job.body)).not.toContain('@example.com');
  });

  it('a sync that changes nothing adds no entry; pages are newest first', async () => {
    await syncNow();
    expect((await history()).total).toBe(2);
    const p1 = await history('?page=1&pageSize=1');
    const p2 = await history('?page=2&pageSize=1');
    expect(p1.total).toBe(2);
    expect(p1.items[0].id).toBeGreaterThan(p2.items[0].id);
  });

  it('404 for another account, 400 naming a bad parameter', async () => {
    const other = await t.createAccount();
    await t.http().get(`/api/v1/webinars/${webinarId}/history`).set(other.auth).expect(404);
    const bad = await t
      .http()
      .get(`/api/v1/webinars/${webinarId}/history?pageSize=500`)
      .set(account.auth)
      .expect(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'pageSize' })]);
  });

  it('is kept SYNC_JOB_RETENTION_DAYS (default 14)', async () => {
    expect(t.config.sync.jobRetentionDays).toBe(14);
    const svc = t.app.get(ParticipantHistoryService);
    const newest = new Date((await history()).items[0].syncedAt).getTime();
    expect(await svc.prune(new Date(newest + 13 * 86_400_000))).toBe(0);
    // (the other webinar of the simulator has its own history rows)
    expect(await svc.prune(new Date(newest + 15 * 86_400_000))).toBeGreaterThanOrEqual(2);
    expect((await history()).total).toBe(0);
  });
});
