// `npm run bench -- [--webinars 200] [--registrants 200] [--dialects mysql,sqlite] [--seed 1] [--batch 4] [--keep]`
// Starts the simulator in a child process (no rate limit, client pacing off), syncs one generated organizer
// into fresh MariaDB and SQLite databases through the real queue and handlers, then runs a
// no-change periodic sync, then the raw INSERT … ON DUPLICATE KEY UPDATE ceiling on MariaDB.
import 'reflect-metadata';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BenchDialect, benchSync, SyncBenchResult } from './bench-sync';
import { profiled } from './cpu-profile';
import { rawInsertCeiling, RawResult } from './raw-insert';
import { mb } from './rss-sampler';
import { SimProcess } from './sim-process';

interface Args {
  webinars: number;
  registrants: number;
  dialects: BenchDialect[];
  seed: number;
  mysqlUrl: string;
  keep: boolean;
  /** SYNC_ORGANIZER_BATCH for the run (default: the app's). */
  batch?: number;
}

function readArgs(argv: string[]): Args {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      webinars: { type: 'string', default: '200' },
      registrants: { type: 'string', default: '200' },
      seed: { type: 'string', default: '1' },
      dialects: { type: 'string', default: 'mysql,sqlite' },
      'mysql-url': {
        type: 'string',
        default:
          process.env.BENCH_DATABASE_URL ??
          process.env.TEST_DATABASE_URL ??
          'mysql://root@127.0.0.1:3306/test',
      },
      keep: { type: 'boolean', default: false },
      batch: { type: 'string' },
    },
  });
  const int = (name: string, v: string) => {
    if (!/^\d+$/.test(v)) throw new Error(`--${name} needs a non-negative integer`);
    return Number(v);
  };
  return {
    webinars: int('webinars', values.webinars),
    registrants: int('registrants', values.registrants),
    seed: int('seed', values.seed),
    dialects: values.dialects.split(',') as BenchDialect[],
    mysqlUrl: values['mysql-url'],
    keep: values.keep,
    batch: values.batch === undefined ? undefined : int('batch', values.batch),
  };
}

const n = (x: number, d = 0) =>
  x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

const cpuTotal = (p: SyncBenchResult['full']) => p.cpu.sync + p.cpu.sim + (p.cpu.db ?? 0);

function report(r: SyncBenchResult, raw?: RawResult): string[] {
  const pps = r.full.participants / r.full.seconds;
  const lines = [
    `== ${r.dialect === 'mysql' ? 'MariaDB' : 'SQLite'} ==`,
    `full sync      : ${n(r.full.participants)} participants in ${n(r.full.seconds, 1)} s = ${n(pps)} participants/s; ` +
      `peak RSS ${mb(r.full.peakRss)}; jobs ${r.full.jobs} (${r.full.jobsFailed} not succeeded, ${r.full.jobsRetried} retried)` +
      (r.full.errors.length ? `; errors: ${r.full.errors.join(' | ')}` : ''),
    // Summed over the participant jobs; jobs of one organizer run side by side on MariaDB, so
    // these sums can exceed the wall time.
    `  job time sum : GoTo fetch ${n(r.full.timings.fetch, 1)} s, merge ${n(r.full.timings.merge, 1)} s, DB writes ${n(r.full.timings.write, 1)} s (summed over ${r.full.jobs - 1} participant jobs)`,
    `  CPU          : sync process ${n(r.full.cpu.sync, 1)} s, simulator ${n(r.full.cpu.sim, 1)} s, ` +
      `${r.dialect === 'mysql' ? `MariaDB ${r.full.cpu.db === null ? 'n/a (not local)' : `${n(r.full.cpu.db, 1)} s`}` : 'SQLite runs inside the sync process'} ` +
      `(${n(cpuTotal(r.full), 1)} s of ${n(r.full.seconds * availableParallelism(), 1)} s available on ${availableParallelism()} cores)`,
    `  API calls    : ${r.full.apiCalls} made vs ${r.minimumApiCalls} minimum (${r.webinarsInWindow} webinars in the window; +${r.full.tokenCalls} token)`,
    `  rows written : ${n(r.full.rowsWritten)} (participants ${n(r.full.participantsWritten)}; stored: ${n(r.storedParticipants)} participants, ${n(r.storedSubscribers)} subscribers)`,
    `periodic sync  : no change: ${r.periodic.apiCalls} API calls, ${r.periodic.rowsWritten} rows written, ${n(r.periodic.seconds, 2)} s, jobs ${r.periodic.jobs} (${r.periodic.jobsFailed} not succeeded)`,
  ];
  if (raw) {
    lines.push(
      `raw ceiling    : INSERT … ON DUPLICATE KEY UPDATE of ${n(raw.rows)} rows (batches of 1000) in ${n(raw.seconds, 2)} s = ${n(raw.rowsPerSecond)} rows/s`,
      `  CPU          : bench process ${n(raw.cpu.client, 1)} s, MariaDB ${raw.cpu.db === null ? 'n/a (not local)' : `${n(raw.cpu.db, 1)} s`}`,
      `ratio sync/raw : ${n(pps / raw.rowsPerSecond, 2)}`,
    );
  }
  return lines;
}

