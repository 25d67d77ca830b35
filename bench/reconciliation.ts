// Time of GET /webinars/:id/reconciliation for a 10,000-participant webinar (stored data only).
//
//   npx ts-node --transpile-only bench/reconciliation.ts [--dialect sqlite|mysql] [--rows 10000] [--runs 30]
//
// Seeds the webinar through the sync's repository, stores GoTo's counts as the sync would, then
// times the HTTP call (loopback, through the whole app) and GET /reconciliation?drift=true.
// Target: ≤ 200 ms.
import { parseArgs } from 'node:util';
import { WebinarsService } from '../src/webinars/webinars.service';
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
      const times: number[] = [];
      let body: unknown;
      for (let i = 0; i < Number(values.runs); i++) {
        const t0 = performance.now();
        const res = await t.http().get(path).set(account.auth).expect(200);
        times.push(performance.now() - t0);
        body = res.body;
      }
      times.sort((a, b) => a - b);
      const p = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
      if (label === 'webinar') {
        const r = body as { drift: boolean; stored: { total: number } };
        if (r.drift || r.stored.total !== rows) throw new Error(`unexpected ${JSON.stringify(r)}`);
      }
      console.log(
        `RESULT reconciliation ${label} [${dialect}] ${rows} participants: median ${p(0.5).toFixed(1)} ms, ` +
          `p90 ${p(0.9).toFixed(1)} ms, max ${times[times.length - 1].toFixed(1)} ms over ${times.length} runs ` +
          `(target ≤ 200 ms: ${p(0.5) <= 200 ? 'met' : 'MISSED'})`,
      );
    }
  } finally {
    await t.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
