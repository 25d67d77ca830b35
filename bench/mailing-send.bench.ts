// What a mailing send costs when it first syncs a 10,000-participant webinar whose participants
// changed, against the GoTo simulator with pacing off.
//
//   npx ts-node --transpile-only bench/mailing-send.bench.ts [--dialect sqlite|mysql]
//        [--participants 10000] [--changed 200] [--rounds 3] [--sim child|inprocess] [--latency 0]
//
// The simulator runs in a child process by default (it stands in for GoTo, a remote service, so its
// CPU is not ours); `--sim inprocess` shares one event loop with the app. MySQL uses
// TEST_DATABASE_URL (default mysql://root@127.0.0.1:3306/test; a scratch schema is created and
// dropped). Prints one line per send and a RESULT line; target: time added by the sync ≤ 2 s.
import { ChildProcess, fork } from 'node:child_process';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { BeforeSendHooks } from '../src/mailings/before-send-hooks';
import { startSimulator } from '../src/simulator/simulator';
import { WebinarParticipantsSyncHandler } from '../src/sync/handlers/webinar-participants-sync.handler';
import { linkOrganizer } from '../test/support/factories/organizer.factory';
import { createTestApp, TestApp } from '../test/support/test-app';
import { Dialect } from '../test/support/test-database';
import { waitForIdle } from '../test/support/wait-for-idle';

interface Args {
  dialect: Dialect;
  participants: number;
  changed: number;
  rounds: number;
  sim: 'child' | 'inprocess';
  /** Added to every GoTo API answer (ms): a network round trip, which the loopback does not have. */
  latencyMs: number;
}

function readArgs(argv: string[]): Args & { simChild: boolean } {
  const text = (d: string) => ({ type: 'string', default: d }) as const;
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      dialect: text('sqlite'),
      participants: text('10000'),
      changed: text('200'),
      rounds: text('3'),
      sim: text('child'),
      latency: text('0'),
      // Set by the parent on the simulator child it forks.
      'sim-child': { type: 'boolean', default: false },
    },
  });
  const int = (name: 'participants' | 'changed' | 'rounds' | 'latency') => {
    if (!/^\d+$/.test(values[name])) throw new Error(`--${name} needs a non-negative integer`);
    return Number(values[name]);
  };
  if (values.dialect !== 'sqlite' && values.dialect !== 'mysql')
    throw new Error('--dialect needs sqlite or mysql');
  if (values.sim !== 'child' && values.sim !== 'inprocess')
    throw new Error('--sim needs child or inprocess');
  return {
    dialect: values.dialect,
    participants: int('participants'),
    changed: int('changed'),
    rounds: int('rounds'),
    sim: values.sim,
    latencyMs: int('latency'),
    simChild: values['sim-child'],
  };
}

// ---- the simulator side: one webinar with N registrants, changed between sends -------------------

interface SimInfo {
  url: string;
  clientId: string;
  clientSecret: string;
  email: string;
  password: string;
  webinarKey: string;
}

interface BenchSim {
  info: SimInfo;
  change(round: number, n: number): Promise<void>;
  close(): Promise<void>;
}

async function startBenchSimInProcess(participants: number, latencyMs = 0): Promise<BenchSim> {
  const sim = await startSimulator({ seed: 42, organizers: 1, webinars: 0, rateLimitRps: null });
  if (latencyMs > 0) sim.faults.inject({ type: 'latency', path: '^/G2W/', latencyMs });
  const organizer = sim.store.listOrganizers()[0];
  const started = Date.now() - 2 * 86_400_000;
  const webinar = sim.store.addWebinar(organizer.organizerKey, {
    subject: 'Bench webinar',
    times: [
      {
        startTime: new Date(started).toISOString(),
        endTime: new Date(started + 3_600_000).toISOString(),
      },
    ],
    registrants: participants,
  });
  return {
    info: {
      url: sim.url,
      clientId: sim.clientId,
      clientSecret: sim.clientSecret,
      email: organizer.email,
      password: organizer.password,
      webinarKey: webinar.webinarKey,
    },
    // New registrants and attendance of existing ones: what changes between two syncs of a live webinar.
    change: async (round, n) => {
      const existing = sim.store.listRegistrants(webinar.webinarKey);
      for (let i = 0; i < n; i++) {
        const fresh = (suffix = '') =>
          sim.store.addRegistrant(webinar.webinarKey, {
            firstName: 'New',
            lastName: `R${round}-${i}${suffix}`,
            email: `bench.r${round}.${i}${suffix}@new.example.com`,
          });
        if (i % 2 === 0) fresh();
        else {
          try {
            sim.store.markAttendance(webinar.webinarKey, {
              registrantKey: existing[(round * n + i) % existing.length].registrantKey,
              attendanceTimeInSeconds: 600,
            });
          } catch {
            fresh('b'); // already attended: another change instead
          }
        }
      }
    },
    close: () => sim.close(),
  };
}

