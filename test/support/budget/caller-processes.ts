import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { RunningSimulator } from '../../../src/simulator/simulator';
import { CallerResult, CallerRun, CallerSim } from './goto-caller-process';

const SCRIPT = join(__dirname, 'goto-caller-process.ts');

export interface CallerProcess {
  child: ChildProcess;
  run(run: CallerRun): Promise<CallerResult>;
  stop(): Promise<void>;
}

/** What a caller process needs to reach the simulator as its first organizer's first webinar. */
export function callerSimOf(sim: RunningSimulator): CallerSim {
  const organizer = sim.store.listOrganizers()[0];
  const webinar = sim.store.listWebinars(organizer.organizerKey)[0];
  return {
    url: sim.url,
    clientId: sim.clientId,
    clientSecret: sim.clientSecret,
    email: organizer.email,
    personalAccessToken: organizer.personalAccessToken,
    organizerKey: organizer.organizerKey,
    webinarKey: webinar.webinarKey,
  };
}

/** Forks a caller process on the MySQL database `dbUrl` and waits until it is ready. */
export async function startCaller(
  dbUrl: string,
  sim: CallerSim,
  maxRps: number,
  env: Record<string, string> = {},
): Promise<CallerProcess> {
  const child = fork(SCRIPT, [], {
    execArgv: ['-r', 'ts-node/register/transpile-only'],
    env: {
      ...process.env,
      TS_NODE_PROJECT: 'tsconfig.json',
      BUDGET_DB_URL: dbUrl,
      BUDGET_SIM: JSON.stringify(sim),
      BUDGET_MAX_RPS: String(maxRps),
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  const waiters = new Map<string, (r: CallerResult) => void>();
  child.on('message', (m: { event: string; tag?: string; result?: CallerResult }) => {
    if (m.event === 'done') waiters.get(m.tag!)?.(m.result!);
  });
  await new Promise<void>((resolve, reject) => {
    child.on('message', (m: { event: string }) => m.event === 'ready' && resolve());
    void exited.then((code) => reject(new Error(`caller exited (${code}) before ready`)));
  });
  return {
    child,
    run: (run) =>
      new Promise((resolve, reject) => {
        waiters.set(run.tag, resolve);
        child.send({ cmd: 'run', run });
        void exited.then((code) => reject(new Error(`caller exited (${code}) during ${run.tag}`)));
      }),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.send({ cmd: 'stop' });
      await exited;
    },
  };
}
