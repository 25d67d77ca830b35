// BENCH_CPU_PROFILE=<dir>: a V8 CPU profile of the sync process during each phase
// (<dir>/<dialect>-<phase>.cpuprofile) and of the simulator over its whole run
// (<dir>/simulator.cpuprofile); open them in Chrome DevTools, for finding where the time goes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';

export async function profiled<T>(name: string, work: () => Promise<T>): Promise<T> {
  const stop = await profileUntilStopped(name);
  try {
    return await work();
  } finally {
    await stop();
  }
}

/** Starts profiling this process (when BENCH_CPU_PROFILE is set); the result writes the file. */
export async function profileUntilStopped(name: string): Promise<() => Promise<void>> {
  const dir = process.env.BENCH_CPU_PROFILE;
  if (!dir) return async () => undefined;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  };
}
