import { DataSource } from 'typeorm';
import { Clock, FakeClock } from '../../../src/common/clock';
import { GOTO_WEBINAR_OPTIONS } from '../../../src/goto-webinar/goto-webinar.options';
import { RunningSimulator, startSimulator } from '../../../src/simulator/simulator';
import { drainQueue } from '../sync/drain-queue';
import { createTestApp, TestApp } from '../test-app';
import { Dialect } from '../test-database';

export interface ClockedSimSuite {
  sim: RunningSimulator;
  t: TestApp;
  ds: DataSource;
  auth: { Authorization: string };
  /** The simulator's one organizer, linked (and its first full sync drained) in beforeAll. */
  orgKey: string;
  organizerId: number;
  clock: FakeClock;
  /** Both clocks, the simulator's and the app's, to `now + ms`. */
  moveTo(ms: number): void;
  /** `now + ms` as an ISO string. */
  at(ms: number): string;
}

/**
 * The set-up of a suite whose simulator and app share one controlled time: a simulator of one
 * organizer with `webinars` × `registrants`, the app on `dialect` with that clock and fast
 * retries, an account named `account` with the organizer linked and synced; all closed after the
 * suite. The fields are filled in its beforeAll.
 */
export function setUpClockedSimSuite(
  dialect: Dialect,
  opts: { now: Date; webinars: number; registrants: number; account: string },
): ClockedSimSuite {
  const { now } = opts;
  const suite = {
    clock: new FakeClock(now),
    moveTo(ms: number) {
      suite.sim.store.advanceClock((now.getTime() + ms - suite.sim.store.now().getTime()) / 1000);
      suite.clock.set(suite.sim.store.now());
    },
    at: (ms: number) => new Date(now.getTime() + ms).toISOString(),
  } as ClockedSimSuite;
  beforeAll(async () => {
    const { webinars, registrants } = opts;
    suite.sim = await startSimulator({ port: 0, now, organizers: 1, webinars, registrants });
    suite.t = await createTestApp(dialect, {
      config: {
        goto: { apiUrl: suite.sim.url, authUrl: suite.sim.url, maxRps: 1000, maxRetries: 1 },
      },
      override: (b) =>
        b
          .overrideProvider(GOTO_WEBINAR_OPTIONS)
          .useValue({ baseDelayMs: 5, maxDelayMs: 20 })
          .overrideProvider(Clock)
          .useValue(suite.clock),
    });
    suite.ds = suite.t.app.get(DataSource);
    suite.auth = (await suite.t.createAccount(opts.account)).auth;
    const org = suite.sim.store.listOrganizers()[0];
    suite.orgKey = org.organizerKey;
    const res = await suite.t
      .http()
      .post('/api/v1/organizers')
      .set(suite.auth)
      .send({ email: org.email, password: org.password })
      .expect(201);
    suite.organizerId = res.body.id;
    await drainQueue(suite.t.app);
  });
  afterAll(async () => {
    await suite.t?.close();
    await suite.sim?.close();
  });
  return suite;
}