async function startBenchSimChild(participants: number, latencyMs = 0): Promise<BenchSim> {
  const child: ChildProcess = fork(
    __filename,
    ['--sim-child', '--participants', String(participants), '--latency', String(latencyMs)],
    {
      execArgv: ['-r', 'ts-node/register/transpile-only'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  let next = 1;
  const pending = new Map<number, (r: unknown) => void>();
  child.on('message', (m: { id: number; result: unknown }) => {
    pending.get(m.id)?.(m.result);
    pending.delete(m.id);
  });
  const ask = <T>(op: string, args: unknown[] = []) =>
    new Promise<T>((resolve) => {
      const id = next++;
      pending.set(id, resolve as (r: unknown) => void);
      child.send({ id, op, args });
    });
  const info = await ask<SimInfo>('info');
  return {
    info,
    change: (round, n) => ask('change', [round, n]),
    close: async () => {
      await ask('close');
      child.disconnect();
    },
  };
}

async function simChildMain(participants: number, latencyMs: number): Promise<void> {
  const sim = await startBenchSimInProcess(participants, latencyMs);
  process.on('message', async (m: { id: number; op: string; args: unknown[] }) => {
    const reply = (result: unknown) => process.send!({ id: m.id, result: result ?? true });
    if (m.op === 'info') return reply(sim.info);
    if (m.op === 'change') return reply(await sim.change(m.args[0] as number, m.args[1] as number));
    if (m.op === 'close') return reply(await sim.close());
  });
}

// ---- the service side -------------------------------------------------------------------------------

// Where the time goes: the hooks as a whole, and the participant sync job itself (in the worker).
const timings = { hooksMs: 0, jobMs: 0 };
function instrument(t: TestApp): void {
  const wrap = <T extends object>(target: T, method: keyof T, key: keyof typeof timings) => {
    const original = (target[method] as (...a: unknown[]) => Promise<unknown>).bind(target);
    (target as Record<keyof T, unknown>)[method] = async (...a: unknown[]) => {
      const started = process.hrtime.bigint();
      try {
        return await original(...a);
      } finally {
        timings[key] = Number(process.hrtime.bigint() - started) / 1e6;
      }
    };
  };
  wrap(t.app.get(BeforeSendHooks, { strict: false }), 'run', 'hooksMs');
  wrap(t.app.get(WebinarParticipantsSyncHandler, { strict: false }), 'handle', 'jobMs');
}

type Auth = { Authorization: string };
interface SendBody {
  recipientCount: number;
  sync: { synced: unknown[]; skipped: unknown[]; warnings: unknown[] };
}

async function timedSend(t: TestApp, auth: Auth, groupIds: number[]) {
  const created = await t
    .http()
    .post('/api/v1/mailings')
    .set(auth)
    .send({ subject: 'Bench', targetGroupIds: groupIds })
    .expect(201);
  timings.hooksMs = 0;
  timings.jobMs = 0;
  const started = process.hrtime.bigint();
  const sent = await t
    .http()
    .post(`/api/v1/mailings/${created.body.id}/send`)
    .set(auth)
    .expect(200);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const body = sent.body as SendBody;
  // The participant sync reports its own phases (GoTo fetch, merge, database write).
  const jobId = (body.sync.synced[0] as { jobId?: number } | undefined)?.jobId;
  const [row] = jobId
    ? await t.app.get(DataSource).query('SELECT result FROM sync_job WHERE id = ?', [jobId])
    : [];
  const result = row?.result
    ? (JSON.parse(row.result) as {
        timingsMs?: Record<string, number>;
        apiCalls?: number;
        rowsWritten?: number;
      })
    : undefined;
  const phases = result?.timingsMs
    ? ` [job: ${Object.entries(result.timingsMs)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')} ms; ${result.apiCalls} GoTo calls, ${result.rowsWritten} rows written]`
    : '';
  return { ms, hooksMs: timings.hooksMs, jobMs: timings.jobMs, body, phases };
}

const fmt = (ms: number) => `${ms.toFixed(0)} ms`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(args: Args): Promise<void> {
  const tag = `[${args.dialect}, simulator ${args.sim}${args.latencyMs > 0 ? `, +${args.latencyMs} ms latency` : ''}]`;
  const sim =
    args.sim === 'child'
      ? await startBenchSimChild(args.participants, args.latencyMs)
      : await startBenchSimInProcess(args.participants, args.latencyMs);
  const t = await createTestApp(args.dialect, {
    config: {
      goto: {
        apiUrl: sim.info.url,
        authUrl: sim.info.url,
        clientId: sim.info.clientId,
        clientSecret: sim.info.clientSecret,
        maxRps: 100_000,
      },
      sync: { workerEnabled: true },
      mailingSyncTimeoutMs: 60_000,
    },
  });
  try {
    instrument(t);
    const account = await t.createAccount('Bench');
    const linkStarted = Date.now();
    const linked = await linkOrganizer(t, account, sim.info);
    if (linked.status !== 201) throw new Error(`linking the organizer failed: ${linked.text}`);
    await waitForIdle(t, account.id, 600_000);
    const webinars = await t.http().get('/api/v1/webinars').set(account.auth).expect(200);
    const ours = (webinars.body.items as { id: number; webinarKey: string }[]).find(
      (w) => w.webinarKey === sim.info.webinarKey,
    );
    if (!ours) throw new Error('bench webinar not imported');
    const groups = await t
      .http()
      .get('/api/v1/target-groups')
      .query({ webinarId: ours.id })
      .set(account.auth)
      .expect(200);
    const registered = (groups.body.items as { id: number; kind: string }[]).find(
      (g) => g.kind === 'registered',
    )!;
    console.log(
      `${tag} initial sync of ${args.participants} participants: ${fmt(Date.now() - linkStarted)}`,
    );

    const unchanged = await timedSend(t, account.auth, [registered.id]);
    console.log(
      `${tag} send, participants unchanged: ${fmt(unchanged.ms)} (hooks ${fmt(unchanged.hooksMs)}, sync job ${fmt(unchanged.jobMs)}; ${unchanged.body.recipientCount} recipients)${unchanged.phases}`,
    );

    const runs: { ms: number; hooksMs: number; jobMs: number }[] = [];
    for (let round = 1; round <= args.rounds; round++) {
      await sim.change(round, args.changed);
      const r = await timedSend(t, account.auth, [registered.id]);
      if (r.body.sync.synced.length !== 1)
        throw new Error(`sync did not complete: ${JSON.stringify(r.body.sync)}`);
      runs.push(r);
      console.log(
        `${tag} send, ${args.changed} participants changed (round ${round}): ${fmt(r.ms)} (hooks ${fmt(r.hooksMs)}, sync job ${fmt(r.jobMs)}; ${r.body.recipientCount} recipients)${r.phases}`,
      );
    }

    // The same send without any sync (integration switched off, so the webinar is skipped): what the
    // hook adds is the difference.
    await t
      .http()
      .put('/api/v1/webinar-integration/settings')
      .set(account.auth)
      .send({ active: false })
      .expect(200);
    const noSync = await timedSend(t, account.auth, [registered.id]);
    if (noSync.body.sync.skipped.length !== 1)
      throw new Error(`expected the webinar skipped: ${JSON.stringify(noSync.body.sync)}`);
    console.log(
      `${tag} send without sync (integration inactive): ${fmt(noSync.ms)} (${noSync.body.recipientCount} recipients)`,
    );

    const withSync = median(runs.map((r) => r.ms));
    const added = withSync - noSync.ms;
    console.log(
      `RESULT mailing-send ${tag} participants=${args.participants} changed=${args.changed}: send with sync ${fmt(withSync)} ` +
        `(median of ${runs.length}; sync job ${fmt(median(runs.map((r) => r.jobMs)))}, hook overhead ${fmt(median(runs.map((r) => r.hooksMs - r.jobMs)))}), ` +
        `without sync ${fmt(noSync.ms)}; added by the before-send sync ${fmt(added)} (target ≤ 2000 ms) ${added <= 2000 ? 'OK' : 'OVER'}`,
    );
  } finally {
    await t.close();
    await sim.close();
  }
}

const cli = readArgs(process.argv.slice(2));
(cli.simChild ? simChildMain(cli.participants, cli.latencyMs) : main(cli)).catch((err) => {
  console.error(err);
  process.exit(1);
});
