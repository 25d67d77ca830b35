// What a mailing send costs when it first syncs a 10,000-participant webinar whose participants
// changed, against the in-process GoTo simulator with pacing off.
//
//   npx ts-node --transpile-only bench/mailing-send.bench.ts [--dialect sqlite|mysql]
//        [--participants 10000] [--changed 200] [--rounds 3]
//
// MySQL uses TEST_DATABASE_URL (default mysql://root@127.0.0.1:3306/test; a scratch schema is
// created and dropped). Prints one line per round and a summary; target: added time ≤ 2 s.
import { DataSource } from 'typeorm';
import { startSimulator, RunningSimulator } from '../src/simulator/simulator';
import { createTestApp, TestApp } from '../test/support/test-app';
import { Dialect } from '../test/support/test-database';

interface Args {
  dialect: Dialect;
  participants: number;
  changed: number;
  rounds: number;
}

function parseArgs(argv: string[]): Args {
  const get = (name: string, d: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 && argv[i + 1] ? argv[i + 1] : d;
  };
  return {
    dialect: get('dialect', 'sqlite') as Dialect,
    participants: Number(get('participants', '10000')),
    changed: Number(get('changed', '200')),
    rounds: Number(get('rounds', '3')),
  };
}

async function waitForIdle(t: TestApp, accountId: number, timeoutMs: number): Promise<void> {
  const ds = t.app.get(DataSource);
  const until = Date.now() + timeoutMs;
  for (;;) {
    const [{ n }] = await ds.query(
      `SELECT COUNT(*) AS n FROM sync_job WHERE account_id = ? AND status IN ('queued', 'running')`,
      [accountId],
    );
    if (Number(n) === 0) return;
    if (Date.now() > until) throw new Error('initial sync did not finish');
    await new Promise((r) => setTimeout(r, 100));
  }
}

type Auth = { Authorization: string };

async function timedSend(t: TestApp, auth: Auth, groupIds: number[]) {
  const created = await t
    .http()
    .post('/api/v1/mailings')
    .set(auth)
    .send({ subject: 'Bench', targetGroupIds: groupIds })
    .expect(201);
  const started = process.hrtime.bigint();
  const sent = await t
    .http()
    .post(`/api/v1/mailings/${created.body.id}/send`)
    .set(auth)
    .expect(200);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  return {
    ms,
    body: sent.body as {
      recipientCount: number;
      sync: { synced: unknown[]; skipped: unknown[]; warnings: unknown[] };
    },
  };
}

// New registrants and attendance of existing ones: what changes between two syncs of a live webinar.
function changeParticipants(
  sim: RunningSimulator,
  webinarKey: string,
  round: number,
  n: number,
): void {
  const existing = sim.store.listRegistrants(webinarKey);
  for (let i = 0; i < n; i++) {
    if (i % 2 === 0) {
      sim.store.addRegistrant(webinarKey, {
        firstName: 'New',
        lastName: `R${round}-${i}`,
        email: `bench.r${round}.${i}@new.example.com`,
      });
    } else {
      const r = existing[(round * n + i) % existing.length];
      try {
        sim.store.markAttendance(webinarKey, {
          registrantKey: r.registrantKey,
          attendanceTimeInSeconds: 600,
        });
      } catch {
        // already marked in this session: another registrant changes instead
        sim.store.addRegistrant(webinarKey, {
          firstName: 'New',
          lastName: `R${round}-${i}b`,
          email: `bench.r${round}.${i}b@new.example.com`,
        });
      }
    }
  }
}

const fmt = (ms: number) => `${ms.toFixed(0)} ms`;

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const sim = await startSimulator({ seed: 42, organizers: 1, webinars: 0 });
  const organizer = sim.store.listOrganizers()[0];
  const now = Date.now();
  const webinar = sim.store.addWebinar(organizer.organizerKey, {
    subject: 'Bench webinar',
    times: [
      {
        startTime: new Date(now - 2 * 86_400_000).toISOString(),
        endTime: new Date(now - 2 * 86_400_000 + 3_600_000).toISOString(),
      },
    ],
    registrants: args.participants,
  });
  const t = await createTestApp(args.dialect, {
    config: {
      goto: {
        apiUrl: sim.url,
        authUrl: sim.url,
        clientId: sim.clientId,
        clientSecret: sim.clientSecret,
        maxRps: 100_000,
      },
      sync: { workerEnabled: true },
      mailingSyncTimeoutMs: 60_000,
    },
  });
  try {
    const account = await t.createAccount('Bench');
    const linkStarted = Date.now();
    const org = await t
      .http()
      .post('/api/v1/organizers')
      .set(account.auth)
      .send({ email: organizer.email, password: organizer.password })
      .expect(201);
    await waitForIdle(t, account.id, 600_000);
    const webinars = await t.http().get('/api/v1/webinars').set(account.auth).expect(200);
    const ours = (webinars.body.items as { id: number; webinarKey: string }[]).find(
      (w) => w.webinarKey === webinar.webinarKey,
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
      `[${args.dialect}] initial sync of ${args.participants} participants: ${fmt(Date.now() - linkStarted)}`,
    );

    const unchanged = await timedSend(t, account.auth, [registered.id]);
    console.log(
      `[${args.dialect}] send, participants unchanged: ${fmt(unchanged.ms)} (${unchanged.body.recipientCount} recipients)`,
    );

    const changedRuns: number[] = [];
    for (let round = 1; round <= args.rounds; round++) {
      changeParticipants(sim, webinar.webinarKey, round, args.changed);
      const r = await timedSend(t, account.auth, [registered.id]);
      if (r.body.sync.synced.length !== 1)
        throw new Error(`sync did not complete: ${JSON.stringify(r.body.sync)}`);
      changedRuns.push(r.ms);
      console.log(
        `[${args.dialect}] send, ${args.changed} participants changed (round ${round}): ${fmt(r.ms)} (${r.body.recipientCount} recipients)`,
      );
    }

    // The same send without any sync (organizer deactivated): what the hook adds is the difference.
    await t
      .http()
      .patch(`/api/v1/organizers/${org.body.id}`)
      .set(account.auth)
      .send({ active: false })
      .expect(200);
    const noSync = await timedSend(t, account.auth, [registered.id]);
    console.log(
      `[${args.dialect}] send without sync (organizer inactive): ${fmt(noSync.ms)} (${noSync.body.recipientCount} recipients)`,
    );

    const median = [...changedRuns].sort((a, b) => a - b)[Math.floor(changedRuns.length / 2)];
    const added = median - noSync.ms;
    console.log(
      `RESULT mailing-send [${args.dialect}] participants=${args.participants} changed=${args.changed}: ` +
        `send with sync (median of ${changedRuns.length}) ${fmt(median)}, without sync ${fmt(noSync.ms)}, ` +
        `added by the before-send sync ${fmt(added)} (target ≤ 2000 ms) ${added <= 2000 ? 'OK' : 'OVER'}`,
    );
  } finally {
    await t.close();
    await sim.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
