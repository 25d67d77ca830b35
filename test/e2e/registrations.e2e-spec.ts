import { DataSource } from 'typeorm';
import { Subscriber } from '../../src/participants/subscriber.entity';
import { TargetGroup } from '../../src/target-groups/target-group.entity';
import { RunningSimulator, startSimulator } from '../../src/simulator/simulator';
import { SYNC_PRIORITY } from '../../src/sync/sync-job-types';
import { createOrganizerTestApp, linkOrganizer } from '../support/factories/organizer.factory';
import { drainQueue } from '../support/sync/drain-queue';
import { TestApp } from '../support/test-app';
import { describeEachDialect } from '../support/test-database';

const DAY = 86_400_000;

// Registering subscribers in GoTo: per-person outcomes, idempotent, low priority, the registrant
// key and join link on the participant, and the simulator's create-registrant rules.
describeEachDialect('registrations', (dialect) => {
  let sim: RunningSimulator;
  let t: TestApp;
  let ds: DataSource;
  let account: Awaited<ReturnType<TestApp['createAccount']>>;
  let upcomingKey: string;
  let upcomingId: number;
  let pastId: number;
  let people: { id: number; email: string }[];
  let invalidId: number;

  const addWebinar = (subject: string, startMs: number, registrationLimit?: number) =>
    sim.store.addWebinar(sim.store.listOrganizers()[0].organizerKey, {
      subject,
      times: [
        {
          startTime: new Date(startMs).toISOString(),
          endTime: new Date(startMs + 3600_000).toISOString(),
        },
      ],
      registrants: 0,
      registrationLimit,
    }).webinarKey;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, organizers: 1, webinars: 1, registrants: 2 });
    const now = sim.store.now().getTime();
    const source = addWebinar('Source', now - 3 * DAY);
    for (let i = 0; i < 8; i++)
      sim.store.addRegistrant(source, {
        firstName: `S${i}`,
        lastName: 'Reg',
        email: `sub${i}@example.com`,
      });
    upcomingKey = addWebinar('Upcoming', now + 5 * DAY, 6);
    sim.store.addRegistrant(upcomingKey, { firstName: 'A', lastName: 'A', email: 'a@example.com' });
    sim.store.addRegistrant(upcomingKey, { firstName: 'B', lastName: 'B', email: 'b@example.com' });
    addWebinar('Past', now - 2 * DAY);
    t = await createOrganizerTestApp(dialect, sim);
    ds = t.app.get(DataSource);
    account = await t.createAccount();
    expect((await linkOrganizer(t, account, sim.store.listOrganizers()[0])).status).toBe(201);
    await drainQueue(t.app, { advanceClock: true });
    const ids = async (subject: string) =>
      Number(
        (
          await ds.query('SELECT id FROM webinar WHERE account_id = ? AND subject = ?', [
            account.id,
            subject,
          ])
        )[0].id,
      );
    upcomingId = await ids('Upcoming');
    pastId = await ids('Past');
    people = (
      await ds.query(
        `SELECT id, email FROM subscriber WHERE account_id = ? AND email LIKE 'sub%@example.com' ORDER BY email`,
        [account.id],
      )
    ).map((r: { id: number; email: string }) => ({ id: Number(r.id), email: r.email }));
    expect(people).toHaveLength(8);
    // A subscriber whose address GoTo would refuse (the email platform's own data).
    await ds.getRepository(Subscriber).insert({ accountId: account.id, email: 'not-an-email' });
    invalidId = Number(
      (
        await ds.query(
          `SELECT id FROM subscriber WHERE account_id = ? AND email = 'not-an-email'`,
          [account.id],
        )
      )[0].id,
    );
    // sub0 registers in GoTo on their own, after the sync: GoTo will answer 409.
    sim.store.addRegistrant(upcomingKey, {
      firstName: 'S0',
      lastName: 'Reg',
      email: people[0].email,
    });
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

  const post = (webinarId: number, body: object, auth = account.auth) =>
    t.http().post(`/api/v1/webinars/${webinarId}/registrations`).set(auth).send(body);
  const outcomes = async () =>
    (
      await t
        .http()
        .get(`/api/v1/webinars/${upcomingId}/registrations?pageSize=200`)
        .set(account.auth)
        .expect(200)
    ).body;

  it('registers each person and reports every outcome', async () => {
    const res = await post(upcomingId, {
      subscriberIds: [...people.map((p) => p.id), invalidId, 99_999_999],
    }).expect(202);
    expect(res.body).toEqual({
      jobId: expect.any(Number),
      requested: 10,
      queued: 9,
      alreadyRequested: 0,
      unknownSubscribers: 1,
    });
    const [job] = await ds.query('SELECT priority, type FROM sync_job WHERE id = ?', [
      res.body.jobId,
    ]);
    expect(Number(job.priority)).toBe(SYNC_PRIORITY.REGISTRATION);
    expect(SYNC_PRIORITY.REGISTRATION).toBeLessThan(SYNC_PRIORITY.PERIODIC);
    await drainQueue(t.app, { advanceClock: true });

    const body = await outcomes();
    expect(body.counts).toEqual({
      pending: 0,
      registered: 3, // sub1..sub3: the seats left (limit 6: a, b, sub0 and three more)
      already_registered: 1, // sub0: GoTo's 409, linked to the existing registrant
      refused: 4, // sub4..sub7: the webinar is full
      invalid_email: 1,
    });
    const by = new Map<string, Record<string, unknown>>(
      body.items.map((i: Record<string, unknown>) => [String(i.email), i]),
    );
    const existing = sim.store
      .listRegistrants(upcomingKey)
      .find((r) => r.email === people[0].email)!;
    expect(by.get(people[0].email)).toMatchObject({
      outcome: 'already_registered',
      registrantKey: existing.registrantKey,
    });
    expect(by.get(people[5].email)).toMatchObject({
      outcome: 'refused',
      reason: expect.stringMatching(/full/),
    });
    expect(by.get('not-an-email')).toMatchObject({ outcome: 'invalid_email' });

    // The registrant key and join link are on the participants.
    const stored: { email: string; registrant_key: string; join_url: string | null }[] =
      await ds.query(
        `SELECT s.email AS email, p.registrant_key AS registrant_key, p.join_url AS join_url
         FROM webinar_participant p JOIN subscriber s ON s.id = p.subscriber_id WHERE p.webinar_id = ?`,
        [upcomingId],
      );
    const gotoRegs = sim.store.listRegistrants(upcomingKey);
    for (const p of people.slice(0, 4)) {
      const row = stored.find((s) => s.email === p.email)!;
      const reg = gotoRegs.find((r) => r.email === p.email)!;
      expect(row.registrant_key).toBe(reg.registrantKey);
      expect(row.join_url).toBe(reg.joinUrl);
    }
    expect(gotoRegs).toHaveLength(6);
  });

  it('is idempotent: asking again registers nobody twice (only the refused are tried again)', async () => {
    const res = await post(upcomingId, { subscriberIds: people.map((p) => p.id) }).expect(202);
    expect(res.body).toMatchObject({ requested: 8, queued: 4, alreadyRequested: 4 });
    await drainQueue(t.app, { advanceClock: true });
    const emails = sim.store.listRegistrants(upcomingKey).map((r) => r.email);
    expect(emails).toHaveLength(6);
    expect(new Set(emails).size).toBe(6);
    expect((await outcomes()).counts.registered).toBe(3);
  });

  it('registers a target group', async () => {
    const groups = await t
      .http()
      .get('/api/v1/target-groups?pageSize=200')
      .set(account.auth)
      .expect(200);
    const source = groups.body.items.find(
      (g: { name: string; kind: string }) => g.name.startsWith('Source') && g.kind === 'registered',
    );
    const res = await post(upcomingId, { targetGroupId: source.id }).expect(202);
    expect(res.body.requested).toBe(source.memberCount);
    expect(res.body.alreadyRequested).toBeGreaterThanOrEqual(4); // registered or already registered before
    await drainQueue(t.app, { advanceClock: true });
    expect(sim.store.listRegistrants(upcomingKey)).toHaveLength(6);
  });

  it('refuses bad input with a clear 4xx', async () => {
    const field = async (body: object, name: string) => {
      const res = await post(upcomingId, body).expect(400);
      expect(res.body.errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ field: name })]),
      );
    };
    await field({}, 'targetGroupId');
    await field({ targetGroupId: 1, subscriberIds: [1] }, 'targetGroupId');
    await field({ subscriberIds: [] }, 'subscriberIds');
    await field({ subscriberIds: ['x'] }, 'subscriberIds');
    await field(
      { subscriberIds: Array.from({ length: 10_001 }, (_, i) => i + 1) },
      'subscriberIds',
    );
    expect(
      (await post(pastId, { subscriberIds: [people[0].id] }).expect(409)).body.message,
    ).toMatch(/over/);
    const other = await t.createAccount();
    const [g] = await ds.query('SELECT id FROM target_group WHERE account_id = ?', [account.id]);
    await post(upcomingId, { targetGroupId: g.id }, other.auth).expect(404);
    const foreignFolder = await t
      .http()
      .post('/api/v1/target-group-folders')
      .set(other.auth)
      .send({ name: 'x' })
      .expect(201);
    expect(foreignFolder.body.id).toEqual(expect.any(Number));
    // a group id of another account, asked by this account
    const [og] = await ds.query('SELECT MAX(id) AS id FROM target_group');
    await ds
      .getRepository(TargetGroup)
      .insert({ accountId: other.id, folderId: foreignFolder.body.id, name: 'foreign' });
    await post(upcomingId, { targetGroupId: Number(og.id) + 1 }).expect(404);
    await ds.query(`UPDATE webinar SET status = 'cancelled' WHERE id = ?`, [upcomingId]);
    expect(
      (await post(upcomingId, { subscriberIds: [people[0].id] }).expect(409)).body.message,
    ).toMatch(/cancelled/);
  });
});
