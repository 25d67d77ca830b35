// `npm run demo`: the GoTo Webinar simulator and the service on SQLite in one process, a demo
// account, one organizer linked through the REST API, its first full sync watched with a progress
// bar, then the admin page URL. Stays up until Ctrl-C. Every run starts from a fresh data/demo/.
import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SingleBar } from 'cli-progress';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { AccountsService } from '../src/accounts/accounts.service';
import { AppModule } from '../src/app.module';
import { configureApp } from '../src/app.setup';
import { loadConfig } from '../src/config/app-config';
import { ConfigValidationError } from '../src/config/env.validation';
import { RunningSimulator, startSimulator } from '../src/simulator/simulator';
import { AnyJson } from '../src/common/any-json';

const ROOT = resolve(__dirname, '..');
// One folder per run (data/demo/<pid>); folders of runs that have ended are removed at start.
const DEMO_ROOT = join(ROOT, 'data', 'demo');
const DATA_DIR = join(DEMO_ROOT, String(process.pid));
const DATASET = { seed: 1, organizers: 2, webinars: 20, registrants: 50 };
const SIM_PORT = 4010;
const APP_PORT = 3000;
const POLL_MS = 300;
const SYNC_TIMEOUT_MS = 10 * 60_000;

type Json = Record<string, AnyJson>;

const bold = (s: string) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function portFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const probe = createServer()
      .once('error', () => done(false))
      .once('listening', () => probe.close(() => done(true)));
    probe.listen(port, '127.0.0.1');
  });
}

async function firstFreePort(preferred: number, tries = 20): Promise<number> {
  for (let p = preferred; p < preferred + tries; p++) if (await portFree(p)) return p;
  throw new Error(`no free port in ${preferred}-${preferred + tries - 1}`);
}

