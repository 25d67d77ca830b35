import { setUpClockedSimSuite } from '../support/factories/clocked-sim-suite';
import { drainQueue } from '../support/sync/drain-queue';
import { describeEachDialect } from '../support/test-database';

const NOW = new Date('2026-06-15T12:00:00Z');
const MIN = 60_000;
const DAY = 86_400_000;
const SESSIONS = 'GET /G2W/rest/v2/organizers/{organizerKey}/webinars/{webinarKey}/sessions';

// GoTo's session-report counts (registrantsAttended, registrantCount) stored from the sessions read
// the participant sync makes anyway, shown in the reconciliation, never counted as drift.
describeEachDialect('reconciliation: session reports (queue + simulator)', (dialect) => {
  const s = setUpClockedSimSuite(dialect, {
    now: NOW,
    webinars: 1,
    registrants: 3,
    account: 'Session reports',
  });

  const get = (path: string) => s.t.http().get(path).set(s.auth);
  const syncOrganizer = async () => {
    await s.t.http().post(`/api/v1/organizers/${s.organizerId}/sync`).set(s.auth).expect(202);
    await drainQueue(s.t.app);
  };
  const webinarIdOf = async (key: string): Promise<number> =>
    Number((await s.ds.query('SELECT id FROM webinar WHERE webinar_key = ?', [key]))[0].id);
  /** A participant sync of one webinar; how many times it read the sessions. */
  const syncWebinar = async (id: number): Promise<number> => {
    s.sim.counters.reset();
    await s.t.http().post(`/api/v1/webinars/${id}/sync`).set(s.auth).expect(202);
    await drainQueue(s.t.app);
    return s.sim.counters.read().byEndpoint[SESSIONS]?.['200'] ?? 0;
  };
  /** What GoTo's report should say for a session: its attendees who are registrants. */
  const registrantsAttended = (webinarKey: string, sessionKey: string): number => {
    const keys = new Set(s.sim.store.listRegistrants(webinarKey).map((r) => r.registrantKey));
    return s.sim.store
      .listAttendees(webinarKey, sessionKey)
      .filter((a) => keys.has(a.registrantKey)).length;
  };

  it('a sequence: attended summed over sessions (registrants only), the total taken once', async () => {
    s.moveTo(0);
    const w = s.sim.store.addWebinar(s.orgKey, {
      subject: 'Two parts, reconciled',
      recurrenceType: 'sequence',
      times: [
        { startTime: s.at(60 * MIN), endTime: s.at(120 * MIN) },
        { startTime: s.at(DAY + 60 * MIN), endTime: s.at(DAY + 120 * MIN) },
      ],
      registrants: 4,
    });
    const person = (name: string) => ({
      firstName: name,
      lastName: 'Report',
      email: `${name.toLowerCase()}.report@example.com`,
    });
    const ada = s.sim.store.addRegistrant(w.webinarKey, person('Ada'));
    await syncOrganizer();
    const id = await webinarIdOf(w.webinarKey);
    const before = (await get(`/api/v1/webinars/${id}/reconciliation`).expect(200)).body;
    expect(before.sessionReports).toBeNull(); // not started: the sessions were not read

    // The first session ended 40 minutes ago: Ada and a walk-in attended it.
    s.sim.store.setSessionTimes(w.webinarKey, 0, {
      startTime: s.at(60 * MIN),
      endTime: s.at(120 * MIN),
    });
    s.moveTo(160 * MIN);
    s.sim.store.markAttendance(w.webinarKey, { registrantKey: ada.registrantKey, timeIndex: 0 });
    s.sim.store.markAttendance(w.webinarKey, { ...person('Zed'), timeIndex: 0 });
    expect(await syncWebinar(id)).toBe(1); // the one read the finality check makes anyway
    const [s0] = s.sim.store.listSessions(w.webinarKey);
    const first = (await get(`/api/v1/webinars/${id}/reconciliation`).expect(200)).body;
    const registrantCount = s.sim.store.listRegistrants(w.webinarKey).length;
    expect(first.sessionReports).toEqual({
      sessions: 1,
      registrantsAttended: registrantsAttended(w.webinarKey, s0.sessionKey),
      registrantCount,
      observedAt: s.at(160 * MIN),
    });
    // The walk-in is attended but not in GoTo's registrantsAttended; that is no drift.
    expect(first.goto.walkIns).toBeGreaterThanOrEqual(1);
    expect(first.sessionReports.registrantsAttended).toBeLessThan(first.goto.attendees);
    expect(first.drift).toBe(false);

    // The second session: Ada again. Attended sums both sessions; the total is not doubled.
    s.sim.store.setSessionTimes(w.webinarKey, 1, {
      startTime: s.at(DAY + 60 * MIN),
      endTime: s.at(DAY + 120 * MIN),
    });
    s.moveTo(DAY + 160 * MIN);
    s.sim.store.markAttendance(w.webinarKey, { registrantKey: ada.registrantKey, timeIndex: 1 });
    expect(await syncWebinar(id)).toBe(1);
    const [a, b] = s.sim.store.listSessions(w.webinarKey);
    const both = (await get(`/api/v1/webinars/${id}/reconciliation`).expect(200)).body;
    expect(both.sessionReports).toEqual({
      sessions: 2,
      registrantsAttended:
        registrantsAttended(w.webinarKey, a.sessionKey) +
        registrantsAttended(w.webinarKey, b.sessionKey),
      registrantCount,
      observedAt: s.at(DAY + 160 * MIN),
    });
    // Ada counts once per session in GoTo's report: the same as the stored sessions attended.
    const [stored] = await s.ds.query(
      `SELECT SUM(p.sessions_attended) AS n FROM webinar_participant p
        WHERE p.webinar_id = ? AND p.registered_at IS NOT NULL`,
      [id],
    );
    expect(Number(stored.n)).toBe(both.sessionReports.registrantsAttended);
    expect(both.drift).toBe(false);

    // Final now: the next sync skips the sessions call and the stored report counts stay.
    s.moveTo(DAY + 200 * MIN);
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
    const w = s.sim.store.addWebinar(s.orgKey, {
      subject: 'Long past',
      times: [{ startTime: s.at(-10 * DAY), endTime: s.at(-10 * DAY + 60 * MIN) }],
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
