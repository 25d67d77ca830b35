import { DataSource } from 'typeorm';
import { Clock, FakeClock } from '../../src/common/clock';
import { GOTO_WEBINAR_OPTIONS } from '../../src/goto-webinar/goto-webinar.options';
import { OrganizerInfo, RunningSimulator, startSimulator } from '../../src/simulator/simulator';
import { SyncJob } from '../../src/sync/sync-job.entity';
import { drainQueue } from '../support/sync/drain-queue';
import { createTestApp, TestApp } from '../support/test-app';
import { describeEachDialect } from '../support/test-database';

const NOW = new Date('2026-06-15T12:00:00Z');
const DAY = 86_400_000;
type Row = Record<string, unknown>;

// Two organizers of one account see the same webinar (a co-organizer, or a webinar that moved): one
// stable owner, the other's sync counts it as seen, and either keeps its participants current.
describeEachDialect('sync: co-organized webinars (queue + simulator)', (dialect) => {
  let sim: RunningSimulator;
  let t: TestApp;
  let ds: DataSource;
  let auth: { Authorization: string };
  let a: OrganizerInfo, b: OrganizerInfo, c: OrganizerInfo;
  let idA: number, idB: number;
  let shared: string; // owner A in GoTo, B co-organizes
  let foreign: string; // owner C (not linked here), A and B co-organize

  const at = (ms: number) => new Date(NOW.getTime() + ms).toISOString();
  const link = async (o: OrganizerInfo): Promise<number> => {
    const res = await t
      .http()
      .post('/api/v1/organizers')
      .set(auth)
      .send({ email: o.email, password: o.password })
      .expect(201);
    await drainQueue(t.app);
    return res.body.id;
  };
  const lastJobId = async (): Promise<number> =>
    Number((await ds.query('SELECT COALESCE(MAX(id), 0) AS m FROM sync_job'))[0].m);
  /** An organizer's full sync and its participant jobs; the organizer job's result. */
  const syncOrganizer = async (id: number): Promise<{ result: Row; jobs: SyncJob[] }> => {
    const since = await lastJobId();
    const res = await t.http().post(`/api/v1/organizers/${id}/sync`).set(auth).expect(202);
    await drainQueue(t.app);
    const jobs = await ds
      .getRepository(SyncJob)
      .createQueryBuilder('j')
      .where('j.id > :since', { since })
      .getMany();
    const job = jobs.find((j) => j.id === res.body.jobId)!;
    expect(job.status).toBe('succeeded');
    return { result: job.result as Row, jobs };
  };
  const row = async (key: string): Promise<Row> =>
    (
      await ds.query(
        'SELECT id, organizer_id, status, updated_at FROM webinar WHERE webinar_key = ?',
        [key],
      )
    )[0];
  const emails = async (key: string): Promise<string[]> =>
    (
      await ds.query(
        `SELECT s.email FROM webinar_participant p JOIN subscriber s ON s.id = p.subscriber_id
          JOIN webinar w ON w.id = p.webinar_id WHERE w.webinar_key = ?`,
        [key],
      )
    ).map((r: Row) => String(r.email));

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, now: NOW, organizers: 3, webinars: 2, registrants: 3 });
    [a, b, c] = sim.store.listOrganizers();
    t = await createTestApp(dialect, {
      config: { goto: { apiUrl: sim.url, authUrl: sim.url, maxRps: 1000, maxRetries: 1 } },
      override: (m) =>
        m
          .overrideProvider(GOTO_WEBINAR_OPTIONS)
          .useValue({ baseDelayMs: 5, maxDelayMs: 20 })
          .overrideProvider(Clock)
          .useValue(new FakeClock(NOW)),
    });
    ds = t.app.get(DataSource);
    auth = (await t.createAccount('Co-organizers')).auth;
    const times = [{ startTime: at(DAY), endTime: at(DAY + 3_600_000) }];
    shared = sim.store.addWebinar(a.organizerKey, {
      subject: 'Shared',
      times,
      registrants: 2,
    }).webinarKey;
    sim.store.addCoorganizer(shared, b.organizerKey);
    foreign = sim.store.addWebinar(c.organizerKey, {
      subject: 'Foreign',
      times,
      registrants: 2,
    }).webinarKey;
    sim.store.addCoorganizer(foreign, a.organizerKey);
    sim.store.addCoorganizer(foreign, b.organizerKey);
    idA = await link(a);
    idB = await link(b);
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

  it('one stable owner: GoTo’s organizerKey, else the first that linked it; no flips, no rewrites', async () => {
    expect(Number((await row(shared)).organizer_id)).toBe(idA);
    expect(Number((await row(foreign)).organizer_id)).toBe(idA);
    const before = [await row(shared), await row(foreign)];
    for (const id of [idB, idA, idB]) {
      const { result } = await syncOrganizer(id);
      expect(result).toMatchObject({
        webinarsInserted: 0,
        webinarsUpdated: 0,
        webinarsCancelled: 0,
      });
      expect(Number(result.webinarsUnchanged)).toBeGreaterThanOrEqual(2);
    }
    expect([await row(shared), await row(foreign)]).toEqual(before);
  });

  it('either organizer’s sync keeps the participants current, also with the owner deactivated', async () => {
    sim.store.addRegistrant(shared, {
      firstName: 'Via',
      lastName: 'B',
      email: 'via.b@example.com',
    });
    await syncOrganizer(idB);
    expect(await emails(shared)).toContain('via.b@example.com');

    await t.http().patch(`/api/v1/organizers/${idA}`).set(auth).send({ active: false }).expect(200);
    sim.store.addRegistrant(shared, {
      firstName: 'Only',
      lastName: 'B',
      email: 'only.b@example.com',
    });
    const { jobs } = await syncOrganizer(idB);
    const id = Number((await row(shared)).id);
    const job = jobs.find((j) => j.webinarId === id)!;
    expect(job.status).toBe('succeeded');
    expect(job.result).toMatchObject({ readAs: idB });
    expect(await emails(shared)).toContain('only.b@example.com');
    expect(Number((await row(shared)).organizer_id)).toBe(idA);
    await t.http().patch(`/api/v1/organizers/${idA}`).set(auth).send({ active: true }).expect(200);
    await drainQueue(t.app);
  });

  it('absent from the co-organizer’s list while the owner still has it: not cancelled', async () => {
    sim.store.removeCoorganizer(shared, b.organizerKey);
    const { result } = await syncOrganizer(idB);
    expect(result).toMatchObject({ webinarsCancelled: 0 });
    expect(await row(shared)).toMatchObject({ status: 'scheduled' });
    expect(Number((await row(shared)).organizer_id)).toBe(idA);
  });

  it('a webinar that moved in GoTo goes to the organizer GoTo names; the old one does not cancel it', async () => {
    sim.store.transferWebinar(foreign, b.organizerKey);
    await syncOrganizer(idB);
    expect(Number((await row(foreign)).organizer_id)).toBe(idB);
    const { result } = await syncOrganizer(idA);
    expect(result).toMatchObject({ webinarsCancelled: 0, webinarsUpdated: 0 });
    expect(await row(foreign)).toMatchObject({ status: 'scheduled' });
    expect(Number((await row(foreign)).organizer_id)).toBe(idB);
  });

  it('gone from its owner’s list: cancelled', async () => {
    sim.store.cancelWebinar(shared);
    const { result } = await syncOrganizer(idA);
    expect(result).toMatchObject({ webinarsCancelled: 1 });
    expect(await row(shared)).toMatchObject({ status: 'cancelled' });
  });
});
