// `npm run bench:capacity -- [--organizers 6] [--accounts 3] [--hours 24] [--dialect sqlite|mysql] [--seed 7]
//    [--webhooks both|off|on] [--realtime]`
// The GoTo call budget over a simulated day: a population of accounts and organizers (printed) in
// the in-process simulator, the real application (AppModule: scheduler, queue, handlers) on a fresh
// database, the app's Clock and the simulator's clock moved together 15 minutes per tick, pacing
// off. Each tick: the scheduler's tick() (as SYNC_CRON would), then the queue drained. Prints GoTo
// calls per organizer per day by kind (simulator counters), the organizers one 10 requests/s client
// sustains with 20 % kept back, and the worst age of stored participant data per class of webinar.
// A handful of organizers is simulated; the per-organizer figures scale linearly (each organizer's
// polling is independent of the others').
// --webhooks: the day without webhooks, with every organizer's webhooks flowing (the organizer's
// webhook columns set as the webhook module keeps them, each tick: the relaxed schedule), or both
// one after the other on the same population (default), then the two side by side.
// --realtime: phase 2 (bench/capacity-realtime.ts: several processes on MariaDB, the simulator's
// rate limit on; a few minutes), off by default.
import 'reflect-metadata';
import { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { parseArgs } from 'node:util';
import { DataSource, MoreThan } from 'typeorm';
import { AccountsService } from '../src/accounts/accounts.service';
import { AppModule } from '../src/app.module';
import { Clock, FakeClock } from '../src/common/clock';
import { AppConfig, loadConfig } from '../src/config/app-config';
import { OrganizerLinkingService } from '../src/organizers/organizer-linking.service';
import { startSimulator } from '../src/simulator/simulator';
import { SyncJob } from '../src/sync/sync-job.entity';
import { SyncScheduler } from '../src/sync/sync-scheduler.service';
import { SyncWorker } from '../src/sync/sync-worker.service';
import { freshDatabase } from './bench-sync';
import { placePopulation } from './capacity-population';
import { DayFigures, printSideBySide } from './capacity-compare';
import { FreshnessProbe } from './capacity-freshness';
import { runRealtimePhase } from './capacity-realtime';

const TICK_MS = 15 * 60_000;
const CLIENT_CALLS_PER_DAY = 10 * 86_400;
const KEPT_BACK = 0.2;

const { values: args } = parseArgs({
  options: {
    organizers: { type: 'string', default: '6' },
    accounts: { type: 'string', default: '3' },
    hours: { type: 'string', default: '24' },
    dialect: { type: 'string', default: 'sqlite' },
    seed: { type: 'string', default: '7' },
    label: { type: 'string', default: '' },
    webhooks: { type: 'string', default: 'both' },
    realtime: { type: 'boolean', default: false },
  },
});

type Kind = 'webinar lists' | 'registrants' | 'attendees' | 'sessions' | 'other' | 'token';
function kindOf(endpoint: string): Kind {
  if (endpoint.includes('/oauth/')) return 'token';
  if (/\/attendees/.test(endpoint)) return 'attendees';
  if (/\/registrants/.test(endpoint)) return 'registrants';
  if (/\/sessions/.test(endpoint)) return 'sessions';
  if (/\/webinars$/.test(endpoint)) return 'webinar lists';
  return 'other';
}

async function main(): Promise<void> {
  const modes = args.webhooks === 'both' ? [false, true] : [args.webhooks === 'on'];
  const days: DayFigures[] = [];
  for (const webhooks of modes) days.push(await runDay(webhooks));
  if (days.length === 2) printSideBySide(days[0], days[1]);

  // ---- Phase 2: real time (several worker processes on MariaDB, the simulator's rate limit on)
  if (args.realtime) {
    console.log('\nphase 2: real time (bench/capacity-realtime.ts)');
    // it prints one line of figures per process count
    await runRealtimePhase({ log: (line) => console.log(line) });
  }
}

async function runDay(webhooks: boolean): Promise<DayFigures> {
  const label = [args.label, webhooks ? 'webhooks on' : 'webhooks off'].filter(Boolean).join(', ');
  const organizers = Number(args.organizers);
  const accounts = Number(args.accounts);
  const hours = Number(args.hours);
  const t0 = new Date('2026-06-15T00:00:00Z');
  const sim = await startSimulator({
    organizers,
    webinars: 0,
    registrants: 0,
    now: t0,
    seed: Number(args.seed),
  });
  const population = placePopulation(sim, accounts, t0, Number(args.seed));
  if (!webhooks || args.webhooks !== 'both') printPopulation(population, accounts);
  console.log(`\n==== ${label} ====`);

  const db = await freshDatabase(
    args.dialect as 'sqlite' | 'mysql',
    process.env.BENCH_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/test',
  );
  const clock = new FakeClock(t0);
  const app = await createApp(appConfig(db.config, sim.url), clock);
  const started = performance.now();
  try {
    const accountIds: number[] = [];
    for (let a = 0; a < accounts; a++)
      accountIds.push((await app.get(AccountsService).create(`capacity ${a + 1}`)).id);
    // Linking queues each organizer's full sync (as the admin page does); drained before the day.
    for (const o of population)
      await app
        .get(OrganizerLinkingService)
        .add(accountIds[o.accountIndex], { email: o.email, password: o.password });
    const worker = app.get(SyncWorker, { strict: false });
    await worker.drainUntilIdle({ maxJobs: 10_000_000 });
    const initialSeconds = (performance.now() - started) / 1000;
    console.log(`initial full syncs: ${initialSeconds.toFixed(1)} s (not counted below)`);

    // ---- Phase 1: the simulated day ------------------------------------------------------------
    sim.counters.reset();
    const probe = new FreshnessProbe(app.get(DataSource));
    const scheduler = app.get(SyncScheduler);
    const ticks = Math.round((hours * 3_600_000) / TICK_MS);
    const dayStarted = performance.now();
    for (let k = 1; k <= ticks; k++) {
      clock.advance(TICK_MS);
      sim.store.advanceClock(TICK_MS / 1000);
      // events flowing: what the webhook module records for a healthy subscription (webhooks-health.ts)
      if (webhooks)
        await app
          .get(DataSource)
          .createQueryBuilder()
          .update('organizer')
          .set({ webhookState: 'on', webhookCheckedAt: t0, webhookLastEventAt: clock.now() })
          .execute();
      await probe.sample(clock.now());
      await scheduler.tick();
      await worker.drainUntilIdle({ maxJobs: 10_000_000 });
      if (k % 16 === 0)
        process.stdout.write(
          `  ${(k * TICK_MS) / 3_600_000} h simulated (${((performance.now() - dayStarted) / 1000).toFixed(0)} s)\n`,
        );
    }
    const byKind = new Map<Kind, number>();
    const other = new Set<string>();
    for (const [endpoint, statuses] of Object.entries(sim.counters.read().byEndpoint)) {
      const n = Object.values(statuses).reduce((x, y) => x + y, 0);
      byKind.set(kindOf(endpoint), (byKind.get(kindOf(endpoint)) ?? 0) + n);
      if (kindOf(endpoint) === 'other') other.add(endpoint);
    }
    console.log(`'other' endpoints: ${[...other].join(', ') || 'none'}`);
    const perKind = report(
      label,
      byKind,
      organizers,
      hours,
      probe,
      (performance.now() - dayStarted) / 1000,
    );
    const byProfile = await reportByProfile(app.get(DataSource), population, t0, hours);
    return { label, perKind, byProfile };
  } finally {
    await app.close();
    await sim.close();
    await db.drop();
  }
}

function appConfig(database: AppConfig['database'], simUrl: string): AppConfig {
  const base = loadConfig({
    LOG_LEVEL: 'silent',
    GOTO_SIMULATOR: 'true',
    CREDENTIALS_KEY: Buffer.alloc(32, 7).toString('base64'),
    DATABASE_URL: 'sqlite::memory:',
  });
  return new AppConfig({
    ...base,
    database,
    // pacing off: the simulator has no rate limit and the client does not wait
    goto: { ...base.goto, apiUrl: simUrl, authUrl: simUrl, maxRps: 1_000_000, maxRetries: 3 },
    sync: { ...base.sync, workerEnabled: false, schedulerEnabled: false },
  });
}

async function createApp(config: AppConfig, clock: FakeClock): Promise<INestApplicationContext> {
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config)] })
    .overrideProvider(Clock)
    .useValue(clock)
    .compile();
  moduleRef.useLogger(false);
  return moduleRef.init();
}

