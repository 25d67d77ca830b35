import { DataSource } from 'typeorm';
import { Clock, FakeClock } from '../../src/common/clock';
import { GOTO_WEBINAR_OPTIONS } from '../../src/goto-webinar/goto-webinar.options';
import { RunningSimulator, startSimulator } from '../../src/simulator/simulator';
import { drainQueue } from '../support/sync/drain-queue';
import { createTestApp, TestApp } from '../support/test-app';
import { describeEachDialect } from '../support/test-database';

const NOW = new Date('2026-06-15T12:00:00Z');
const MIN = 60_000;
const DAY = 86_400_000;
const SESSIONS = 'GET /G2W/rest/v2/organizers/{organizerKey}/webinars/{webinarKey}/sessions';

// GoTo's session-report counts (registrantsAttended, registrantCount) stored from the sessions read
// the participant sync makes anyway, shown in the reconciliation, never counted as drift.
describeEachDialect('reconciliation: session reports (queue + simulator)', (dialect) => {
  let sim: RunningSimulator;
  let t: TestApp;
  let ds: DataSource;
  let auth: { Authorization: string };
  let orgKey: string;
  let organizerId: number;
  const clock = new FakeClock(NOW);

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, now: NOW, organizers: 1, webinars: 1, registrants: 3 });
    t = await createTestApp(dialect, {
      config: { goto: { apiUrl: sim.url, authUrl: sim.url, maxRps: 1000, maxRetries: 1 } },
      override: (b) =>
        b
          .overrideProvider(GOTO_WEBINAR_OPTIONS)
          .useValue({ baseDelayMs: 5, maxDelayMs: 20 })
          .overrideProvider(Clock)
          .useValue(clock),
    });
    ds = t.app.get(DataSource);
    auth = (await t.createAccount('Session reports')).auth;
    const org = sim.store.listOrganizers()[0];
    orgKey = org.organizerKey;
    const res = await t
      .http()
      .post('/api/v1/organizers')
      .set(auth)
      .send({ email: org.email, password: org.password })
      .expect(201);
    organizerId = res.body.id;
    await drainQueue(t.app);
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

  const moveTo = (ms: number) => {
    sim.store.advanceClock((NOW.getTime() + ms - sim.store.now().getTime()) / 1000);
    clock.set(sim.store.now());
  };
  const at = (ms: number) => new Date(NOW.getTime() + ms).toISOString();
  const get = (path: string) => t.http().get(path).set(auth);
  const syncOrganizer = async () => {
    await t.http().post(`/api/v1/organizers/${organizerId}/sync`).set(auth).expect(202);
    await drainQueue(t.app);
  };
  const webinarIdOf = async (key: string): Promise<number> =>
    Number((await ds.query('SELECT id FROM webinar WHERE webinar_key = ?', [key]))[0].id);
  /** A participant sync of one webinar; how many times it read the sessions. */
  const syncWebinar = async (id: number): Promise<number> => {
    sim.counters.reset();
    await t.http().post(`/api/v1/webinars/${id}/sync`).set(auth).expect(202);
    await drainQueue(t.app);
    return sim.counters.read().byEndpoint[SESSIONS]?.['200'] ?? 0;
  };
  /** What GoTo's report should say for a session: its attendees who are registrants. */
  const registrantsAttended = (webinarKey: string, sessionKey: string): number => {
    const keys = new Set(sim.store.listRegistrants(webinarKey).map((r) => r.registrantKey));
    return sim.store.listAttendees(webinarKey, sessionKey).filter((a) => keys.has(a.registrantKey))
      .length;
  };

  it('a sequence: attended summed over sessions (registrants only), the total taken once', async () => {
    moveTo(0);
    const w = sim.store.addWebinar(orgKey, {
      subject: 'Two parts, reconciled',
      recurrenceType: 'sequence',
      times: [
        { startTime: at(60 * MIN), endTime: at(120 * MIN) },
        { startTime: at(DAY + 60 * MIN), endTime: at(DAY + 120 * MIN) },
      ],
      registrants: 4,
    });
    const person = (name: string) => ({
      firstName: name,
      lastName: 'Report',
      email: `${name.toLowerCase()}.report@example.com`,
    });
    const ada = sim.store.addRegistrant(w.webinarKey, person('Ada'));
    await syncOrganizer();
    const id = await webinarIdOf(w.webinarKey);
    const before = (await get(`/api/v1/webinars/${id}/reconciliation`).expect(200)).body;
    expect(before.sessionReports).toBeNull(); // not started: the sessions were not read

    // The first session ended 40 minutes ago: Ada and a walk-in attended it.
    sim.store.setSessionTimes(w.webinarKey, 0, { startTime: at(60 * MIN), endTime: at(120 * MIN) });
    moveTo(160 * MIN);
    sim.store.markAttendance(w.webinarKey, { registrantKey: ada.registrantKey, timeIndex: 0 });
    sim.store.markAttendance(w.webinarKey, { ...person('Zed'), timeIndex: 0 });
    expect(await syncWebinar(id)).toBe(1); // the one read the finality check makes anyway
    const [s0] = sim.store.listSessions(w.webinarKey);
    const first = (await get(`/api/v1/webinars/${id}/reconciliation`).expect(200)).body;
    const registrantCount = sim.store.listRegistrants(w.webinarKey).length;
    expect(first.sessionReports).toEqual({
      sessions: 1,
      registrantsAttended: registrantsAttended(w.webinarKey, s0.sessionKey),
      registrantCount,
      observedAt: at(160 * MIN),
    });
    // The walk-in is attended but not in GoTo's registrantsAttended; that is no drift.
    expect(first.goto.walkIns).toBeGreaterThanOrEqual(1);
    expect(first.sessionReports.registrantsAttended).toBeLessThan(first.goto.attendees);
    expect(first.drift).toBe(false);

    // The second session: Ada again. Attended sums both sessions; the total is not doubled.
    sim.store.setSessionTimes(w.webinarKey, 1, {
      startTime: at(DAY + 60 * MIN),
      endTime: at(DAY + 120 * MIN),
    });
    moveTo(DAY + 160 * MIN);
    sim.store.markAttendance(w.webinarKey, { registrantKey: ada.registrantKey, timeIndex: 1 });
    expect(await syncWebinar(id)).toBe(1);
    const [a, b] = sim.store.listSessions(w.webinarKey);
    const both = (await get(`/api/v1/webinars/${id}/reconciliation`).expect(200)).body;
    expect(both.sessionReports).toEqual({
      sessions: 2,
      registrantsAttended:
        registrantsAttended(w.webinarKey, a.sessionKey) +
        registrantsAttended(w.webinarKey, b.sessionKey),
      registrantCount,
      observedAt: at(DAY + 160 * MIN),
    });
    // Ada counts once per session in GoTo's report: the same as the stored sessions attended.
    const [stored] = await ds.query(
      `SELECT SUM(p.sessions_attended) AS n FROM webinar_participant p
        WHERE p.webinar_id = ? AND p.registered_at IS NOT NULL`,
      [id],
    );
    expect(Number(stored.n)).toBe(both.sessionReports.registrantsAttended);
    expect(both.drift).toBe(false);

    // Final now: the next sync skips the sessions call and the stored report counts stay.
    moveTo(DAY + 200 * MIN);
    expect(await syncWebinar(id)).toBe(0);
    const later = (await get(`/api/v1/webinars/${id}/reconciliation`).expect(200)).body;
    expect(later.sessionReports).toEqual(both.sessionReports);
    // The list shows the same numbers.
    const list = (await get('/api/v1/reconciliation?pageSize=200').expect(200)).body;
    const item = list.items.find((i: { webinarId: number }) => i.webinarId === id);
    expect(item.sessionReports).toEqual(both.sessionReports);
    expect(item.drift).toBe(false);
  });

  it('a webinar first synced long after it ended: no session report (no extra call for it)', async () => {
    const w = sim.store.addWebinar(orgKey, {
      subject: 'Long past',
      times: [{ startTime: at(-10 * DAY), endTime: at(-10 * DAY + 60 * MIN) }],
      registrants: 3,
    });
    await syncOrganizer();
    const id = await webinarIdOf(w.webinarKey);
    expect(await syncWebinar(id)).toBe(0);
    const r = (await get(`/api/v1/webinars/${id}/reconciliation`).expect(200)).body;
    expect(r.goto).not.toBeNull();
    expect(r.sessionReports).toBeNull();
  });
});
