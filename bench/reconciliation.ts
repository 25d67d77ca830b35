// Time of GET /webinars/:id/reconciliation for a 10,000-participant webinar (stored data only).
//
//   npx ts-node --transpile-only bench/reconciliation.ts [--dialect sqlite|mysql] [--rows 10000] [--runs 30]
//
// Seeds the webinar through the sync's repository, stores GoTo's counts as the sync would, then
// times the HTTP call (loopback, through the whole app) and GET /reconciliation?drift=true.
// Target: ≤ 200 ms.
import { WebinarsService } from '../src/webinars/webinars.service';
import { createTestApp } from '../test/support/test-app';
import { seedWebinar } from './seed-webinar';
import { storedDataBenchArgs, timeGets } from './stored-data-timing';

async function main(): Promise<void> {
  const { dialect, rows, runs } = storedDataBenchArgs();
  const t = await createTestApp(dialect);
  try {
    const account = await t.createAccount();
    const { webinarId } = await seedWebinar(t, account.id, rows);
    const attended = Math.ceil(rows / 3);
    await t.app.get(WebinarsService).recordParticipantRead(webinarId, {
      at: new Date(),
      changed: false,
      counts: { registrants: rows, walkIns: 0, attendees: attended },
      attendanceFinal: false,
    });
    for (const [label, path] of [
      ['webinar', `/api/v1/webinars/${webinarId}/reconciliation`],
      ['drift list', '/api/v1/reconciliation?drift=true'],
    ]) {
      const { body, figures } = await timeGets(t, path, account.auth, runs);
      if (label === 'webinar') {
        const r = body as { drift: boolean; stored: { total: number } };
        if (r.drift || r.stored.total !== rows) throw new Error(`unexpected ${JSON.stringify(r)}`);
      }
      console.log(`RESULT reconciliation ${label} [${dialect}] ${rows} participants: ${figures}`);
    }
  } finally {
    await t.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
