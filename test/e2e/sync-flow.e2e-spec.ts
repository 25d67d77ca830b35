import { DataSource } from 'typeorm';
import { Clock, FakeClock } from '../../src/common/clock';
import { GOTO_WEBINAR_OPTIONS } from '../../src/goto-webinar/goto-webinar.options';
import { RunningSimulator, startSimulator } from '../../src/simulator/simulator';
import { SyncJob } from '../../src/sync/sync-job.entity';
import { expectedParticipants, expectedWebinars } from '../support/factories/webinar-expectations';
import { drainQueue } from '../support/sync/drain-queue';
import { createTestApp, TestApp } from '../support/test-app';
import { describeEachDialect } from '../support/test-database';

const DAY = 86_400_000;
type Account = Awaited<ReturnType<TestApp['createAccount']>>;
type Row = Record<string, unknown>;

describeEachDialect('sync flow (queue + simulator)', (dialect) => {
  // A DATETIME parameter: SQLite keeps UTC text, mysql2 binds a Date.
  const sqlTime = (d: Date) =>
    dialect === 'sqlite' ? d.toISOString().replace('T', ' ').replace('Z', '') : d;
  let sim: RunningSimulator;
  let t: TestApp;
  let ds: DataSource;
  let account: Account;
  let organizerId: number;
  let orgKey: string;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, seed: 7, organizers: 2, webinars: 14, registrants: 40 });
    t = await createTestApp(dialect, {
      config: { goto: { apiUrl: sim.url, authUrl: sim.url, maxRps: 1000, maxRetries: 3 } },
      // A FakeClock (at the real now) so the queue's backoff can be skipped by drainQueue.
      override: (b) =>
        b
          .overrideProvider(GOTO_WEBINAR_OPTIONS)
          .useValue({ baseDelayMs: 5, maxDelayMs: 20 })
          .overrideProvider(Clock)
          .useValue(new FakeClock(new Date())),
    });
    ds = t.app.get(DataSource);
    account = await t.createAccount('Sync flow');
    const org = sim.store.listOrganizers()[0];
    orgKey = org.organizerKey;
    const res = await t
      .http()
      .post('/api/v1/organizers')
      .set(account.auth)
      .send({ email: org.email, password: org.password })
      .expect(201);
    organizerId = res.body.id;
    expect(res.body.initialSyncJobId).toEqual(expect.any(Number));
    await drainQueue(t.app, { advanceClock: true });
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

  const webinarRows = (): Promise<Row[]> =>
    ds.query(
      'SELECT id, webinar_key, subject, status, recurrence_type, sessions FROM webinar WHERE account_id = ? ORDER BY id',
      [account.id],
    );
  const participantRows = (webinarId: number): Promise<Row[]> =>
    ds.query(
      `SELECT s.email, p.registrant_key, p.webinar_participant_status_id AS status_id, p.registration_status,
              p.attendance_seconds, p.sessions_attended
         FROM webinar_participant p JOIN subscriber s ON s.id = p.subscriber_id WHERE p.webinar_id = ?`,
      [webinarId],
    );
  const webinarIdOf = async (key: string): Promise<number> =>
    Number(
      (
        await ds.query('SELECT id FROM webinar WHERE account_id = ? AND webinar_key = ?', [
          account.id,
          key,
        ])
      )[0].id,
    );
  const jobsSince = (id: number): Promise<SyncJob[]> =>
    ds
      .getRepository(SyncJob)
      .createQueryBuilder('j')
      .where('j.id > :id AND j.accountId = :a', { id, a: account.id })
      .getMany();
  const lastJobId = async (): Promise<number> =>
    Number((await ds.query('SELECT COALESCE(MAX(id), 0) AS m FROM sync_job'))[0].m);
  const syncOrganizer = async () => {
    await t.http().post(`/api/v1/organizers/${organizerId}/sync`).set(account.auth).expect(202);
    await drainQueue(t.app, { advanceClock: true });
  };
  const syncWebinar = async (webinarId: number) => {
    const res = await t
      .http()
      .post(`/api/v1/webinars/${webinarId}/sync`)
      .set(account.auth)
      .expect(202);
    expect(res.body).toEqual({ jobId: expect.any(Number) });
    await drainQueue(t.app, { advanceClock: true });
    return res.body.jobId as number;
  };
  const jobResult = async (id: number) =>
    (await ds.getRepository(SyncJob).findOneByOrFail({ id })).result as Row;

  it('full sync: exactly the webinars GoTo lists in the window, with 64-bit keys exact', async () => {
    const expected = expectedWebinars(sim, orgKey, new Date());
    const rows = await webinarRows();
    expect(rows.map((r) => String(r.webinar_key)).sort()).toEqual(
      expected.map((w) => w.webinarKey).sort(),
    );
    expect(expected.some((w) => BigInt(w.webinarKey) > BigInt(Number.MAX_SAFE_INTEGER))).toBe(true);
    for (const w of expected) {
      const row = rows.find((r) => r.webinar_key === w.webinarKey)!;
      expect(row.subject).toBe(w.subject);
      expect(row.recurrence_type).toBe(w.recurrenceType);
      const lastEnd = Math.max(...w.times.map((x) => Date.parse(x.endTime)));
      expect(row.status).toBe(lastEnd <= Date.now() ? 'ended' : 'scheduled');
      expect(
        JSON.parse(String(row.sessions)).map((s: { startTime: string }) => Date.parse(s.startTime)),
      ).toEqual(w.times.map((x) => Date.parse(x.startTime)).sort((a, b) => a - b));
    }
    // the other organizer's webinars are not ours
    const otherKeys = sim.store
      .listWebinars(sim.store.listOrganizers()[1].organizerKey)
      .map((w) => w.webinarKey);
    expect(rows.some((r) => otherKeys.includes(String(r.webinar_key)))).toBe(false);
  });

  it('full sync: exactly the expected participants and subscribers, statuses included', async () => {
    const allEmails = new Set<string>();
    let attendedSomewhere = 0;
    for (const w of expectedWebinars(sim, orgKey, new Date())) {
      const expected = expectedParticipants(sim, w.webinarKey);
      const rows = await participantRows(await webinarIdOf(w.webinarKey));
      expect(rows.map((r) => r.email).sort()).toEqual([...expected.keys()].sort());
      for (const r of rows) {
        const e = expected.get(String(r.email))!;
        expect([
          Number(r.status_id),
          r.registration_status,
          Number(r.attendance_seconds),
          Number(r.sessions_attended),
        ]).toEqual([e.statusId, e.registrationStatus, e.attendanceSeconds, e.sessionsAttended]);
        allEmails.add(String(r.email));
        if (e.statusId === 2) attendedSomewhere++;
      }
    }
    expect(attendedSomewhere).toBeGreaterThan(0);
    // registrant keys (64-bit, above 2^53) stored exactly as GoTo sent them
    const w = expectedWebinars(sim, orgKey, new Date()).find(
      (x) => sim.store.listRegistrants(x.webinarKey).length > 0,
    )!;
    const simKeys = new Set([
      ...sim.store.listRegistrants(w.webinarKey).map((r) => r.registrantKey),
      ...sim.store.listAttendees(w.webinarKey).map((a) => a.registrantKey),
    ]);
    const storedKeys = (await participantRows(await webinarIdOf(w.webinarKey))).map((r) =>
      String(r.registrant_key),
    );
    expect(storedKeys.length).toBeGreaterThan(0);
    expect(storedKeys.every((k) => simKeys.has(k))).toBe(true);
    expect(storedKeys.some((k) => BigInt(k) > BigInt(Number.MAX_SAFE_INTEGER))).toBe(true);
    const subs: Row[] = await ds.query('SELECT email FROM subscriber WHERE account_id = ?', [
      account.id,
    ]);
    expect(subs.map((s) => s.email).sort()).toEqual([...allEmails].sort());
  });

  it('duplicate and mixed-case emails: one subscriber, one participant; the dataset has both cases', async () => {
    const regs = expectedWebinars(sim, orgKey, new Date()).flatMap((w) =>
      sim.store.listRegistrants(w.webinarKey),
    );
    expect(regs.some((r) => r.email !== r.email.toLowerCase())).toBe(true);
    const subs: Row[] = await ds.query('SELECT email FROM subscriber WHERE account_id = ?', [
      account.id,
    ]);
    expect(subs.every((s) => s.email === String(s.email).toLowerCase().trim())).toBe(true);
    expect(new Set(subs.map((s) => s.email)).size).toBe(subs.length);
  });

  it('an attendee without registration is an attended participant', async () => {
    const w = expectedWebinars(sim, orgKey, new Date()).find((x) => x.sessions.length > 0)!;
    sim.store.markAttendance(w.webinarKey, {
      email: 'Walk.In.Only@Example.com',
      firstName: 'Walk',
      lastName: 'In',
      timeIndex: 0,
    });
    const webinarId = await webinarIdOf(w.webinarKey);
    await syncWebinar(webinarId);
    const row = (await participantRows(webinarId)).find(
      (r) => r.email === 'walk.in.only@example.com',
    )!;
    expect([Number(row.status_id), row.registration_status]).toEqual([2, 'approved']);
    const res = await t
      .http()
      .get(`/api/v1/webinars/${webinarId}/participants?status=attended&pageSize=200`)
      .set(account.auth)
      .expect(200);
    expect(res.body.items.map((p: { email: string }) => p.email)).toContain(
      'walk.in.only@example.com',
    );
  });

  it('a sequence webinar attended in one of its two sessions', async () => {
    const base = Date.now() - 20 * DAY;
    const w = sim.store.addWebinar(orgKey, {
      subject: 'Two-part sequence',
      recurrenceType: 'sequence',
      times: [
        {
          startTime: new Date(base).toISOString(),
          endTime: new Date(base + 3_600_000).toISOString(),
        },
        {
          startTime: new Date(base + 7 * DAY).toISOString(),
          endTime: new Date(base + 7 * DAY + 3_600_000).toISOString(),
        },
      ],
    });
    const a = sim.store.addRegistrant(w.webinarKey, {
      firstName: 'Seq',
      lastName: 'One',
      email: 'seq.one@example.com',
    });
    sim.store.addRegistrant(w.webinarKey, {
      firstName: 'Seq',
      lastName: 'Two',
      email: 'seq.two@example.com',
    });
    sim.store.markAttendance(w.webinarKey, {
      registrantKey: a.registrantKey,
      timeIndex: 1,
      attendanceTimeInSeconds: 1234,
    });
    await syncOrganizer();
    const webinarId = await webinarIdOf(w.webinarKey);
    const rows = await participantRows(webinarId);
    const one = rows.find((r) => r.email === 'seq.one@example.com')!;
    const two = rows.find((r) => r.email === 'seq.two@example.com')!;
    expect([
      Number(one.status_id),
      Number(one.attendance_seconds),
      Number(one.sessions_attended),
    ]).toEqual([2, 1234, 1]);
    expect([Number(two.status_id), Number(two.sessions_attended)]).toEqual([1, 0]);
    const detail = await t
      .http()
      .get(`/api/v1/webinars/${webinarId}`)
      .set(account.auth)
      .expect(200);
    // the simulator adds a few walk-ins to every completed session: expectations from its dataset
    const expected = [...expectedParticipants(sim, w.webinarKey).values()];
    expect(rows).toHaveLength(expected.length);
    expect(detail.body).toMatchObject({
      webinarKey: w.webinarKey,
      recurrenceType: 'sequence',
      counts: {
        registered: expected.length,
        attended: expected.filter((p) => p.statusId === 2).length,
        notAttended: expected.filter((p) => p.statusId === 1).length,
      },
    });
    expect(detail.body.sessions).toHaveLength(2);
    expect(detail.body.participantsSyncedAt).toEqual(expect.any(String));
  });

  it('a registrant cancelled between syncs is kept with registration cancelled', async () => {
    const w = expectedWebinars(sim, orgKey, new Date()).find(
      (x) => sim.store.listRegistrants(x.webinarKey).length > 3,
    )!;
    const victim = sim.store
      .listRegistrants(w.webinarKey)
      .find((r) => /@/.test(r.email) && r.email.trim() === r.email)!;
    sim.store.removeRegistrant(w.webinarKey, victim.registrantKey);
    const webinarId = await webinarIdOf(w.webinarKey);
    const jobId = await syncWebinar(webinarId);
    const row = (await participantRows(webinarId)).find(
      (r) => r.email === victim.email.toLowerCase(),
    )!;
    expect(row.registration_status).toBe('cancelled');
    expect(await jobResult(jobId)).toMatchObject({ participantsCancelled: 1 });
  });

  it('a webinar deleted in GoTo becomes cancelled; its participants stay', async () => {
    const w = expectedWebinars(sim, orgKey, new Date()).find(
      (x) => sim.store.listRegistrants(x.webinarKey).length > 0,
    )!;
    const webinarId = await webinarIdOf(w.webinarKey);
    const before = (await participantRows(webinarId)).length;
    expect(before).toBeGreaterThan(0);
    sim.store.deleteWebinar(w.webinarKey);
    await syncOrganizer();
    const [row] = await ds.query('SELECT status FROM webinar WHERE id = ?', [webinarId]);
    expect(row.status).toBe('cancelled');
    expect(await participantRows(webinarId)).toHaveLength(before);
    await t.http().post(`/api/v1/webinars/${webinarId}/sync`).set(account.auth).expect(409);
  });

  it('a re-sync with no change in GoTo writes nothing', async () => {
    const since = await lastJobId();
    const counts = async () => [
      (await ds.query('SELECT COUNT(*) AS n FROM subscriber WHERE account_id = ?', [account.id]))[0]
        .n,
      (
        await ds.query('SELECT MAX(updated_at) AS m FROM webinar WHERE account_id = ?', [
          account.id,
        ])
      )[0].m,
      (
        await ds.query(
          'SELECT MAX(p.updated_at) AS m FROM webinar_participant p JOIN webinar w ON w.id = p.webinar_id WHERE w.account_id = ?',
          [account.id],
        )
      )[0].m,
    ];
    const before = await counts();
    await syncOrganizer();
    const jobs = await jobsSince(since);
    expect(jobs.length).toBeGreaterThan(1);
    expect(jobs.every((j) => j.status === 'succeeded')).toBe(true);
    expect(jobs.reduce((n, j) => n + Number((j.result as Row).rowsWritten ?? 0), 0)).toBe(0);
    expect(await counts()).toEqual(before);
  });

  it('periodic sync: right after a full sync nothing is due; a day later, exactly the webinars that can still change', async () => {
    const { SyncQueue } = await import('../../src/sync/sync-queue.service');
    const periodic = async () => {
      const since = await lastJobId();
      await t.app
        .get(SyncQueue)
        .enqueue({ type: 'organizer_periodic_sync', accountId: account.id, organizerId });
      sim.counters.reset();
      await drainQueue(t.app, { advanceClock: true });
      const jobs = await jobsSince(since);
      expect(jobs.reduce((n, j) => n + Number((j.result as Row).rowsWritten ?? 0), 0)).toBe(0);
      return jobs.filter((j) => j.type === 'webinar_participants_sync').map((j) => j.webinarId);
    };
    // Every participant list was just read: the periodic sync re-lists the webinars only.
    expect(await periodic()).toEqual([]);
    expect(sim.counters.read().total).toBe(1);

    // A day later (as the schedule sees it): every upcoming webinar and every one that ended within
    // SYNC_HOT_DAYS is due again; the ones that ended long ago are not.
    await ds.query(
      'UPDATE webinar SET participants_checked_at = ? WHERE account_id = ? AND participants_checked_at IS NOT NULL',
      [sqlTime(new Date(Date.now() - 25 * 3_600_000)), account.id],
    );
    const hot = (
      await ds.query('SELECT id, ends_at FROM webinar WHERE account_id = ? AND status <> ?', [
        account.id,
        'cancelled',
      ])
    ).filter(
      (r: Row) =>
        new Date(
          r.ends_at instanceof Date ? r.ends_at : `${String(r.ends_at).replace(' ', 'T')}Z`,
        ).getTime() >=
        Date.now() - 7 * DAY,
    );
    expect(hot.length).toBeGreaterThan(0);
    expect((await periodic()).sort()).toEqual(hot.map((r: Row) => Number(r.id)).sort());
  });

  it('faults mid-sync: a 5xx storm and an expired token are retried; malformed JSON fails only that webinar, data intact, retry completes', async () => {
    const ws = expectedWebinars(sim, orgKey, new Date()).filter(
      (x) => sim.store.listRegistrants(x.webinarKey).length > 0,
    );
    const [bad, other] = ws;
    const badId = await webinarIdOf(bad.webinarKey);
    const before = await participantRows(badId);
    // a change GoTo-side so a successful sync has something to write
    sim.store.addRegistrant(bad.webinarKey, {
      firstName: 'Late',
      lastName: 'Comer',
      email: 'late.comer@example.com',
    });
    sim.store.addRegistrant(other.webinarKey, {
      firstName: 'Late',
      lastName: 'Comer',
      email: 'late.comer@example.com',
    });

    // more 503s than the client's own retries (3): the queue retries the job later
    sim.faults.inject({
      type: 'status',
      status: 503,
      count: 6,
      path: `webinars/${other.webinarKey}/registrants`,
    });
    sim.store.expireTokens();
    sim.faults.inject({ type: 'malformed-json', path: `webinars/${bad.webinarKey}/registrants` });
    const since = await lastJobId();
    await syncOrganizer();
    const jobs = await jobsSince(since);
    const badJob = jobs.find((j) => j.webinarId === badId)!;
    expect(badJob.status).toBe('failed');
    expect(badJob.lastError).toMatch(/malformed|JSON/i);
    expect(
      jobs.filter((j) => j.webinarId !== badId && j.status !== 'succeeded').map((j) => j.lastError),
    ).toEqual([]);
    const otherId = await webinarIdOf(other.webinarKey);
    expect(jobs.find((j) => j.webinarId === otherId)!.attempts).toBeGreaterThan(1);
    expect(await participantRows(badId)).toEqual(before);
    const otherRows = await participantRows(await webinarIdOf(other.webinarKey));
    expect(otherRows.map((r) => r.email)).toContain('late.comer@example.com');

    sim.faults.clear();
    await syncWebinar(badId);
    const after = await participantRows(badId);
    expect(after.map((r) => r.email)).toContain('late.comer@example.com');
    expect(after).toHaveLength(before.length + 1);
  });

  it('REST: list with filters and pagination, 400 naming the parameter, another account gets 404', async () => {
    const all = await t.http().get('/api/v1/webinars?pageSize=200').set(account.auth).expect(200);
    expect(all.body.total).toBe((await webinarRows()).length);
    expect(typeof all.body.items[0].webinarKey).toBe('string');
    const page2 = await t
      .http()
      .get(`/api/v1/webinars?organizerId=${organizerId}&page=2&pageSize=3`)
      .set(account.auth)
      .expect(200);
    expect(page2.body).toMatchObject({ page: 2, pageSize: 3, total: all.body.total });
    expect(page2.body.items.map((w: { id: number }) => w.id)).toEqual(
      all.body.items.slice(3, 6).map((w: { id: number }) => w.id),
    );
    const from = new Date().toISOString();
    const upcoming = await t
      .http()
      .get(`/api/v1/webinars?from=${from}&pageSize=200`)
      .set(account.auth)
      .expect(200);
    expect(upcoming.body.items.every((w: { endsAt: string }) => w.endsAt >= from)).toBe(true);
    for (const [q, field] of [
      ['page=0', 'page'],
      ['pageSize=201', 'pageSize'],
      ['pageSize=abc', 'pageSize'],
      ['from=yesterday', 'from'],
      ['organizerId=-1', 'organizerId'],
      ['organizerId=99999999999999999999', 'organizerId'],
      ['page=99999999999999999999', 'page'],
    ]) {
      const res = await t.http().get(`/api/v1/webinars?${q}`).set(account.auth).expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const bad = await t
      .http()
      .get(`/api/v1/webinars/${all.body.items[0].id}/participants?status=maybe`)
      .set(account.auth)
      .expect(400);
    expect(bad.body.errors[0].field).toBe('status');
    const hugePage = await t
      .http()
      .get(`/api/v1/webinars/${all.body.items[0].id}/participants?page=99999999999999999999`)
      .set(account.auth)
      .expect(400);
    expect(hugePage.body.errors[0].field).toBe('page');
    for (const id of ['abc', '-1', '0', '1.5', '99999999999999999999']) {
      for (const [method, path] of [
        ['get', `/api/v1/webinars/${id}`],
        ['get', `/api/v1/webinars/${id}/participants`],
        ['post', `/api/v1/webinars/${id}/sync`],
        ['post', `/api/v1/organizers/${id}/sync`],
      ] as const) {
        const res = await t.http()[method](path).set(account.auth).expect(400);
        expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('id');
      }
    }

    const stranger = await t.createAccount('Stranger');
    const id = all.body.items[0].id;
    await t.http().get(`/api/v1/webinars/${id}`).set(stranger.auth).expect(404);
    await t.http().get(`/api/v1/webinars/${id}/participants`).set(stranger.auth).expect(404);
    await t.http().post(`/api/v1/webinars/${id}/sync`).set(stranger.auth).expect(404);
    await t.http().post(`/api/v1/organizers/${organizerId}/sync`).set(stranger.auth).expect(404);
    expect((await t.http().get('/api/v1/webinars').set(stranger.auth).expect(200)).body.total).toBe(
      0,
    );
  });

  it('participants endpoint: paginated, filtered, with names, registration status and seconds', async () => {
    const w = expectedWebinars(sim, orgKey, new Date()).find(
      (x) => x.sessions.length > 0 && sim.store.listRegistrants(x.webinarKey).length > 5,
    )!;
    const id = await webinarIdOf(w.webinarKey);
    const all = await t
      .http()
      .get(`/api/v1/webinars/${id}/participants?pageSize=200`)
      .set(account.auth)
      .expect(200);
    const att = await t
      .http()
      .get(`/api/v1/webinars/${id}/participants?status=attended&pageSize=200`)
      .set(account.auth)
      .expect(200);
    const not = await t
      .http()
      .get(`/api/v1/webinars/${id}/participants?status=not_attended&pageSize=200`)
      .set(account.auth)
      .expect(200);
    expect(att.body.total + not.body.total).toBe(all.body.total);
    expect(
      att.body.items.every(
        (p: { status: string; attendanceSeconds: number }) =>
          p.status === 'attended' && p.attendanceSeconds > 0,
      ),
    ).toBe(true);
    expect(all.body.items[0]).toEqual(
      expect.objectContaining({
        email: expect.any(String),
        firstName: expect.anything(),
        registrationStatus: expect.any(String),
        webinarParticipantStatusId: expect.any(Number),
      }),
    );
    const detail = await t.http().get(`/api/v1/webinars/${id}`).set(account.auth).expect(200);
    expect(detail.body.counts.attended).toBe(att.body.total);
    // Counts follow the standard groups: Not Attended = status 1 with an approved registration,
    // while ?status=not_attended lists every row whose status id is 1.
    const notApproved = await t
      .http()
      .get(`/api/v1/webinars/${id}/participants?status=not_attended&pageSize=200`)
      .set(account.auth)
      .expect(200);
    expect(detail.body.counts.notAttended).toBe(
      notApproved.body.items.filter(
        (p: { registrationStatus: string }) => p.registrationStatus === 'approved',
      ).length,
    );
    expect(detail.body.counts.notAttended).toBeLessThanOrEqual(not.body.total);
    const p1 = await t
      .http()
      .get(`/api/v1/webinars/${id}/participants?page=2&pageSize=2`)
      .set(account.auth)
      .expect(200);
    expect(p1.body.items.map((p: { id: number }) => p.id)).toEqual(
      all.body.items.slice(2, 4).map((p: { id: number }) => p.id),
    );
  });

  it('a deactivated organizer is skipped without calling GoTo', async () => {
    await t
      .http()
      .patch(`/api/v1/organizers/${organizerId}`)
      .set(account.auth)
      .send({ active: false })
      .expect(200);
    const w = (await webinarRows()).find((r) => r.status !== 'cancelled')!;
    const since = await lastJobId();
    const { SyncQueue } = await import('../../src/sync/sync-queue.service');
    await t.app.get(SyncQueue).enqueue({
      type: 'webinar_participants_sync',
      accountId: account.id,
      organizerId,
      webinarId: Number(w.id),
    });
    await t.app
      .get(SyncQueue)
      .enqueue({ type: 'organizer_periodic_sync', accountId: account.id, organizerId });
    sim.counters.reset();
    await drainQueue(t.app, { advanceClock: true });
    expect(sim.counters.read().total).toBe(0);
    const jobs = await jobsSince(since);
    expect(jobs.every((j) => j.status === 'succeeded' && (j.result as Row).skipped === true)).toBe(
      true,
    );
    await t.http().post(`/api/v1/organizers/${organizerId}/sync`).set(account.auth).expect(409);
  });
});
