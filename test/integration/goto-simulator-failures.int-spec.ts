// Contract tests: GotoWebinarClient against the in-process GoTo simulator over HTTP: pacing, and
// retries and error codes from injected faults (waits on a fake clock), and the request counters.
import { maxInAnyWindow, OrganizerInfo, RunningSimulator } from '../../src/simulator/simulator';
import { FakeGotoTime } from '../support/goto/fake-goto-time';
import {
  DAY,
  TOKEN,
  WEBINAR,
  WEBINARS,
  collect,
  failure,
  simulatorContract,
} from '../support/goto/simulator-contract';

let sim: RunningSimulator;
let org: OrganizerInfo;
let other: OrganizerInfo;
const { make, pat, served, window, firstWebinar } = simulatorContract((s, first, second) => {
  sim = s;
  org = first;
  other = second;
});

describe('GoTo client against the simulator: pacing, retries and error codes', () => {
  describe('pacing', () => {
    it('a burst of 30 concurrent calls is paced: at most maxRps = 10 in any second of the clock', async () => {
      // The pacer's clock is the fake one: the test reads the slots it handed out, not wall time
      // (stamps taken on a loaded machine bunch or spread with the event loop). The simulator's own
      // limit counts arrivals on the wall clock, so it stays off here.
      const grants: number[] = [];
      const clock = new FakeGotoTime();
      const { client } = await make({ maxRps: 10 }, { clock, grants });
      const w = firstWebinar();
      const auth = pat();
      await client.getIdentity(auth); // token first, so the burst is API calls only
      grants.length = 0;
      sim.counters.reset();
      await Promise.all(
        Array.from({ length: 30 }, () => client.getWebinar(auth, org.organizerKey, w.webinarKey)),
      );
      expect(served(WEBINAR, 200)).toBe(30);
      expect(grants).toHaveLength(30);
      expect(maxInAnyWindow(grants, 1000)).toBeLessThanOrEqual(10);
      expect(clock.sleeps).toEqual([]);
    });
  });

  describe('retries and error codes from faults', () => {
    // Backoff, Retry-After and the pause after a 429 are waited on `clock`, not on the wall clock.
    let clock: FakeGotoTime;
    let grants: number[];
    const get = async (goto: Record<string, unknown> = {}) => {
      clock = new FakeGotoTime();
      grants = [];
      const { client } = await make(goto, { clock, grants });
      const w = firstWebinar();
      const auth = pat();
      await client.getIdentity(auth);
      sim.counters.reset();
      grants.length = 0;
      return () => client.getWebinar(auth, org.organizerKey, w.webinarKey);
    };

    it('429 twice, then success: three attempts', async () => {
      const call = await get();
      sim.faults.inject({ type: 'status', status: 429, path: '/webinars/\\d+$', count: 2 });
      await expect(call()).resolves.toBeDefined();
      expect(served(WEBINAR, 429)).toBe(2);
      expect(served(WEBINAR, 200)).toBe(1);
    });

    it('429 with Retry-After: 1 waits at least a second (asked of the clock), then retries', async () => {
      const call = await get();
      sim.faults.inject({
        type: 'status',
        status: 429,
        retryAfter: 1,
        path: '/webinars/\\d+$',
        count: 1,
      });
      await expect(call()).resolves.toBeDefined();
      // The client's own wait, and the pacer's hold for every caller of this client.
      expect(clock.sleeps).toHaveLength(1);
      expect(clock.sleeps[0]).toBeGreaterThanOrEqual(1000);
      expect(grants).toHaveLength(2);
      expect(grants[1] - grants[0]).toBeGreaterThanOrEqual(1000);
      expect(served(WEBINAR)).toBe(2);
    });

    it.each([
      [429, 'RATE_LIMITED'],
      [500, 'TEMPORARY'],
      [503, 'TEMPORARY'],
    ])('persistent %i -> %s after 1 + maxRetries attempts', async (status, code) => {
      const call = await get({ maxRetries: 3 });
      sim.faults.inject({ type: 'status', status, path: '/webinars/\\d+$' });
      const e = await failure(call());
      expect(e.code).toBe(code);
      expect(e.retryable).toBe(true);
      expect(e.details.status).toBe(status);
      expect(served(WEBINAR)).toBe(4);
    });

    it('a hanging request times out and the retry succeeds', async () => {
      const call = await get({ timeoutMs: 300 });
      sim.faults.inject({ type: 'hang', path: '/webinars/\\d+$', count: 1 });
      await expect(call()).resolves.toBeDefined();
      expect(served(WEBINAR, 'hang')).toBe(1);
      expect(served(WEBINAR, 200)).toBe(1);
    });

    it('a hang that persists -> TEMPORARY (timeout)', async () => {
      const call = await get({ timeoutMs: 200, maxRetries: 1 });
      sim.faults.inject({ type: 'hang', path: '/webinars/\\d+$' });
      const e = await failure(call());
      expect(e.code).toBe('TEMPORARY');
      expect(e.message).toMatch(/did not answer within 200 ms/);
      expect(served(WEBINAR, 'hang')).toBe(2);
    });

    it('a reset connection is retried', async () => {
      const call = await get();
      sim.faults.inject({ type: 'down', path: '/webinars/\\d+$', count: 1 });
      await expect(call()).resolves.toBeDefined();
      expect(served(WEBINAR, 'reset')).toBe(1);
      expect(served(WEBINAR, 200)).toBe(1);
    });

    it('400 -> BAD_REQUEST, not retried', async () => {
      const call = await get();
      sim.faults.inject({ type: 'status', status: 400, path: '/webinars/\\d+$' });
      expect((await failure(call())).code).toBe('BAD_REQUEST');
      expect(served(WEBINAR)).toBe(1);
    });

    it("unknown or cancelled webinar -> NOT_FOUND; another organizer's -> FORBIDDEN", async () => {
      const { client } = await make();
      const auth = pat();
      expect(
        (await failure(client.getWebinar(auth, org.organizerKey, '1234567890123456789'))).code,
      ).toBe('NOT_FOUND');
      const start = sim.store.now().getTime() + 50 * DAY;
      const w = sim.store.addWebinar(org.organizerKey, {
        times: [
          {
            startTime: new Date(start).toISOString(),
            endTime: new Date(start + 3_600_000).toISOString(),
          },
        ],
      });
      sim.store.cancelWebinar(w.webinarKey);
      expect((await failure(client.getWebinar(auth, org.organizerKey, w.webinarKey))).code).toBe(
        'NOT_FOUND',
      );
      const theirs = firstWebinar(other);
      expect(
        (await failure(client.getWebinar(auth, other.organizerKey, theirs.webinarKey))).code,
      ).toBe('FORBIDDEN');
    });

    it('malformed JSON -> INVALID_RESPONSE with a path, not retried', async () => {
      const { client } = await make();
      sim.faults.inject({ type: 'malformed-json', path: '/organizers/\\d+/webinars$', count: 1 });
      const [from, to] = window();
      const e = await failure(collect(client.listWebinars(pat(), org.organizerKey, from, to)));
      expect(e.code).toBe('INVALID_RESPONSE');
      expect(e.details.path).toBe('$');
      expect(served(WEBINARS)).toBe(1);
    });

    it('a schema violation names the JSON path of the bad field', async () => {
      const { client } = await make();
      sim.faults.inject({ type: 'schema-violation', path: '/organizers/\\d+/webinars$', count: 1 });
      const [from, to] = window();
      const e = await failure(collect(client.listWebinars(pat(), org.organizerKey, from, to)));
      expect(e.code).toBe('INVALID_RESPONSE');
      expect(e.details.path).toBe('_embedded.webinars[0].times');
      expect(e.message).toContain('_embedded.webinars[0].times');
    });

    it('5xx on the token endpoint is retried too', async () => {
      const { client } = await make();
      sim.faults.inject({ type: 'status', status: 502, path: '^/oauth/token$', count: 1 });
      await expect(client.signIn(pat())).resolves.toMatchObject({ organizerKey: org.organizerKey });
      expect(served(TOKEN, 502)).toBe(1);
      expect(served(TOKEN, 200)).toBe(1);
    });
  });

  it('stats() counts the calls this process made', async () => {
    const { client } = await make();
    client.resetStats();
    await client.signIn(pat());
    expect(client.stats()).toEqual({
      requests: 2,
      byEndpoint: { 'POST /oauth/token': 1, 'GET /identity/v1/Users/me': 1 },
    });
  });
});
