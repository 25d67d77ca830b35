// Time of GET /webinars/:id/stats (the webinar page's charts) for a 10,000-participant webinar.
//
//   npx ts-node --transpile-only bench/webinar-stats.ts [--dialect sqlite|mysql] [--rows 10000] [--runs 30]
//
// Seeds the webinar through the sync's repository (bench/seed-webinar.ts), turns the engaged step
// on, then times the HTTP call (loopback, through the whole app). Target: ≤ 200 ms.
import { parseArgs } from 'node:util';
import { createTestApp } from '../test/support/test-app';
import { Dialect } from '../test/support/test-database';
import { seedWebinar } from './seed-webinar';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      dialect: { type: 'string', default: 'sqlite' },
      rows: { type: 'string', default: '10000' },
      runs: { type: 'string', default: '30' },
    },
  });
  const dialect = values.dialect as Dialect;
  const rows = Number(values.rows);
  const t = await createTestApp(dialect);
  try {
    const account = await t.createAccount();
    const { webinarId } = await seedWebinar(t, account.id, rows);
    await t
      .http()
      .put('/api/v1/webinar-integration/settings')
      .set(account.auth)
      .send({ engagementMinutes: 10 })
      .expect(200);
    const times: number[] = [];
    let body: { funnel: Array<{ count: number }>; registrationsPerDay: unknown[] } | undefined;
    for (let i = 0; i < Number(values.runs); i++) {
      const t0 = performance.now();
      const res = await t
        .http()
        .get(`/api/v1/webinars/${webinarId}/stats`)
        .set(account.auth)
        .expect(200);
      times.push(performance.now() - t0);
      body = res.body;
    }
    if (body!.funnel[0].count !== rows) throw new Error(`unexpected ${JSON.stringify(body)}`);
    times.sort((a, b) => a - b);
    const p = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
    console.log(
      `RESULT webinar stats [${dialect}] ${rows} participants (${body!.registrationsPerDay.length} days): ` +
        `median ${p(0.5).toFixed(1)} ms, p90 ${p(0.9).toFixed(1)} ms, max ${times[times.length - 1].toFixed(1)} ms ` +
        `over ${times.length} runs (target ≤ 200 ms: ${p(0.5) <= 200 ? 'met' : 'MISSED'})`,
    );
  } finally {
    await t.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