async function api(
  base: string,
  key: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<Json> {
  const res = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${key}`,
      'Content-Type': 'application/json',
      Accept: 'application/json',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = (await res.json().catch(() => ({}))) as Json;
  if (!res.ok)
    throw new Error(
      `${method} ${path} answered ${res.status}: ${data.message ?? JSON.stringify(data)}`,
    );
  return data;
}

// Follow the organizer's full sync, then the participant jobs it chained, until none is open.
async function watchSync(
  base: string,
  key: string,
  organizerId: number,
  jobId: number,
): Promise<void> {
  const bar = new SingleBar({
    format: ' {phase} |{bar}| {value}/{total} {unit}',
    barCompleteChar: '\u2588',
    barIncompleteChar: '\u2591',
    hideCursor: true,
    clearOnComplete: false,
    noTTYOutput: true,
    notTTYSchedule: 2000,
  });
  bar.start(1, 0, { phase: 'Importing webinars   ', unit: '' });
  const deadline = Date.now() + SYNC_TIMEOUT_MS;
  try {
    for (;;) {
      const job = await api(base, key, 'GET', `/sync-jobs/${jobId}`);
      const p = (job.progress ?? {}) as Json;
      const total = Number(p.webinarsTotal ?? p.total ?? 0);
      const done = Number(p.webinarsDone ?? p.done ?? 0);
      if (total > 0) {
        bar.setTotal(total);
        bar.update(Math.min(done, total), { unit: 'webinars' });
      } else if (done > 0) {
        // Paging through GoTo: the total is known only at the end.
        bar.setTotal(done);
        bar.update(done, { unit: 'webinars so far' });
      }
      if (job.status === 'failed')
        throw new Error(`the sync failed: ${job.lastError ?? 'unknown error'}`);
      if (job.status === 'succeeded') {
        bar.update(bar.getTotal(), { unit: 'webinars' });
        break;
      }
      if (Date.now() > deadline) throw new Error('the sync did not finish in time');
      await sleep(POLL_MS);
    }
    let peak = 0;
    for (;;) {
      const open = await Promise.all(
        ['queued', 'running'].map((s) =>
          api(base, key, 'GET', `/sync-jobs?organizerId=${organizerId}&status=${s}&pageSize=1`),
        ),
      );
      const left = open.reduce((n, page) => n + Number(page.total ?? 0), 0);
      if (left > peak) {
        peak = left;
        bar.setTotal(peak);
      }
      if (peak > 0) bar.update(peak - left, { phase: 'Syncing participants ', unit: 'webinars' });
      if (left === 0) break;
      if (Date.now() > deadline) throw new Error('the participant syncs did not finish in time');
      await sleep(POLL_MS);
    }
  } finally {
    bar.stop();
  }
  const failed = await api(
    base,
    key,
    'GET',
    `/sync-jobs?organizerId=${organizerId}&status=failed&pageSize=1`,
  );
  if (Number(failed.total) > 0)
    console.log(`  (${failed.total} job(s) failed: see the admin page)`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function freshDataDir(): void {
  mkdirSync(DEMO_ROOT, { recursive: true });
  for (const name of readdirSync(DEMO_ROOT)) {
    const pid = Number(name);
    if (!/^\d+$/.test(name) || !alive(pid) || pid === process.pid) {
      rmSync(join(DEMO_ROOT, name), { recursive: true, force: true });
    }
  }
  mkdirSync(DATA_DIR, { recursive: true });
}

async function main(): Promise<void> {
  freshDataDir();

  const simPort = (await portFree(SIM_PORT)) ? SIM_PORT : 0;
  const sim: RunningSimulator = await startSimulator({ ...DATASET, port: simPort });
  const appPort = await firstFreePort(APP_PORT);
  let config;
  try {
    config = loadConfig({
      PORT: String(appPort),
      DATA_DIR,
      DATABASE_URL: `sqlite:${join(DATA_DIR, 'webinar-sync.sqlite')}`,
      GOTO_SIMULATOR: 'true',
      GOTO_API_URL: sim.url,
      GOTO_AUTH_URL: sim.url,
      // GoTo webhooks on: a registration made through /_sim shows in the admin page at once.
      PUBLIC_URL: `http://localhost:${appPort}`,
      WEBHOOKS_ENABLED: 'true',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
      LOG_PRETTY: process.env.LOG_PRETTY,
    });
  } catch (err) {
    if (err instanceof ConfigValidationError) console.error(err.message);
    throw err;
  }

  const app: INestApplication = configureApp(
    await NestFactory.create(AppModule.forRoot(config), { bufferLogs: true }),
  );
  await app.listen(appPort);
  const base = `http://localhost:${appPort}`;

  let stopping = false;
  const stop = async (code = 0) => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping…');
    await app.close().catch(() => undefined);
    await sim.close().catch(() => undefined);
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    const [demo, other] = sim.store.listOrganizers();
    console.log(`\n${bold('webinar-sync demo')}`);
    console.log(
      `  GoTo simulator   ${sim.url}  (${DATASET.organizers} organizers × ${DATASET.webinars} webinars × ${DATASET.registrants} registrants, seed ${DATASET.seed})`,
    );
    console.log(`  service          ${base}  (SQLite in ${DATA_DIR})`);

    const account = await app.get(AccountsService).create('Demo account');
    console.log(`  demo account     "Demo account", API key: ${bold(account.apiKey)}`);

    const organizer = await api(base, account.apiKey, 'POST', '/organizers', {
      email: demo.email,
      password: demo.password,
    });
    console.log(
      `  organizer        ${organizer.email} linked (email + password); first full sync:`,
    );
    if (organizer.initialSyncJobId)
      await watchSync(base, account.apiKey, organizer.id, organizer.initialSyncJobId);

    const webinars = await api(base, account.apiKey, 'GET', '/webinars?pageSize=1').catch(() => ({
      total: '?',
    }));
    const groups = await api(base, account.apiKey, 'GET', '/target-groups?pageSize=1').catch(
      () => ({ total: '?' }),
    );
    console.log(`  synced           ${webinars.total} webinars, ${groups.total} target groups`);
    console.log(`\n  Admin page:  ${bold(`${base}/admin`)}   (sign in with the API key above)`);
    if (other) {
      console.log(
        `  To try Add Organizer, a second simulated organizer: ${other.email} / password ${other.password}`,
      );
      console.log(
        `                                         or personal access token ${other.personalAccessToken}`,
      );
    }
    const upcoming = sim.store
      .listWebinars(demo.organizerKey)
      .find((w) => w.times.some((x) => Date.parse(x.startTime) > Date.now()));
    if (upcoming)
      console.log(
        `  Webhooks on: register someone and watch the webinar's Registered group update at once:\n` +
          `    curl -X POST ${sim.url}/_sim/webinars/${upcoming.webinarKey}/registrants -H 'Content-Type: application/json' \\\n` +
          `      -d '{"firstName":"Ada","lastName":"Lovelace","email":"ada@example.com"}'`,
      );
    console.log(`  REST API:    ${base}/api/docs\n  Press Ctrl-C to stop.`);
  } catch (err) {
    console.error(`\ndemo failed: ${err instanceof Error ? err.message : String(err)}`);
    await stop(1);
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
