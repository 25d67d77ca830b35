// `npx ts-node --transpile-only bench/webhook-latency.ts [--events 1000] [--joins 300] [--rate 25]
//   [--dialects sqlite,mysql] [--busy on|off]`
// Webhook latency end to end: a registration made in the simulator -> GoTo's signed POST to the
// service -> stored, queued, processed -> the person is a member of the webinar's Registered group;
// then a join -> the Attended group. The real application (HTTP server, queue worker, handlers) on a
// fresh database; the worker is kept busy with participant syncs of other webinars (1,000
// registrants each) the whole time. The simulator runs in this process too (its deliveries share the
// event loop with the service: the figures include that).
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { AccountsService } from '../src/accounts/accounts.service';
import { AppModule } from '../src/app.module';
import { configureApp } from '../src/app.setup';
import { AppConfig, loadConfig } from '../src/config/app-config';
import { RunningSimulator, startSimulator } from '../src/simulator/simulator';
import { SYNC_JOB_TYPES, SYNC_PRIORITY } from '../src/sync/sync-job-types';
import { SyncQueue } from '../src/sync/sync-queue.service';
import { memberOfGroup } from '../src/participants/participant-membership';
import { BenchDialect, freshDatabase } from './bench-sync';

const HOUR = 3_600_000;
const POLL_MS = 20;

interface Args {
  events: number;
  joins: number;
  rate: number;
  dialects: BenchDialect[];
  busy: boolean;
  mysqlUrl: string;
}

function parseArgs(argv: string[]): Args {
  const a: Args = {
    events: 1000,
    joins: 300,
    rate: 25,
    dialects: ['sqlite', 'mysql'],
    busy: true,
    mysqlUrl: process.env.BENCH_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/test',
  };
  for (let i = 0; i < argv.length; i += 2) {
    const v = argv[i + 1];
    if (argv[i] === '--events') a.events = Number(v);
    else if (argv[i] === '--joins') a.joins = Number(v);
    else if (argv[i] === '--rate') a.rate = Number(v);
    else if (argv[i] === '--dialects') a.dialects = v.split(',') as BenchDialect[];
    else if (argv[i] === '--busy') a.busy = v !== 'off';
    else throw new Error(`unknown flag ${argv[i]}`);
  }
  return a;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((x, y) => x - y);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : NaN;
};

