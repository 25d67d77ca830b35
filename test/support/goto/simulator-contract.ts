// The GoTo client against the in-process simulator over HTTP (the contract suites
// goto-simulator-*.int-spec.ts): one simulator per spec file, a client per test in its own module,
// and readers of the simulator's own counters (attempt counts never come from the client).
import { Test, TestingModule } from '@nestjs/testing';
import { ConfigModule } from '../../../src/config/config.module';
import { GotoCallBudgetService } from '../../../src/goto-webinar/budget/goto-call-budget.service';
import { GotoWebinarClient } from '../../../src/goto-webinar/goto-webinar.client';
import { GotoWebinarError } from '../../../src/goto-webinar/goto-webinar.errors';
import { GotoWebinarModule } from '../../../src/goto-webinar/goto-webinar.module';
import { OrganizerAuth } from '../../../src/goto-webinar/goto-webinar.types';
import { OrganizerInfo, RunningSimulator, startSimulator } from '../../../src/simulator/simulator';
import { testConfig } from '../test-config';
import { fakeCallBudget, FakeGotoTime } from './fake-goto-time';

export const DAY = 86_400_000;
export const TOKEN = 'POST /oauth/token';
export const WEBINAR = 'GET /G2W/rest/v2/organizers/{organizerKey}/webinars/{webinarKey}';
export const WEBINARS = 'GET /G2W/rest/v2/organizers/{organizerKey}/webinars';
export const ATTENDEES =
  'GET /G2W/rest/v2/organizers/{organizerKey}/webinars/{webinarKey}/attendees';
export const REGISTRANTS =
  'GET /G2W/rest/v2/organizers/{organizerKey}/webinars/{webinarKey}/registrants';

export interface Made {
  client: GotoWebinarClient;
  moduleRef: TestingModule;
}

export async function collect<T>(gen: AsyncGenerator<T[]>): Promise<T[][]> {
  const pages: T[][] = [];
  for await (const p of gen) pages.push(p);
  return pages;
}

export async function failure(p: Promise<unknown>): Promise<GotoWebinarError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(GotoWebinarError);
  return e as GotoWebinarError;
}

let seq = 0;
/** A token cache key no other test uses. */
export const nextCacheKey = () => `org:${++seq}`;

/**
 * Starts the simulator (`beforeAll`; `onStart` receives it and its first two organizers), closes
 * it and the clients' modules (`afterAll`), and clears faults, counters and settings before each
 * test. Returns the helpers bound to it.
 */
export function simulatorContract(
  onStart: (sim: RunningSimulator, org: OrganizerInfo, other: OrganizerInfo) => void,
) {
  let sim: RunningSimulator;
  let org: OrganizerInfo;
  const modules: TestingModule[] = [];

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, organizers: 3, webinars: 6, registrants: 25, seed: 7 });
    const [first, second] = sim.store.listOrganizers();
    org = first;
    onStart(sim, first, second);
  });
  afterAll(async () => {
    await Promise.all(modules.map((m) => m.close()));
    await sim.close();
  });
  beforeEach(() => {
    sim.faults.clear();
    sim.counters.reset();
    sim.store.updateSettings({
      passwordGrant: true,
      rateLimitRps: null,
      rotateRefreshTokens: false,
    });
  });

  /**
   * A client in its own module. With `time`, its waits (retry backoff, Retry-After, the pacer's
   * turns) are on that fake clock, and `grants` receives the clock's time of every paced call.
   */
  async function make(
    goto: Record<string, unknown> = {},
    time?: { clock: FakeGotoTime; grants?: number[] },
  ): Promise<Made> {
    const config = testConfig({
      goto: {
        apiUrl: sim.url,
        authUrl: sim.url,
        clientId: sim.clientId,
        clientSecret: sim.clientSecret,
        maxRps: 200,
        timeoutMs: 2000,
        maxRetries: 3,
        ...goto,
      },
    });
    const clock = time ? { now: time.clock.now, sleep: time.clock.sleep } : {};
    let builder = Test.createTestingModule({
      imports: [
        ConfigModule.forRoot(config),
        GotoWebinarModule.register({ baseDelayMs: 10, maxDelayMs: 40, ...clock }),
      ],
    });
    if (time)
      builder = builder
        .overrideProvider(GotoCallBudgetService)
        .useValue(fakeCallBudget(config.goto.maxRps, time.clock, time.grants));
    const moduleRef = await builder.compile();
    modules.push(moduleRef);
    return { client: moduleRef.get(GotoWebinarClient), moduleRef };
  }

  const pat = (o: OrganizerInfo = org): OrganizerAuth => ({
    cacheKey: nextCacheKey(),
    credentials: {
      method: 'personal_access_token',
      email: o.email,
      personalAccessToken: o.personalAccessToken,
    },
  });
  const password = (o: OrganizerInfo = org, pw = o.password): OrganizerAuth => ({
    cacheKey: nextCacheKey(),
    credentials: { method: 'password', email: o.email, password: pw },
  });

  /** How many requests the simulator served for an endpoint (any status, or one status). */
  function served(endpoint: string, status?: string | number): number {
    const byStatus = sim.counters.read().byEndpoint[endpoint] ?? {};
    if (status !== undefined) return byStatus[String(status)] ?? 0;
    return Object.values(byStatus).reduce((a, b) => a + b, 0);
  }

  /** A year either side of the simulator's now. */
  const window = () => {
    const now = sim.store.now().getTime();
    return [new Date(now - 365 * DAY), new Date(now + 365 * DAY)] as const;
  };

  function firstWebinar(o: OrganizerInfo = org) {
    const w = sim.store.listWebinars(o.organizerKey)[0];
    expect(w).toBeDefined();
    return w;
  }

  return { make, pat, password, served, window, firstWebinar };
}
