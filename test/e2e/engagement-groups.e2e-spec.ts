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
  kind: string;
  webinarId: number;
  folderId: number;
  memberCount: number;
  engagementMinutes: number | null;
}

// Engagement groups: `engagementMinutes` in the settings adds an `Engaged (≥ N min)` group per
// webinar, with the threshold frozen on the group.
describeEachDialect('engagement groups', (dialect) => {
  let sim: RunningSimulator;
  let t: TestApp;
  let ds: DataSource;
  let account: Awaited<ReturnType<TestApp['createAccount']>>;
  let organizerId: number;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, organizers: 1, webinars: 4, registrants: 20 });
    t = await createOrganizerTestApp(dialect, sim);
    ds = t.app.get(DataSource);
    account = await t.createAccount();
    const linked = await linkOrganizer(t, account, sim.store.listOrganizers()[0]);
    expect(linked.status).toBe(201);
    organizerId = linked.body.id;
    await drainQueue(t.app, { advanceClock: true });
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

  const settings = (body: Record<string, unknown>) =>
    t.http().put('/api/v1/webinar-integration/settings').set(account.auth).send(body);
  const groups = async (): Promise<GroupBody[]> =>
    (await t.http().get('/api/v1/target-groups?pageSize=200').set(account.auth).expect(200)).body
      .items;
  // Engaged members per webinar for a threshold, counted here from the stored rows.
  async function engagedByWebinar(minutes: number): Promise<Map<number, number>> {
    const rows: { webinar_id: number; status: number; secs: number }[] = await ds.query(
      `SELECT wp.webinar_id AS webinar_id, wp.webinar_participant_status_id AS status,
              wp.attendance_seconds AS secs
         FROM webinar_participant wp JOIN webinar w ON w.id = wp.webinar_id WHERE w.account_id = ?`,
      [account.id],
    );
    const out = new Map<number, number>();
    for (const r of rows)
      if (Number(r.status) === 2 && Number(r.secs) >= minutes * 60)
        out.set(Number(r.webinar_id), (out.get(Number(r.webinar_id)) ?? 0) + 1);
    return out;
  }
  // A threshold that splits the attendees: the median attended minutes.
  async function splittingMinutes(): Promise<number> {
    const rows: { secs: number }[] = await ds.query(
      `SELECT wp.attendance_seconds AS secs FROM webinar_participant wp JOIN webinar w ON w.id = wp.webinar_id
        WHERE w.account_id = ? AND wp.webinar_participant_status_id = 2 ORDER BY wp.attendance_seconds`,
      [account.id],
    );
    expect(rows.length).toBeGreaterThan(2);
    return Math.max(1, Math.ceil(Number(rows[Math.floor(rows.length / 2)].secs) / 60));
  }

  it.each([0, -5, 1441, 2.5, '30', true])(
    'refuses engagementMinutes=%p with a 400 naming the field',
    async (value) => {
      const res = await settings({ engagementMinutes: value }).expect(400);
      expect(res.body.errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ field: 'engagementMinutes' })]),
      );
    },
  );

  it('is off by default: three groups per webinar', async () => {
    const res = await t
      .http()
      .get('/api/v1/webinar-integration/settings')
      .set(account.auth)
      .expect(200);
    expect(res.body.engagementMinutes).toBeNull();
    const all = await groups();
    expect(all.some((g) => g.kind === 'engaged')).toBe(false);
  });

  let engaged: GroupBody[] = [];
  let firstN = 0;
  it('switching it on gives existing webinars the engaged group, in the same folder, with the right members', async () => {
    firstN = await splittingMinutes();
    const res = await settings({ engagementMinutes: firstN }).expect(200);
    expect(res.body.engagementMinutes).toBe(firstN);
    const all = await groups();
    const webinarIds = [...new Set(all.map((g) => g.webinarId))];
    engaged = all.filter((g) => g.kind === 'engaged');
    expect(engaged).toHaveLength(webinarIds.length);
    const expected = await engagedByWebinar(firstN);
    const attendedSum = all
      .filter((g) => g.kind === 'attended')
      .reduce((a, g) => a + g.memberCount, 0);
    const engagedSum = engaged.reduce((a, g) => a + g.memberCount, 0);
    expect(engagedSum).toBeGreaterThan(0);
    expect(engagedSum).toBeLessThan(attendedSum); // the threshold really filters
    for (const g of engaged) {
      const registered = all.find((x) => x.webinarId === g.webinarId && x.kind === 'registered')!;
      expect(g.folderId).toBe(registered.folderId);
      expect(g.engagementMinutes).toBe(firstN);
      expect(g.name).toBe(registered.name.replace(/Registered$/, `Engaged (≥ ${firstN} min)`));
      expect(g.memberCount).toBe(expected.get(g.webinarId) ?? 0);
      const members = await t
        .http()
        .get(`/api/v1/target-groups/${g.id}/members?pageSize=200`)
        .set(account.auth)
        .expect(200);
      expect(members.body.total).toBe(g.memberCount);
    }
    // Idempotent: the same value again creates nothing.
    await settings({ engagementMinutes: firstN }).expect(200);
    expect((await groups()).length).toBe(all.length);
  });

  /** A new one-hour webinar `daysAhead` days out in GoTo, then a full sync of the organizer. */
  const addWebinarAndSync = async (subject: string, daysAhead: number) => {
    const start = new Date(sim.store.now().getTime() + daysAhead * 86_400_000);
    sim.store.addWebinar(sim.store.listOrganizers()[0].organizerKey, {
      subject,
      times: [
        {
          startTime: start.toISOString(),
          endTime: new Date(start.getTime() + 3600_000).toISOString(),
        },
      ],
      registrants: 2,
    });
    await t.app.get(SyncQueue).enqueue({
      type: SYNC_JOB_TYPES.ORGANIZER_FULL_SYNC,
      accountId: account.id,
      organizerId,
      priority: SYNC_PRIORITY.ON_DEMAND,
    });
    await drainQueue(t.app, { advanceClock: true });
  };

  it('changing N names only groups created afterwards; existing ones keep their threshold and members', async () => {
    const newN = firstN + 7;
    await settings({ engagementMinutes: newN }).expect(200);
    await addWebinarAndSync('Engagement Later', 5);
    const all = await groups();
    const old = all.filter((g) => engaged.some((e) => e.id === g.id));
    expect(old.map((g) => [g.name, g.engagementMinutes, g.memberCount])).toEqual(
      engaged.map((g) => [g.name, firstN, g.memberCount]),
    );
    const fresh = all.filter((g) => g.name.startsWith('Engagement Later'));
    expect(fresh.map((g) => g.kind).sort()).toEqual([
      'attended',
      'engaged',
      'not_attended',
      'registered',
    ]);
    expect(fresh.find((g) => g.kind === 'engaged')!.name).toMatch(
      new RegExp(` - Engaged \\(≥ ${newN} min\\)$`),
    );
  });

  it('switching it off adds no engaged group to new webinars and deletes none', async () => {
    const before = await groups();
    await settings({ engagementMinutes: null }).expect(200);
    await addWebinarAndSync('Engagement Off', 6);
    const after = await groups();
    expect(
      after
        .filter((g) => g.name.startsWith('Engagement Off'))
        .map((g) => g.kind)
        .sort(),
    ).toEqual(['attended', 'not_attended', 'registered']);
    expect(after.filter((g) => g.kind === 'engaged').length).toBe(
      before.filter((g) => g.kind === 'engaged').length,
    );
  });
});