async function main(): Promise<void> {
  const args = readArgs(process.argv.slice(2));
  console.log(
    `\nbench: 1 organizer x ${args.webinars} webinars x ${args.registrants} registrants (seed ${args.seed}); dialects ${args.dialects.join(', ')}; organizer batch ${args.batch ?? 'app default'}; node ${process.version}`,
  );
  const out: string[] = [];
  for (const dialect of args.dialects) {
    const sim = await SimProcess.start({
      seed: args.seed,
      webinars: args.webinars,
      registrants: args.registrants,
      // Both clocks stand still at the start: the no-change sync must see exactly the same world
      // (with real time a session may end between the two syncs, which is a real change).
      now: new Date(),
    });
    try {
      const r = await benchSync(dialect, sim, {
        mysqlUrl: args.mysqlUrl,
        organizerBatch: args.batch,
        keep: args.keep,
      });
      let raw: RawResult | undefined;
      if (dialect === 'mysql' && r.mysqlUrl)
        raw = await profiled('mysql-raw', () =>
          rawInsertCeiling(r.mysqlUrl!, Math.max(1, r.full.participants)),
        );
      await r.drop();
      const lines = report(r, raw);
      lines.forEach((l) => console.log(l));
      out.push(...lines);
    } finally {
      await sim.close();
    }
  }
  console.log(
    `peak RSS of the sync process over the whole run: ${mb(process.resourceUsage().maxRSS * 1024)} (node ${process.execArgv.filter((a) => a.startsWith('--max')).join(' ')})`,
  );
}

// The sync runs in a Node process with a bounded heap (what we recommend for workers:
// NODE_OPTIONS=--max-old-space-size=128). Without a cap V8 grows the heap lazily far beyond the
// live data; with it the sync is also faster (smaller, cheaper collections).
const HEAP_FLAG = '--max-old-space-size=128';
if (!process.env.BENCH_CHILD) {
  void launch();
} else {
  start();
}

/**
 * One fresh, heap-capped process per database, so each peak RSS is that run's own. The measured
 * processes run plain JavaScript compiled once with tsc (about 6 s): under ts-node the TypeScript
 * compiler itself would sit in the measured process (~60 MB). Falls back to ts-node if tsc fails.
 */
async function launch(): Promise<void> {
  const args = readArgs(process.argv.slice(2));
  const rest = process.argv
    .slice(2)
    .filter(
      (a, i, all) =>
        a !== '--dialects' && all[i - 1] !== '--dialects' && !a.startsWith('--dialects='),
    );
  const compiled = compile();
  for (const dialect of args.dialects) {
    const entry = compiled ? [compiled] : ['-r', 'ts-node/register/transpile-only', __filename];
    const code = await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, [HEAP_FLAG, ...entry, ...rest, '--dialects', dialect], {
        stdio: 'inherit',
        env: { ...process.env, BENCH_CHILD: '1' },
      });
      child.on('exit', (c) => resolve(c ?? 1));
    });
    if (code !== 0) process.exit(code);
  }
  process.exit(0);
}

/** tsc into node_modules/.cache (git-ignored; inside the repo so the app finds its assets). */
function compile(): string | null {
  const root = resolve(__dirname, '..');
  const out = join(root, 'node_modules', '.cache', 'webinar-sync-bench');
  console.log('compiling for the benchmark (tsc)…');
  spawnSync(
    process.execPath,
    [
      join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
      '-p',
      join(root, 'tsconfig.json'),
      '--outDir',
      out,
      '--incremental',
      'false',
      '--sourceMap',
      'false',
    ],
    { stdio: 'ignore' },
  );
  const entry = join(out, 'bench', 'run.js');
  if (existsSync(entry)) return entry;
  console.log('tsc produced no output; running under ts-node instead');
  return null;
}

function start(): void {
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