function printPopulation(population: ReturnType<typeof placePopulation>, accounts: number): void {
  console.log(
    `\npopulation: ${accounts} accounts, ${population.length} organizers (profiles cycled)`,
  );
  console.log(
    '| organizer | account | profile | webinars/year | webinars in window | upcoming | registrants/webinar (avg) |',
  );
  console.log('|---|---|---|---|---|---|---|');
  for (const o of population)
    console.log(
      `| ${o.index + 1} | ${o.accountIndex + 1} | ${o.profile.label} | ${o.profile.webinarsPerYear} | ${o.webinars} | ${o.upcoming} (${Math.round(o.profile.upcomingShare * 100)} %) | ${Math.round(o.registrants / o.webinars)} |`,
    );
}

function report(
  label: string,
  byKind: Map<Kind, number>,
  organizers: number,
  hours: number,
  probe: FreshnessProbe,
  seconds: number,
): Map<string, number> {
  const perDay = (n: number) => (n / organizers) * (24 / hours);
  const api = [...byKind].filter(([k]) => k !== 'token').reduce((n, [, v]) => n + v, 0);
  console.log(`\n${label ? `[${label}] ` : ''}simulated ${hours} h in ${seconds.toFixed(0)} s`);
  console.log('| GoTo calls per organizer per day | |');
  console.log('|---|---|');
  for (const k of ['webinar lists', 'registrants', 'attendees', 'sessions', 'other'] as Kind[])
    console.log(`| ${k} | ${perDay(byKind.get(k) ?? 0).toFixed(1)} |`);
  console.log(`| **total (API)** | **${perDay(api).toFixed(1)}** |`);
  console.log(
    `| token calls (auth host, not in the total) | ${perDay(byKind.get('token') ?? 0).toFixed(1)} |`,
  );
  const sustained = Math.floor((CLIENT_CALLS_PER_DAY * (1 - KEPT_BACK)) / perDay(api));
  console.log(
    `\norganizers one 10 req/s client sustains = 864,000 × 0.8 ÷ ${perDay(api).toFixed(1)} = ${sustained.toLocaleString('en-US')}`,
  );
  console.log('\n| class of webinar | webinars seen | worst age of stored participants |');
  console.log('|---|---|---|');
  for (const row of probe.rows())
    console.log(`| ${row.pollClass} | ${row.webinars} | ${row.worst} |`);
  const perKind = new Map<string, number>();
  for (const [k, v] of byKind) if (k !== 'token') perKind.set(k, perDay(v));
  perKind.set('total (API)', perDay(api));
  return perKind;
}

