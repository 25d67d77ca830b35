// Shared by the benches that time one read of stored data through the whole app (loopback HTTP):
// their arguments, and the timing of repeated GETs with median / p90 / max against the 200 ms target.
import { parseArgs } from 'node:util';
import type { TestApp } from '../test/support/test-app';
import { Dialect } from '../test/support/test-database';

export interface StoredDataBenchArgs {
  dialect: Dialect;
  rows: number;
  runs: number;
}

/** `[--dialect sqlite|mysql] [--rows 10000] [--runs 30]` */
export function storedDataBenchArgs(): StoredDataBenchArgs {
  const { values } = parseArgs({
    options: {
      dialect: { type: 'string', default: 'sqlite' },
      rows: { type: 'string', default: '10000' },
      runs: { type: 'string', default: '30' },
    },
  });
  return {
    dialect: values.dialect as Dialect,
    rows: Number(values.rows),
    runs: Number(values.runs),
  };
}

/** GET `path` `runs` times; the last answer's body and a line of figures (target ≤ 200 ms median). */
export async function timeGets(
  t: TestApp,
  path: string,
  auth: { Authorization: string },
  runs: number,
): Promise<{ body: unknown; figures: string }> {
  const times: number[] = [];
  let body: unknown;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const res = await t.http().get(path).set(auth).expect(200);
    times.push(performance.now() - t0);
    body = res.body;
  }
  times.sort((a, b) => a - b);
  const p = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  const figures =
    `median ${p(0.5).toFixed(1)} ms, p90 ${p(0.9).toFixed(1)} ms, max ${times[times.length - 1].toFixed(1)} ms ` +
    `over ${times.length} runs (target ≤ 200 ms: ${p(0.5) <= 200 ? 'met' : 'MISSED'})`;
  return { body, figures };
}
