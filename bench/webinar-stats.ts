// Time of GET /webinars/:id/stats (the webinar page's charts) for a 10,000-participant webinar.
//
//   npx ts-node --transpile-only bench/webinar-stats.ts [--dialect sqlite|mysql] [--rows 10000] [--runs 30]
//
// Seeds the webinar through the sync's repository (bench/seed-webinar.ts), turns the engaged step
// on, then times the HTTP call (loopback, through the whole app). Target: ≤ 200 ms.
import { createTestApp } from '../test/support/test-app';
import { seedWebinar } from './seed-webinar';
import { storedDataBenchArgs, timeGets } from './stored-data-timing';

async function main(): Promise<void> {
  const { dialect, rows, runs } = storedDataBenchArgs();
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
    const { body, figures } = await timeGets(
      t,
      `/api/v1/webinars/${webinarId}/stats`,
      account.auth,
      runs,
    );
    const stats = body as { funnel: Array<{ count: number }>; registrationsPerDay: unknown[] };
    if (stats.funnel[0].count !== rows) throw new Error(`unexpected ${JSON.stringify(stats)}`);
    console.log(
      `RESULT webinar stats [${dialect}] ${rows} participants (${stats.registrationsPerDay.length} days): ${figures}`,
    );
  } finally {
    await t.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
