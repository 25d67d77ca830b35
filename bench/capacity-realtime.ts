// The capacity benchmark's real-time phase: N service processes on one MariaDB share one GoTo client
// whose simulator enforces the rate limit (GOTO_MAX_RPS = the simulator's rate, 10). For each N it
// prints: 429s served (target 0), the most requests in any 1-second window (target ≤ rate), budget
// use while there is work (wall time ÷ (calls ÷ rate), target ≤ 1.1), the database round trips per
// GoTo call, and the before-send time of a mailing to a 10,000-participant webinar of one account,
// idle and while another account's 1,000-webinar full sync saturates the budget (target: +≤ 2 s).
//
//   npx ts-node --transpile-only bench/capacity-realtime.ts [--processes 1,2,3] [--window 40]
//        [--app-root <dir>]   (run another checkout's app, e.g. main's, against this simulator)
//
// `runRealtimePhase(options)` is the same, for bench/capacity.ts. MySQL: TEST_DATABASE_URL
// (default mysql://root@127.0.0.1:3306/test; a scratch schema is created and dropped).
import { ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { SimRequestRecord } from '../src/simulator/simulator';
import { maxInAnyWindow } from '../src/simulator/sim-faults';
import type { SimInfo, WorkerOptions } from './capacity-realtime-child';
import { AnyJson } from '../src/common/any-json';

export interface RealtimeOptions {
  /** Process counts to run, one after the other (default 1, 2, 3). */
  processes?: number[];
  /** The simulator's rate limit and GOTO_MAX_RPS (default 10). */
  rate?: number;
  /** Seconds of saturating full sync per run (default 40). */
  windowSeconds?: number;
  /** The big account's webinars, spread over `bigOrganizers` organizers (default 1,000 over 10). */
  webinars?: number;
  bigOrganizers?: number;
  participants?: number;
  /** Worker loops per process and participant jobs of one organizer side by side (default 8). */
  concurrency?: number;
  /** Checkout whose app runs (default this one). */
  appRoot?: string;
  log?: (line: string) => void;
}

export interface RealtimeFigures {
  processes: number;
  calls: number;
  served429: number;
  /** As the simulator stamped arrivals (its own stalls, e.g. a 10,000-registrant answer, bunch them). */
  maxInOneSecond: number;
  /** As the worker processes sent them. */
  maxInOneSecondSent: number;
  /** Wall time ÷ (calls ÷ rate) while the full sync had work (1.0 = every slot used). */
  budgetUse: number;
  dbRoundTripsPerCall: number | null;
  mailingIdleMs: number;
  mailingContendedMs: number;
  mailingAddedMs: number;
}

const CHILD = join(__dirname, 'capacity-realtime-child.ts');
// Every child forked, so a failed run leaves none behind.
const children = new Set<ChildProcess>();
const fmt = (n: number, d = 2) => n.toFixed(d);

function forkChild(args: string[]): { child: ChildProcess; next: (e: string) => Promise<AnyJson> } {
  const child = fork(CHILD, args, {
    execArgv: ['-r', 'ts-node/register/transpile-only'],
    env: { ...process.env, TS_NODE_PROJECT: join(__dirname, '../tsconfig.json') },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const seen: AnyJson[] = [];
  const waiting: Array<{ event: string; resolve: (m: AnyJson) => void }> = [];
  child.on('message', (m: AnyJson) => {
    const w = waiting.find((x) => x.event === m.event);
    if (w) {
      waiting.splice(waiting.indexOf(w), 1);
      w.resolve(m);
    } else seen.push(m);
  });
  const next = (event: string) =>
    new Promise<AnyJson>((res, rej) => {
      const i = seen.findIndex((m) => m.event === event);
      if (i >= 0) return res(seen.splice(i, 1)[0]);
      waiting.push({ event, resolve: res });
      child.once('exit', (code) => rej(new Error(`child exited (${code}) before ${event}`)));
    });
  return { child, next };
}

export async function runRealtimePhase(options: RealtimeOptions = {}): Promise<RealtimeFigures[]> {
  const o = {
    processes: [1, 2, 3],
    rate: 10,
    windowSeconds: 40,
    webinars: 1000,
    bigOrganizers: 10,
    participants: 10_000,
    concurrency: 8,
    appRoot: resolve(__dirname, '..'),
    log: (line: string) => console.log(line),
    ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
  };
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { createTestApp } = require(join(o.appRoot, 'test/support/test-app'));
  // An --app-root checkout from before the rename has before-send-hook.runner.ts instead.
  const BeforeSendHooks = existsSync(join(o.appRoot, 'src/mailings/before-send-hooks.ts'))
    ? require(join(o.appRoot, 'src/mailings/before-send-hooks')).BeforeSendHooks
    : require(join(o.appRoot, 'src/mailings/before-send-hook.runner')).BeforeSendHookRunner;
  const { DataSource } = require(join(o.appRoot, 'node_modules/typeorm'));
  /* eslint-enable @typescript-eslint/no-require-imports */

  const simProc = forkChild(['--sim', JSON.stringify(o)]);
  await simProc.next('ready');
  simProc.child.send({ op: 'info' });
  const sim: SimInfo = (await simProc.next('info')).info;
  const simGet = async (path: string, method = 'GET') => {
    const text = await (await fetch(`${sim.url}${path}`, { method })).text();
    return text ? JSON.parse(text) : undefined;
  };

  const t = await createTestApp('mysql', {
    config: {
      goto: {
        apiUrl: sim.url,
        authUrl: sim.url,
        clientId: sim.clientId,
        clientSecret: sim.clientSecret,
        maxRps: o.rate,
        maxRetries: 5,
      },
      mailingSyncTimeoutMs: 120_000,
    },
  });
  const ds = t.app.get(DataSource);
  const workerOpts: Omit<WorkerOptions, 'concurrency'> = {
    appRoot: o.appRoot,
    dbUrl: t.db.config.url,
    credentialsKey: t.config.credentialsKey,
    sim,
    maxRps: o.rate,
  };
  const startWorkers = async (n: number) => {
    const ws = Array.from({ length: n }, () =>
      forkChild(['--worker', JSON.stringify({ ...workerOpts, concurrency: o.concurrency })]),
    );
    await Promise.all(ws.map((w) => w.next('ready')));
    return ws;
  };
  const stopWorkers = async (ws: ReturnType<typeof forkChild>[]) => {
    const stats = await Promise.all(
      ws.map(async (w) => {
        w.child.send({ cmd: 'stop' });
        const s = await w.next('stats');
        await new Promise((r) => w.child.once('exit', r));
        return s as {
          budget?: { roundTrips: number; slotsUsed: number };
          sent: number[];
        };
      }),
    );
    return stats;
  };
  const idle = async (accountId: number) => {
    for (;;) {
      const [{ n }] = await ds.query(
        "SELECT COUNT(*) AS n FROM sync_job WHERE account_id = ? AND status IN ('queued','running')",
        [accountId],
      );
      if (Number(n) === 0) return;
      await new Promise((r) => setTimeout(r, 250));
    }
  };

  // The before-send hooks' time of one send (what the mailing waits for its sync).
  const hooks = t.app.get(BeforeSendHooks, { strict: false });
  const original = hooks.run.bind(hooks);
  let hooksMs = 0;
  hooks.run = async (...a: unknown[]) => {
    const s = performance.now();
    try {
      return await original(...a);
    } finally {
      hooksMs = performance.now() - s;
    }
  };

  const figures: RealtimeFigures[] = [];
  try {
    const big = await t.createAccount('Big full sync');
    const mailer = await t.createAccount('Mailing');
    const link = async (acc: { auth: object }, creds: object) =>
      (await t.http().post('/api/v1/organizers').set(acc.auth).send(creds).expect(201)).body;
    const bigOrganizers: Array<{ id: number }> = [];
    for (const creds of sim.big) bigOrganizers.push(await link(big, creds));
    await ds.query('DELETE FROM sync_job WHERE account_id = ?', [big.id]); // synced in the runs
    await link(mailer, { email: sim.mailing.email, password: sim.mailing.password });
    o.log('setup: organizers linked; importing the mailing webinar');
    const setup = await startWorkers(1);
    const setupStarted = Date.now();
    await idle(mailer.id);
    await stopWorkers(setup);
    const webinars = await t.http().get('/api/v1/webinars').set(mailer.auth).expect(200);
    const webinar = webinars.body.items.find(
      (w: AnyJson) => w.webinarKey === sim.mailing.webinarKey,
    );
    const groups = await t
      .http()
      .get('/api/v1/target-groups')
      .query({ webinarId: webinar.id })
      .set(mailer.auth)
      .expect(200);
    const registered = groups.body.items.find((g: AnyJson) => g.kind === 'registered');
    o.log(
      `setup: ${o.participants}-participant webinar imported in ${fmt((Date.now() - setupStarted) / 1000, 1)} s`,
    );
    const send = async () => {
      const m = await t
        .http()
        .post('/api/v1/mailings')
        .set(mailer.auth)
        .send({ subject: 'Bench', targetGroupIds: [registered.id] })
        .expect(201);
      hooksMs = 0;
      const r = await t.http().post(`/api/v1/mailings/${m.body.id}/send`).set(mailer.auth);
      if (r.status !== 200 || r.body.sync.synced.length !== 1)
        throw new Error(`send failed: ${r.status} ${JSON.stringify(r.body.sync ?? r.body)}`);
      const [job] = await ds.query(
        'SELECT created_at, started_at, finished_at, result FROM sync_job WHERE account_id = ? ORDER BY id DESC LIMIT 1',
        [mailer.id],
      );
      const result = typeof job.result === 'string' ? JSON.parse(job.result) : job.result;
      const at = (v: Date | string) => new Date(v).getTime();
      const ms = result?.timingsMs ?? {};
      lastBreakdown =
        `queued ${fmt((at(job.started_at) - at(job.created_at)) / 1000, 1)} s (1 s resolution), ` +
        `fetch ${fmt((ms.fetch ?? NaN) / 1000)} s in ${result?.apiCalls} calls, merge ${fmt((ms.merge ?? NaN) / 1000)} s, writes ${fmt((ms.write ?? NaN) / 1000)} s`;
      return hooksMs;
    };
    let lastBreakdown = '';

    for (const n of o.processes) {
      await ds.query(
        "DELETE FROM sync_job WHERE account_id = ? AND status IN ('queued','running')",
        [big.id],
      );
      const workers = await startWorkers(n);
      const mailingIdleMs = await send();
      await simGet('/_sim/counters/reset', 'POST');
      const t0 = Date.now();
      for (const org of bigOrganizers)
        await t.http().post(`/api/v1/organizers/${org.id}/sync`).set(big.auth).expect(202);
      // Saturated once the simulator has served three seconds' worth (polled, with a deadline).
      while ((await simGet('/_sim/counters')).total < 3 * o.rate && Date.now() < t0 + 20_000)
        await new Promise((r) => setTimeout(r, 200));
      const mailingContendedMs = await send();
      o.log(`  before-send job during the full sync: ${lastBreakdown}`);
      const left = t0 + o.windowSeconds * 1000 - Date.now();
      if (left > 0) await new Promise((r) => setTimeout(r, left));
      const tEnd = Date.now();
      const log: SimRequestRecord[] = (await simGet('/_sim/requests')).requests;
      const counters = await simGet('/_sim/counters');
      const stats = await stopWorkers(workers);
      const inWindow = log.filter((r) => r.at <= tEnd);
      const first = inWindow[0]?.at ?? t0;
      const wall = (tEnd - first) / 1000;
      const used = stats.flatMap((s) => (s.budget ? [s.budget] : []));
      const sent = stats.flatMap((s) => s.sent).filter((at) => at >= t0 && at <= tEnd);
      const f: RealtimeFigures = {
        processes: n,
        calls: inWindow.length,
        served429: counters.byStatus['429'] ?? 0,
        maxInOneSecond: maxInAnyWindow(inWindow.map((r) => r.at)),
        maxInOneSecondSent: maxInAnyWindow(sent),
        budgetUse: wall / (inWindow.length / o.rate),
        dbRoundTripsPerCall: used.length
          ? used.reduce((a, s) => a + s.roundTrips, 0) / used.reduce((a, s) => a + s.slotsUsed, 0)
          : null,
        mailingIdleMs,
        mailingContendedMs,
        mailingAddedMs: mailingContendedMs - mailingIdleMs,
      };
      figures.push(f);
      o.log(
        `realtime ${n} process(es), GOTO_MAX_RPS=${o.rate}, simulator limit ${o.rate}/s: ${f.calls} GoTo requests in ${fmt(wall, 1)} s; ` +
          `429s ${f.served429}; max in any 1 s ${f.maxInOneSecond} as the simulator saw them, ${f.maxInOneSecondSent} as sent; budget use (wall ÷ (calls ÷ rate)) ${fmt(f.budgetUse)}; ` +
          `DB round trips per call ${f.dbRoundTripsPerCall === null ? 'n/a' : fmt(f.dbRoundTripsPerCall)}; ` +
          `mailing before-send ${fmt(mailingIdleMs / 1000)} s idle, ${fmt(mailingContendedMs / 1000)} s during the full sync (+${fmt(f.mailingAddedMs / 1000)} s)`,
      );
    }
  } finally {
    for (const c of children) if (c !== simProc.child) c.kill();
    await t.close();
    simProc.child.send({ op: 'close' });
  }
  return figures;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (require.main === module) {
  runRealtimePhase({
    processes: arg('processes')?.split(',').map(Number),
    windowSeconds: arg('window') ? Number(arg('window')) : undefined,
    appRoot: arg('app-root') ? resolve(arg('app-root')!) : undefined,
  })
    .then(() => process.exit(0))
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
