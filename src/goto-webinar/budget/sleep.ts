import { setTimeout as delay } from 'node:timers/promises';

/** A sleep the GoTo client and the budget wait with; tests inject a fake clock's. */
export type Sleep = (ms: number) => Promise<void>;
export const realSleep: Sleep = (ms) => delay(Math.max(0, ms));

/** The error an aborted wait rejects with: the signal's reason (an `AbortError` unless one was given). */
export function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

/**
 * Resolves when `wait` does, or rejects with the signal's abort error as soon as it is aborted (the
 * pending `wait` is then ignored). Without a signal, it is `wait` itself.
 */
export function abortable<T>(wait: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return wait;
  if (signal.aborted) return Promise.reject(abortError(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    wait.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/**
 * `sleep(ms)` that rejects with the signal's abort error as soon as `signal` is aborted. The real
 * sleep is node's abortable timer (its timer is cleared on abort, so an aborted Retry-After hold
 * does not keep the process alive); a fake clock's sleep is raced against the signal.
 */
export function sleepUnlessAborted(sleep: Sleep, ms: number, signal?: AbortSignal): Promise<void> {
  if (!signal) return sleep(ms);
  if (signal.aborted) return Promise.reject(abortError(signal));
  if (sleep !== realSleep) return abortable(sleep(ms), signal);
  return delay(Math.max(0, ms), undefined, { signal }).catch((e: unknown) => {
    throw signal.aborted ? abortError(signal) : e;
  });
}
