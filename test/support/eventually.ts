/**
 * Re-runs `check` (an assertion, or a read that throws until it sees what it waits for) every
 * `pollMs` until it passes, and returns its result; after `timeoutMs` the last failure is thrown.
 * For effects of background work (the worker, a timer); never a fixed sleep.
 */
export async function eventually<T>(
  check: () => Promise<T>,
  timeoutMs = 5_000,
  pollMs = 25,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }
}
