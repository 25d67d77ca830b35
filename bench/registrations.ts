// Registering N subscribers in GoTo against the simulator with GoTo's rate limit enforced.
//
//   npx ts-node --transpile-only bench/registrations.ts [--people 1000] [--rps 10]
//
// The simulator answers 429 beyond --rps requests/s; the app paces at GOTO_MAX_RPS (same value).
// A synced past webinar provides N subscribers (its Registered group); they are registered for
// an upcoming webinar with POST /webinars/:id/registrations {targetGroupId}. Prints the calls
// made to the create-registrant endpoint, the 429s the simulator answered, and the wall time.
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { startSimulator } from '../src/simulator/simulator';
import { createOrganizerTestApp, linkOrganizer } from '../test/support/factories/organizer.factory';
import { drainQueue } from '../test/support/sync/drain-queue';

const DAY = 86_400_000;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      people: { type: 'string', default: '1000' },
      rps: { type: 'string', default: '10' },
    },
  });
  const people = Number(values.people);
  const rps = Number(values.rps);
  const sim = await startSimulator({ port: 0, organizers: 1, webinars: 0, registrants: 0 });
  const org = sim.store.listOrganizers()[0];
  const now = sim.store.now().getTime();
  const time = (start: number) => [
    { startTime: new Date(start).toISOString(), endTime: new Date(start + 3600_000).toISOString() },
  ];
  const source = sim.store.addWebinar(org.organizerKey, {
    subject: 'Source',
    times: time(now - 2 * DAY),
  });
  for (let i = 0; i < people; i++)
    sim.store.addRegistrant(source.webinarKey, {
      firstName: `P${i}`,
      lastName: 'Bench',
      email: `p${i}@bench.example`,
    });
  const target = sim.store.addWebinar(org.organizerKey, {
    subject: 'Target',
    times: time(now + 7 * DAY),
  });
  const t = await createOrganizerTestApp('sqlite', sim, {
    config: { goto: { apiUrl: sim.url, authUrl: sim.url, maxRps: rps, maxRetries: 5 } },
  });
  try {
    const account = await t.createAccount();
    await linkOrganizer(t, account, org);
    await drainQueue(t.app, { advanceClock: true });
    const ds = t.app.get(DataSource);
    const [group] = await ds.query(
      `SELECT tg.id AS id FROM target_group tg JOIN webinar w ON w.id = tg.webinar_id
        WHERE w.subject = 'Source' AND tg.kind = 'registered'`,
    );
    const [webinar] = await ds.query(`SELECT id FROM webinar WHERE subject = 'Target'`);
    sim.store.updateSettings({ rateLimitRps: rps });
    sim.counters.reset();
    const t0 = performance.now();
    const res = await t
      .http()
      .post(`/api/v1/webinars/${webinar.id}/registrations`)
      .set(account.auth)
      .send({ targetGroupId: group.id })
      .expect(202);
    await drainQueue(t.app, { advanceClock: true });
    const seconds = (performance.now() - t0) / 1000;
    const [job] = await ds.query('SELECT status, result FROM sync_job WHERE id = ?', [
      res.body.jobId,
    ]);
    const c = sim.counters.read();
    const create = Object.entries(c.byEndpoint).find(
      ([k]) => k.startsWith('POST') && k.endsWith('/registrants'),
    );
    console.log(`job ${job.status}: ${job.result}`);
    console.log(
      `RESULT registrations: ${people} people, ${sim.store.listRegistrants(target.webinarKey).length} registrants in GoTo, ` +
        `create-registrant answers ${JSON.stringify(create?.[1] ?? {})}, all 429s ${c.byStatus['429'] ?? 0}, ` +
        `${seconds.toFixed(1)} s (${(people / seconds).toFixed(1)}/s at GOTO_MAX_RPS=${rps})`,
    );
  } finally {
    await t.close();
    await sim.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
