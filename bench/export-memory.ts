// Peak RSS growth while streaming a CSV export of a 100,000-participant webinar over HTTP.
//
//   npx ts-node --transpile-only bench/export-memory.ts [--dialect sqlite|mysql] [--rows 100000]
//
// Seeds one webinar through the sync's repository, then GETs /webinars/:id/participants/export
// and /target-groups/:id/members/export on the real app (loopback), reading and discarding the
// body. RSS is sampled every 20 ms; growth = peak during the download - RSS just before it (after
// a GC). Target: ≤ 50 MB for 100,000 rows.
import { get } from 'node:http';
import { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { stringify } from 'csv-stringify/sync';
import { DataSource } from 'typeorm';
import { ParticipantQueriesRepository } from '../src/participants/participant-queries.repository';
import { createTestApp } from '../test/support/test-app';
import { Dialect } from '../test/support/test-database';
import { mb, RssSampler } from './rss-sampler';
import { seedWebinar } from './seed-webinar';

function download(
  port: number,
  path: string,
  apiKey: string,
): Promise<{ bytes: number; lines: number; ms: number }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    get({ port, path, headers: { Authorization: `Bearer ${apiKey}` } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`${path}: HTTP ${res.statusCode}`));
      let bytes = 0;
      let lines = 0;
      res.on('data', (c: Buffer) => {
        bytes += c.length;
        for (let i = 0; i < c.length; i++) if (c[i] === 10) lines++;
      });
      res.on('end', () => resolve({ bytes, lines, ms: performance.now() - t0 }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      dialect: { type: 'string', default: 'sqlite' },
      rows: { type: 'string', default: '100000' },
    },
  });
  const dialect = values.dialect as Dialect;
  const rows = Number(values.rows);
  const t = await createTestApp(dialect);
  try {
    const account = await t.createAccount();
    const s0 = performance.now();
    const { webinarId } = await seedWebinar(t, account.id, rows);
    console.log(
      `seeded ${rows} participants on ${dialect} in ${((performance.now() - s0) / 1000).toFixed(1)} s`,
    );
    const [group] = await t.app
      .get(DataSource)
      .query(`SELECT id FROM target_group WHERE webinar_id = ? AND kind = 'registered'`, [
        webinarId,
      ]);
    const port = (t.app.getHttpServer().address() as AddressInfo).port;
    for (const [label, path] of [
      ['participants', `/api/v1/webinars/${webinarId}/participants/export`],
      ['members', `/api/v1/target-groups/${group.id}/members/export`],
    ]) {
      global.gc?.();
      const before = process.memoryUsage.rss();
      const sampler = new RssSampler().start(20);
      const r = await download(port, path, account.apiKey);
      const peak = sampler.stop();
      const growth = peak - before;
      console.log(
        `RESULT export ${label} [${dialect}]: ${r.lines - 1} rows, ${mb(r.bytes)} CSV in ${(r.ms / 1000).toFixed(1)} s; ` +
          `rss before ${mb(before)}, peak ${mb(peak)}, growth ${mb(growth)} (target ≤ 50 MB: ${growth <= 50 * 1048576 ? 'met' : 'MISSED'})`,
      );
    }
    // Reference, side by side: the same participants read in one query and turned into one CSV
    // string (what a non-streamed export would hold), to show what the sampler sees when memory grows.
    global.gc?.();
    const before = process.memoryUsage.rss();
    const sampler = new RssSampler().start(20);
    const all: Array<Record<string, unknown>> = await t.app
      .get(ParticipantQueriesRepository)
      .pageAfter(webinarId, 0, rows + 1);
    const text = stringify(all, { header: true, record_delimiter: 'windows' });
    const peak = sampler.stop();
    console.log(
      `RESULT reference (all rows in memory) [${dialect}]: ${all.length} rows, ${mb(text.length)} CSV; growth ${mb(peak - before)}`,
    );
  } finally {
    await t.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
