import { RunningSimulator, startSimulator } from '../../src/simulator/simulator';
import { createOrganizerTestApp, linkOrganizer } from '../support/factories/organizer.factory';
import { drainQueue } from '../support/sync/drain-queue';
import { TestApp } from '../support/test-app';
import { describeEachDialect } from '../support/test-database';

// GET /webinars?search&order: the admin page's list (upcoming and newest first, searchable).
describeEachDialect('webinar list search and order', (dialect) => {
  let sim: RunningSimulator;
  let t: TestApp;
  let account: Awaited<ReturnType<TestApp['createAccount']>>;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, organizers: 1, webinars: 5, registrants: 1 });
    const org = sim.store.listOrganizers()[0];
    const start = sim.store.now().getTime() + 9 * 86_400_000;
    sim.store.addWebinar(org.organizerKey, {
      subject: 'Growth 100%_Special',
      times: [
        {
          startTime: new Date(start).toISOString(),
          endTime: new Date(start + 3600_000).toISOString(),
        },
      ],
    });
    t = await createOrganizerTestApp(dialect, sim);
    account = await t.createAccount();
    expect((await linkOrganizer(t, account, org)).status).toBe(201);
    await drainQueue(t.app, { advanceClock: true });
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

  const list = async (qs: string) =>
    (await t.http().get(`/api/v1/webinars?pageSize=200&${qs}`).set(account.auth).expect(200)).body;

  it('order=desc lists upcoming and newest first; asc stays the default', async () => {
    const asc = await list('');
    const desc = await list('order=desc');
    expect(asc.total).toBe(6);
    const starts = (b: { items: { startsAt: string }[] }) => b.items.map((w) => w.startsAt);
    expect(starts(asc)).toEqual([...starts(asc)].sort());
    expect(starts(desc)).toEqual([...starts(asc)].reverse());
  });

  it('search matches the subject in any case, wildcards literally', async () => {
    expect((await list('search=GROWTH')).items.map((w: { subject: string }) => w.subject)).toEqual([
      'Growth 100%_Special',
    ]);
    expect((await list(`search=${encodeURIComponent('100%_s')}`)).total).toBe(1);
    expect((await list(`search=${encodeURIComponent('%')}`)).total).toBe(1);
    expect((await list(`search=${encodeURIComponent('_')}`)).total).toBe(1);
    expect((await list('search=no-such-webinar')).total).toBe(0);
  });

  it('400 naming a bad order', async () => {
    const res = await t.http().get('/api/v1/webinars?order=sideways').set(account.auth).expect(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'order' })]);
  });
});
