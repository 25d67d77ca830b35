// The child processes of bench/capacity-realtime.ts (forked with ts-node):
//   --sim <json>     the GoTo simulator (its own event loop, so its arrival times are GoTo's view)
//                    with its rate limit on: organizer 0 has 1,000 small webinars, organizer 1 one
//                    ended webinar of 10,000 registrants. IPC: {op:'info'} -> SimInfo.
//   --worker <json>  one service instance: the real AppModule with the sync worker on, on the MySQL
//                    database of the run. IPC: sends {event:'ready'}; on {cmd:'stop'} answers
//                    {event:'stats', budget} (the budget's round trips, when there is one) and exits.
// Both load the app from `appRoot` so the "before" figures can run main's code against this simulator.
import 'reflect-metadata';
import { join } from 'node:path';

const DAY = 86_400_000;

export interface SimInfo {
  url: string;
  clientId: string;
  clientSecret: string;
  /** The organizers of the account whose full sync saturates the budget. */
  big: Array<{ email: string; password: string }>;
  mailing: { email: string; password: string; webinarKey: string };
}

async function simMain(opts: {
  rate: number;
  webinars: number;
  bigOrganizers: number;
  participants: number;
}) {
  const { startSimulator } = await import('../src/simulator/simulator');
  const sim = await startSimulator({
    seed: 7,
    organizers: opts.bigOrganizers + 1,
    webinars: 0,
    rateLimitRps: opts.rate,
  });
  const organizers = sim.store.listOrganizers();
  const big = organizers.slice(0, opts.bigOrganizers);
  const mailing = organizers[opts.bigOrganizers];
  const now = Date.now();
  for (let i = 0; i < opts.webinars; i++) {
    // Spread over the sync window (a year back, a year ahead), one hour each.
    const start = now + Math.round(((i / opts.webinars) * 2 - 1) * 300 * DAY);
    sim.store.addWebinar(big[i % big.length].organizerKey, {
      subject: `Big sync webinar ${i}`,
      times: [
        {
          startTime: new Date(start).toISOString(),
          endTime: new Date(start + 3_600_000).toISOString(),
        },
      ],
      registrants: 3,
    });
  }
  const started = now - 2 * DAY;
  const webinar = sim.store.addWebinar(mailing.organizerKey, {
    subject: 'Mailing webinar',
    times: [
      {
        startTime: new Date(started).toISOString(),
        endTime: new Date(started + 3_600_000).toISOString(),
      },
    ],
    registrants: opts.participants,
  });
  const info: SimInfo = {
    url: sim.url,
    clientId: sim.clientId,
    clientSecret: sim.clientSecret,
    big: big.map((b) => ({ email: b.email, password: b.password })),
    mailing: { email: mailing.email, password: mailing.password, webinarKey: webinar.webinarKey },
  };
  process.on('message', (m: { op: string }) => {
    if (m.op === 'info') process.send!({ event: 'info', info });
    if (m.op === 'close') void sim.close().then(() => process.exit(0));
  });
  process.send!({ event: 'ready' });
}

export interface WorkerOptions {
  appRoot: string;
  dbUrl: string;
  credentialsKey: string;
  sim: SimInfo;
  maxRps: number;
  concurrency: number;
}

async function workerMain(o: WorkerOptions) {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { Test } = require(join(o.appRoot, 'node_modules/@nestjs/testing'));
  const { AppModule } = require(join(o.appRoot, 'src/app.module'));
  const { testConfig } = require(join(o.appRoot, 'test/support/test-config'));
  let budgetToken: unknown;
  try {
    budgetToken = require(
      join(o.appRoot, 'src/goto-webinar/budget/goto-call-budget.service'),
    ).GotoCallBudgetService;
  } catch {
    budgetToken = undefined; // main's code: no shared budget
  }
  /* eslint-enable @typescript-eslint/no-require-imports */
  const config = testConfig({
    database: { type: 'mysql', url: o.dbUrl },
    credentialsKey: o.credentialsKey,
    migrationsRun: false,
    mailingSyncTimeoutMs: 120_000,
    goto: {
      apiUrl: o.sim.url,
      authUrl: o.sim.url,
      clientId: o.sim.clientId,
      clientSecret: o.sim.clientSecret,
      maxRps: o.maxRps,
      maxRetries: 5,
    },
    sync: {
      workerEnabled: true,
      workerConcurrency: o.concurrency,
      organizerBatch: o.concurrency,
      schedulerEnabled: false,
    },
  });
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.forRoot(config)],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  // When each GoTo request left this process: our pacing, without the simulator's own stalls.
  const sent: number[] = [];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { HttpService } = require(join(o.appRoot, 'node_modules/@nestjs/axios'));
  app.get(HttpService, { strict: false }).axiosRef.interceptors.request.use((c: unknown) => {
    sent.push(performance.timeOrigin + performance.now());
    return c;
  });
  process.on('message', (m: { cmd: string }) => {
    if (m.cmd !== 'stop') return;
    const stats = budgetToken
      ? (app.get(budgetToken, { strict: false }) as { mysqlStats(): unknown }).mysqlStats()
      : undefined;
    process.send!({ event: 'stats', budget: stats, sent });
    void app.close().then(() => process.exit(0));
  });
  process.send!({ event: 'ready' });
}

const [flag, json] = process.argv.slice(2);
if (flag === '--sim' || flag === '--worker') {
  (flag === '--sim' ? simMain(JSON.parse(json)) : workerMain(JSON.parse(json))).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
