import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import type { OrganizerInfo, SimCounters } from '../src/simulator/simulator';

/** The handle of the simulator child: its URL and the few questions the bench asks it. */
export class SimProcess {
  private next = 1;
  private readonly pending = new Map<number, (r: unknown) => void>();

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    /** The simulator's clock, which stands still (so does the app's in the bench). */
    readonly now: Date,
  ) {
    child.on('message', (m: { id: number; result: unknown }) => {
      this.pending.get(m.id)?.(m.result);
      this.pending.delete(m.id);
    });
  }

  static start(opts: {
    seed: number;
    webinars: number;
    registrants: number;
    now: Date;
  }): Promise<SimProcess> {
    const child = fork(
      // compiled (.js, see run.ts) or under ts-node
      join(__dirname, __filename.endsWith('.js') ? 'sim-child.js' : 'sim-child.ts'),
      [JSON.stringify({ ...opts, now: opts.now.toISOString() })],
      {
        execArgv: __filename.endsWith('.js') ? [] : ['-r', 'ts-node/register/transpile-only'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      },
    );
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
      child.once('message', (m: { result: { url: string } }) =>
        resolve(new SimProcess(child, m.result.url, opts.now)),
      );
    });
  }

  private ask<T>(op: string, args?: Record<string, string | number>): Promise<T> {
    const id = this.next++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve as (r: unknown) => void);
      this.child.send({ id, op, args });
    });
  }

  organizers = () => this.ask<OrganizerInfo[]>('organizers');
  readCounters = () => this.ask<SimCounters>('counters.read');
  resetCounters = () => this.ask<boolean>('counters.reset');
  /** CPU seconds the simulator process has used (user + system). */
  cpuSeconds = () => this.ask<number>('cpu');
  minimum = (organizerKey: string, now: Date, lookbackDays: number, lookaheadDays: number) =>
    this.ask<{ calls: number; webinars: number }>('minimum', {
      organizerKey,
      now: now.getTime(),
      lookbackDays,
      lookaheadDays,
    });

  async close(): Promise<void> {
    this.child.removeAllListeners('exit');
    await this.ask('close');
    this.child.kill();
  }
}
