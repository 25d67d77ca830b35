import { bearerGet, organizerToken, simFetch } from '../../src/simulator/sim-client';
import { RunningSimulator, startSimulator } from '../../src/simulator/simulator';

const NOW = new Date('2026-06-15T12:00:00Z');
const V2 = '/G2W/rest/v2';
const RANGE = 'fromTime=2020-01-01T00:00:00Z&toTime=2032-01-01T00:00:00Z';
const MIN = 60_000;
const at = (ms: number) => new Date(NOW.getTime() + ms).toISOString().replace(/\.000Z$/, 'Z');

// What GoTo reports as it happens: a session is completed only once it has really ended (late start,
// overrun), attendees may lag behind, a webinar can be seen by a co-organizer, a 404 on one path.
describe('GoTo simulator: real sessions, co-organizers, 404 on one endpoint', () => {
  let sim: RunningSimulator;
  let token: string;
  let orgKey: string;
  let otherKey: string;
  const get = (path: string, t = token) => bearerGet(sim.url, `${V2}${path}`, t);
  const ctl = (path: string, method = 'GET', body?: unknown) =>
    simFetch(`${sim.url}/_sim${path}`, {
      method,
      headers: { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  beforeEach(async () => {
    sim = await startSimulator({ now: NOW, organizers: 2, webinars: 3, registrants: 4 });
    [orgKey, otherKey] = sim.store.listOrganizers().map((o) => o.organizerKey);
    token = await organizerToken(sim);
  });
  afterEach(() => sim.close());

  /** A webinar scheduled 10:00–11:00 today (the simulator's now is 12:00). */
  const pastHour = () =>
    sim.store.addWebinar(orgKey, {
      subject: 'Ran over',
      times: [{ startTime: at(-120 * MIN), endTime: at(-60 * MIN) }],
      registrants: 3,
    });

  it('a session still running past its scheduled end is not a completed session (no attendees)', async () => {
    const w = pastHour();
    const sessions = `/organizers/${orgKey}/webinars/${w.webinarKey}/sessions`;
    // Generated: the scheduled hour is over, so its session completed (a few minutes off the plan).
    expect((await get(sessions)).body.page.totalElements).toBe(1);

    // It started 20 minutes late and is still running at 12:00.
    const running = await ctl(`/webinars/${w.webinarKey}/sessions/0`, 'PUT', {
      startTime: at(-100 * MIN),
      endTime: null,
    });
    expect(running.status).toBe(200);
    expect(running.body.sessions).toEqual([]);
    const none = await get(sessions);
    expect(none.body.page.totalElements).toBe(0);
    // GoTo shows it in session, by the actual times, not the schedule.
    const live = await get(`/organizers/${orgKey}/insessionWebinars`);
    expect(live.body.map((x: { webinarKey: string }) => x.webinarKey)).toContain(w.webinarKey);
    expect((await get(`/organizers/${orgKey}/webinars/${w.webinarKey}`)).body.inSession).toBe(true);
    const att = await get(`/organizers/${orgKey}/webinars/${w.webinarKey}/attendees`);
    expect(att.body.page.totalElements).toBe(0);

    // It ends at 12:30: completed from then on, with the actual times.
    await ctl(`/webinars/${w.webinarKey}/sessions/0`, 'PUT', {
      startTime: at(-100 * MIN),
      endTime: at(30 * MIN),
    });
    expect((await get(sessions)).body.page.totalElements).toBe(0);
    sim.store.advanceClock(31 * 60);
    const done = await get(sessions);
    expect((await get(`/organizers/${orgKey}/webinars/${w.webinarKey}`)).body.inSession).toBe(
      false,
    );
    expect(done.body._embedded.sessionInfoResources).toEqual([
      expect.objectContaining({ startTime: at(-100 * MIN), endTime: at(30 * MIN) }),
    ]);
    expect(sim.store.listAttendees(w.webinarKey).length).toBeGreaterThan(0);
  });

  it('a generated session that overruns its schedule is completed only once it really ended', () => {
    // Over the whole dataset, every completed session has ended by now.
    for (const o of sim.store.listOrganizers())
      for (const w of sim.store.listWebinars(o.organizerKey))
        for (const s of w.sessions) expect(Date.parse(s.endTime)).toBeLessThanOrEqual(+NOW);
    const w = pastHour();
    const [s] = sim.store.listSessions(w.webinarKey);
    // The clock a second before the actual end (which may be after the scheduled one): not completed.
    const before = Date.parse(s.endTime) - 1000 - +sim.store.now();
    sim.store.advanceClock(before / 1000);
    expect(sim.store.listSessions(w.webinarKey)).toEqual([]);
    sim.store.advanceClock(2);
    expect(sim.store.listSessions(w.webinarKey).map((x) => x.sessionKey)).toEqual([s.sessionKey]);
  });

  it('attendee report delay: a completed session lists no attendees until it has passed', async () => {
    const w = pastHour();
    await ctl(`/webinars/${w.webinarKey}/sessions/0`, 'PUT', {
      startTime: at(-60 * MIN),
      endTime: at(-5 * MIN),
    });
    expect((await ctl('/settings', 'PATCH', { attendeeReportDelaySeconds: 600 })).status).toBe(200);
    expect(sim.store.listSessions(w.webinarKey)).toHaveLength(1);
    expect(sim.store.listAttendees(w.webinarKey)).toEqual([]);
    const s = await get(`/organizers/${orgKey}/webinars/${w.webinarKey}/sessions`);
    expect(s.body._embedded.sessionInfoResources[0].registrantsAttended).toBe(0);
    sim.store.advanceClock(6 * 60);
    expect(sim.store.listAttendees(w.webinarKey).length).toBeGreaterThan(0);
  });

  it('a co-organizer sees the webinar in its list and may read it; GoTo names the owner', async () => {
    const w = pastHour();
    const otherToken = await organizerToken(sim, 1);
    const listOf = async (key: string, t: string) =>
      (await get(`/organizers/${key}/webinars?${RANGE}`, t)).body._embedded.webinars.map(
        (x: { webinarKey: string }) => x.webinarKey,
      );
    expect(await listOf(otherKey, otherToken)).not.toContain(w.webinarKey);
    const reg = `/organizers/${otherKey}/webinars/${w.webinarKey}/registrants`;
    expect((await get(reg, otherToken)).status).toBe(404);

    const added = await ctl(`/webinars/${w.webinarKey}/coorganizers`, 'POST', {
      organizerKey: otherKey,
    });
    expect(added.body.coorganizerKeys).toEqual([otherKey]);
    expect(await listOf(otherKey, otherToken)).toContain(w.webinarKey);
    expect(await listOf(orgKey, token)).toContain(w.webinarKey);
    const item = (await get(`/organizers/${otherKey}/webinars?${RANGE}`, otherToken)).body._embedded
      .webinars as Array<{ webinarKey: string; organizerKey: string }>;
    expect(item.find((x) => x.webinarKey === w.webinarKey)!.organizerKey).toBe(orgKey);
    expect((await get(reg, otherToken)).status).toBe(200);
    const one = await get(`/organizers/${otherKey}/webinars/${w.webinarKey}`, otherToken);
    expect(one.body.organizerKey).toBe(orgKey);
    // The account's list holds it once.
    const account = sim.store.listOrganizers()[0].accountKey;
    const all = (await get(`/accounts/${account}/webinars?${RANGE}`)).body._embedded.webinars;
    expect(all.filter((x: { webinarKey: string }) => x.webinarKey === w.webinarKey)).toHaveLength(
      1,
    );

    await ctl(`/webinars/${w.webinarKey}/coorganizers/${otherKey}`, 'DELETE');
    expect(await listOf(otherKey, otherToken)).not.toContain(w.webinarKey);
    // Moved to the other organizer: GoTo's organizerKey changes.
    const moved = await ctl(`/webinars/${w.webinarKey}/transfer`, 'POST', {
      organizerKey: otherKey,
    });
    expect(moved.body.organizerKey).toBe(otherKey);
    expect(await listOf(otherKey, otherToken)).toContain(w.webinarKey);
    expect(await listOf(orgKey, token)).not.toContain(w.webinarKey);
  });

  it('a 404 on one endpoint only (fault by path): the webinar itself still answers', async () => {
    const w = pastHour();
    sim.faults.inject({ type: 'status', status: 404, path: '/registrants$' });
    const base = `/organizers/${orgKey}/webinars/${w.webinarKey}`;
    const reg = await get(`${base}/registrants`);
    expect(reg.status).toBe(404);
    expect(reg.body.errorCode).toBe('NotFound');
    expect((await get(base)).status).toBe(200);
    expect((await get(`${base}/attendees`)).status).toBe(200);
  });
});
