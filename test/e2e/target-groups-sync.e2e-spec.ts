import { DataSource } from 'typeorm';
import { RunningSimulator, startSimulator } from '../../src/simulator/simulator';
import { SYNC_JOB_TYPES, SYNC_PRIORITY } from '../../src/sync/sync-job-types';
import { SyncQueue } from '../../src/sync/sync-queue.service';
import { createOrganizerTestApp, linkOrganizer } from '../support/factories/organizer.factory';
import { drainQueue } from '../support/sync/drain-queue';
import { TestApp } from '../support/test-app';
import { describeEachDialect } from '../support/test-database';

interface GroupBody {
  id: number;
  name: string;
  kind: 'registered' | 'attended' | 'not_attended';
  webinarId: number;
  folderId: number;
  memberCount: number;
}

// The whole flow: link an organizer (GoTo simulator) → the queued sync imports webinars and
// participants → the standard groups exist, in the chosen folder, named in the displayed zone,
// with the members the participant rows say.
describeEachDialect('target groups through the sync', (dialect) => {
  let sim: RunningSimulator;
  let t: TestApp;
  let ds: DataSource;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, organizers: 1, webinars: 4, registrants: 12 });
    t = await createOrganizerTestApp(dialect, sim);
    ds = t.app.get(DataSource);
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

  const allGroups = async (auth: Record<string, string>): Promise<GroupBody[]> => {
    const res = await t.http().get('/api/v1/target-groups?pageSize=200').set(auth).expect(200);
    return res.body.items;
  };

  // Expected member counts per (webinar, kind), straight from webinar_participant by the documented rules.
  async function expectedCounts(accountId: number): Promise<Map<string, number>> {
    const rows: { webinar_id: number; status: number; reg: string }[] = await ds.query(
      `SELECT wp.webinar_id AS webinar_id, wp.webinar_participant_status_id AS status, wp.registration_status AS reg
         FROM webinar_participant wp JOIN webinar w ON w.id = wp.webinar_id WHERE w.account_id = ?`,
      [accountId],
    );
    const counts = new Map<string, number>();
    const inc = (k: string) => counts.set(k, (counts.get(k) ?? 0) + 1);
    for (const r of rows) {
      if (r.reg !== 'cancelled' && r.reg !== 'denied') inc(`${r.webinar_id}:registered`);
      if (Number(r.status) === 2) inc(`${r.webinar_id}:attended`);
      if (Number(r.status) === 1 && r.reg === 'approved') inc(`${r.webinar_id}:not_attended`);
    }
    return counts;
  }

  // One story in order, each rule its own test: link and sync, then change the zone and re-sync,
  // then deactivate.
  describe('after linking an organizer and its first sync', () => {
    let account: Awaited<ReturnType<TestApp['createAccount']>>;
    let folderId: number;
    let organizerId: number;
    let webinars: { id: number; subject: string }[];
    let groups: GroupBody[];
    let after: GroupBody[];
    const org = () => sim.store.listOrganizers()[0];

    beforeAll(async () => {
      account = await t.createAccount();
      const folder = await t
        .http()
        .post('/api/v1/target-group-folders')
        .set(account.auth)
        .send({ name: 'GoTo' })
        .expect(201);
      folderId = folder.body.id;
      await t
        .http()
        .put('/api/v1/webinar-integration/settings')
        .set(account.auth)
        .send({ targetGroupFolderId: folderId, displayedTimeZone: 'Europe/London' })
        .expect(200);
      const linked = await linkOrganizer(t, account, org());
      expect(linked.status).toBe(201);
      organizerId = linked.body.id as number;
      await drainQueue(t.app, { advanceClock: true });
      webinars = await ds.query('SELECT id, subject FROM webinar WHERE account_id = ?', [
        account.id,
      ]);
      groups = await allGroups(account.auth);
    });

    it('creates three groups per webinar', () => {
      expect(webinars.length).toBeGreaterThan(0);
      expect(groups).toHaveLength(webinars.length * 3);
    });

    it('puts them in the chosen folder, named in the displayed zone', () => {
      for (const g of groups) {
        expect(g.folderId).toBe(folderId);
        expect(g.name).toMatch(/ (GMT|BST) - (Registered|Attended|Not Attended)$/);
      }
    });

    it('gives each group the members the participant rows say', async () => {
      const expected = await expectedCounts(account.id);
      expect([...expected.values()].some((n) => n > 0)).toBe(true);
      for (const g of groups)
        expect({ group: g.name, members: g.memberCount }).toEqual({
          group: g.name,
          members: expected.get(`${g.webinarId}:${g.kind}`) ?? 0,
        });
    });

    it("counts each webinar's participants by the same rules as its groups' members", async () => {
      for (const w of webinars) {
        const detail = await t.http().get(`/api/v1/webinars/${w.id}`).set(account.auth).expect(200);
        const size = (kind: string) =>
          groups.find((g) => g.webinarId === Number(w.id) && g.kind === kind)!.memberCount;
        expect(detail.body.counts).toEqual({
          registered: size('registered'),
          attended: size('attended'),
          notAttended: size('not_attended'),
        });
      }
    });

    it("after a zone change, names only the new webinar's groups in the new zone", async () => {
      await t
        .http()
        .put('/api/v1/webinar-integration/settings')
        .set(account.auth)
        .send({ displayedTimeZone: 'Asia/Kolkata' })
        .expect(200);
      const start = new Date(sim.store.now().getTime() + 10 * 86_400_000);
      start.setUTCHours(8, 30, 0, 0);
      sim.store.addWebinar(org().organizerKey, {
        subject: 'Brand New Webinar',
        times: [
          {
            startTime: start.toISOString(),
            endTime: new Date(start.getTime() + 3600_000).toISOString(),
          },
        ],
        registrants: 3,
      });
      await t.app.get(SyncQueue).enqueue({
        type: SYNC_JOB_TYPES.ORGANIZER_FULL_SYNC,
        accountId: account.id,
        organizerId,
        priority: SYNC_PRIORITY.ON_DEMAND,
      });
      await drainQueue(t.app, { advanceClock: true });
      after = await allGroups(account.auth);
      expect(after).toHaveLength(groups.length + 3);
      const fresh = after.filter((g) => g.name.startsWith('Brand New Webinar'));
      expect(fresh.map((g) => g.name)).toEqual(
        ['Registered', 'Attended', 'Not Attended'].map((k) =>
          expect.stringMatching(new RegExp(` 2:00 PM IST - ${k}$`)),
        ),
      );
      expect(fresh.find((g) => g.kind === 'registered')!.memberCount).toBe(3);
    });

    it('keeps the names of the existing groups', () => {
      expect(
        after
          .filter((g) => !g.name.startsWith('Brand New Webinar'))
          .map((g) => g.name)
          .sort(),
      ).toEqual(groups.map((g) => g.name).sort());
    });

    it('deletes nothing when the organizer and the integration are deactivated', async () => {
      await t
        .http()
        .patch(`/api/v1/organizers/${organizerId}`)
        .set(account.auth)
        .send({ active: false })
        .expect(200);
      await t
        .http()
        .put('/api/v1/webinar-integration/settings')
        .set(account.auth)
        .send({ active: false })
        .expect(200);
      await drainQueue(t.app, { advanceClock: true });
      expect((await allGroups(account.auth)).map((g) => g.id).sort()).toEqual(
        after.map((g) => g.id).sort(),
      );
    });
  });
});