async function runOne(dialect: BenchDialect, args: Args): Promise<void> {
  const db = await freshDatabase(dialect, args.mysqlUrl);
  const sim: RunningSimulator = await startSimulator({
    seed: 5,
    organizers: 1,
    webinars: 12,
    registrants: 1000,
  });
  const port = 3900 + Math.floor(Math.random() * 90);
  const base = loadConfig({
    LOG_LEVEL: 'silent',
    GOTO_SIMULATOR: 'true',
    CREDENTIALS_KEY: Buffer.alloc(32, 7).toString('base64'),
    DATABASE_URL: 'sqlite::memory:',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    WEBHOOKS_ENABLED: 'true',
  });
  const config = new AppConfig({
    ...base,
    port,
    database: db.config,
    goto: { ...base.goto, apiUrl: sim.url, authUrl: sim.url, maxRps: 1_000_000, maxRetries: 3 },
    sync: { ...base.sync, workerEnabled: true, schedulerEnabled: false },
  });
  const app = configureApp(
    await NestFactory.create(AppModule.forRoot(config), { logger: false, bufferLogs: false }),
  );
  await app.listen(port);
  const ds = app.get(DataSource);
  const queue = app.get(SyncQueue);
  try {
    const orgInfo = sim.store.listOrganizers()[0];
    // The webinars events go to: upcoming, created before the link so the first sync brings them in.
    const targets = [0, 1, 2, 3].map((i) =>
      sim.store.addWebinar(orgInfo.organizerKey, {
        subject: `Latency target ${i}`,
        times: [
          {
            startTime: new Date(Date.now() + (24 + i) * HOUR).toISOString(),
            endTime: new Date(Date.now() + (25 + i) * HOUR).toISOString(),
          },
        ],
      }),
    );
    const account = await app.get(AccountsService).create('Latency bench');
    const linked = await fetch(`http://127.0.0.1:${port}/api/v1/organizers`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${account.apiKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: orgInfo.email, password: orgInfo.password }),
    });
    const organizer = (await linked.json()) as { id: number; initialSyncJobId: number | null };
    const initialSyncJobId = organizer.initialSyncJobId;
    await queue.waitForJobs([initialSyncJobId!], new Date(Date.now() + 5 * 60_000));
    // wait for the chained participant jobs and the subscription
    for (let i = 0; i < 3000; i++) {
      const [{ n }] = await ds.query(
        `SELECT COUNT(*) AS n FROM sync_job WHERE status IN ('queued','running')`,
      );
      const [o] = await ds.query('SELECT webhook_state FROM organizer WHERE id = ?', [
        organizer.id,
      ]);
      if (Number(n) === 0 && o.webhook_state === 'on') break;
      await sleep(100);
    }
    const groupOf = async (key: string, kind: string): Promise<number> =>
      Number(
        (
          await ds.query(
            `SELECT tg.id FROM target_group tg JOIN webinar w ON w.id = tg.webinar_id
              WHERE w.account_id = ? AND w.webinar_key = ? AND tg.kind = ?`,
            [account.id, key, kind],
          )
        )[0].id,
      );
    const registered = new Map<string, number>();
    const attended = new Map<string, number>();
    for (const w of targets) {
      registered.set(w.webinarKey, await groupOf(w.webinarKey, 'registered'));
      attended.set(w.webinarKey, await groupOf(w.webinarKey, 'attended'));
    }
    const others = (
      await ds.query(
        `SELECT id FROM webinar WHERE account_id = ? AND webinar_key NOT IN (${targets.map(() => '?').join(',')}) AND status <> 'cancelled'`,
        [account.id, ...targets.map((w) => w.webinarKey)],
      )
    ).map((r: { id: number }) => Number(r.id));

    // Keep the worker busy: participant syncs of the other webinars, always two queued.
    let busyJobs = 0;
    let stopBusy = false;
    const busy = (async () => {
      let i = 0;
      while (args.busy && !stopBusy && others.length > 0) {
        const [{ n }] = await ds.query(
          `SELECT COUNT(*) AS n FROM sync_job WHERE type = ? AND status IN ('queued','running')`,
          [SYNC_JOB_TYPES.WEBINAR_PARTICIPANTS_SYNC],
        );
        if (Number(n) < 3) {
          const r = await queue.enqueueWithOutcome({
            type: SYNC_JOB_TYPES.WEBINAR_PARTICIPANTS_SYNC,
            accountId: account.id,
            organizerId: organizer.id,
            webinarId: others[i++ % others.length],
            priority: SYNC_PRIORITY.ON_DEMAND,
          });
          if (r.created) busyJobs++;
        }
        await sleep(50);
      }
    })();

    // Watch membership: pending people -> the instant their group shows them.
    const watch = (groups: Map<string, number>) => {
      const pending = new Map<string, { key: string; t0: number }>();
      const seen: number[] = [];
      let stop = false;
      const loop = (async () => {
        while (!stop || pending.size > 0) {
          const byGroup = new Map<number, string[]>();
          for (const [email, p] of pending) {
            const g = groups.get(p.key)!;
            byGroup.set(g, [...(byGroup.get(g) ?? []), email]);
          }
          for (const [g, emails] of byGroup) {
            const rows: Array<{ email: string }> = await ds.query(
              `SELECT s.email FROM target_group tg
                 JOIN webinar_participant wp ON wp.webinar_id = tg.webinar_id
                 JOIN subscriber s ON s.id = wp.subscriber_id
                WHERE tg.id = ? AND ${memberOfGroup('tg', 'wp')} AND s.email IN (${emails.map(() => '?').join(',')})`,
              [g, ...emails],
            );
            const now = performance.now();
            for (const r of rows) {
              const p = pending.get(r.email);
              if (p) {
                seen.push(now - p.t0);
                pending.delete(r.email);
              }
            }
          }
          await sleep(POLL_MS);
        }
      })();
      return {
        add: (email: string, key: string) => pending.set(email, { key, t0: performance.now() }),
        finish: async (deadlineMs: number) => {
          const until = Date.now() + deadlineMs;
          while (pending.size > 0 && Date.now() < until) await sleep(50);
          const lost = pending.size;
          pending.clear();
          stop = true;
          await loop;
          return { seen, lost };
        },
      };
    };

    const reg = watch(registered);
    const people: Array<{ email: string; key: string; registrantKey: string }> = [];
    const t0 = Date.now();
    for (let i = 0; i < args.events; i++) {
      const w = targets[i % targets.length];
      const email = `lat${i}@bench.example.com`;
      reg.add(email, w.webinarKey);
      const r = sim.store.addRegistrant(w.webinarKey, {
        firstName: 'Lat',
        lastName: String(i),
        email,
      });
      people.push({ email, key: w.webinarKey, registrantKey: r.registrantKey });
      const due = t0 + ((i + 1) * 1000) / args.rate;
      if (due > Date.now()) await sleep(due - Date.now());
    }
    const regResult = await reg.finish(60_000);

    const att = watch(attended);
    const t1 = Date.now();
    for (let i = 0; i < Math.min(args.joins, people.length); i++) {
      const p = people[i];
      att.add(p.email, p.key);
      sim.store.markAttendance(p.key, { registrantKey: p.registrantKey });
      const due = t1 + ((i + 1) * 1000) / args.rate;
      if (due > Date.now()) await sleep(due - Date.now());
    }
    const attResult = await att.finish(60_000);
    stopBusy = true;
    await busy;

    const fmt = (ms: number) => `${(ms / 1000).toFixed(3)} s`;
    console.log(
      `\n[${dialect}] worker loops ${dialect === 'mysql' ? config.sync.workerConcurrency : 1}, busy: ${args.busy ? `${busyJobs} participant syncs of 1,000 registrants ran alongside` : 'no'}`,
    );
    console.log(
      `  registration -> Registered group: n=${regResult.seen.length} (lost ${regResult.lost})  p50 ${fmt(pct(regResult.seen, 50))}  p95 ${fmt(pct(regResult.seen, 95))}  max ${fmt(Math.max(...regResult.seen))}`,
    );
    console.log(
      `  join -> Attended group:           n=${attResult.seen.length} (lost ${attResult.lost})  p50 ${fmt(pct(attResult.seen, 50))}  p95 ${fmt(pct(attResult.seen, 95))}  max ${fmt(Math.max(...attResult.seen))}`,
    );
    const jobs: Array<{ n: number; s: number }> = await ds.query(
      `SELECT COUNT(*) AS n, SUM(CASE WHEN started_at IS NOT NULL AND finished_at IS NOT NULL THEN 1 ELSE 0 END) AS s FROM sync_job WHERE type = ?`,
      [SYNC_JOB_TYPES.WEBHOOK_EVENT],
    );
    console.log(`  webhook jobs: ${jobs[0].n} for ${args.events + args.joins} events`);
    const delivered = sim.webhooks.deliveries.filter((d) => d.result === 200).length;
    console.log(`  deliveries answered 200: ${delivered} of ${sim.webhooks.deliveries.length}`);
  } finally {
    await app.close();
    await sim.close();
    await db.drop();
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  console.log(
    `webhook latency: ${args.events} registrations and ${args.joins} joins at ${args.rate}/s, dialects ${args.dialects.join(', ')}`,
  );
  for (const d of args.dialects) await runOne(d, args);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