/** GoTo calls per organizer-day by profile, from the jobs' own `apiCalls` (tokens not counted). */
async function reportByProfile(
  ds: DataSource,
  population: ReturnType<typeof placePopulation>,
  t0: Date,
  hours: number,
): Promise<Map<string, number>> {
  const keyOf = new Map<number, string>(
    (await ds.query('SELECT id, organizer_key FROM organizer')).map(
      (r: { id: number; organizer_key: string }) => [Number(r.id), String(r.organizer_key)],
    ),
  );
  const jobs = await ds.getRepository(SyncJob).find({ where: { createdAt: MoreThan(t0) } });
  const calls = new Map<string, number>();
  for (const j of jobs) {
    const key = keyOf.get(j.organizerId ?? -1);
    const n = typeof j.result?.apiCalls === 'number' ? j.result.apiCalls : 0;
    if (key) calls.set(key, (calls.get(key) ?? 0) + n);
  }
  const byProfile = new Map<string, { organizers: number; calls: number; webinars: number }>();
  for (const o of population) {
    const p = byProfile.get(o.profile.label) ?? { organizers: 0, calls: 0, webinars: 0 };
    p.organizers++;
    p.calls += calls.get(o.organizerKey) ?? 0;
    p.webinars += o.webinars;
    byProfile.set(o.profile.label, p);
  }
  console.log(
    '\n| profile | organizers | webinars in window (avg) | GoTo calls per organizer-day (job results) | organizers per client (× 0.8) |',
  );
  console.log('|---|---|---|---|---|');
  const out = new Map<string, number>();
  for (const [label, p] of byProfile) {
    const perDay = (p.calls / p.organizers) * (24 / hours);
    out.set(label, perDay);
    console.log(
      `| ${label} | ${p.organizers} | ${Math.round(p.webinars / p.organizers)} | ${perDay.toFixed(1)} | ${Math.floor((CLIENT_CALLS_PER_DAY * (1 - KEPT_BACK)) / perDay).toLocaleString('en-US')} |`,
    );
  }
  return out;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
