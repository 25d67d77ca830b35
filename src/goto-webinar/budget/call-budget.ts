import { FairQueue } from './fair-queue';
import { currentGotoCallContext, GotoCallContext } from './goto-call-context';
import { abortError, realSleep, Sleep, sleepUnlessAborted } from './sleep';
import { SlotSource } from './slot-source';

export interface CallBudgetOptions {
  now?: () => number;
  sleep?: Sleep;
  /**
   * After serving a priority, lower priorities wait this long before they get slots again (and this
   * instance keeps publishing that priority): a job's sequential calls (page after page) leave short
   * gaps between requests, which lower priorities must not fill. Default 200 ms.
   */
  lingerMs?: number;
  /** Told about every grant (tests, metrics). */
  onGrant?: (context: GotoCallContext) => void;
}

interface Waiter extends GotoCallContext {
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * The GoTo call budget of one OAuth client in this process: callers `acquire()` a slot before every
 * request; slots come from a SlotSource (in-process pacer, or the MySQL row every instance shares)
 * and are handed out when their time comes, to the caller the FairQueue names (priority, then
 * accounts' and organizers' turns). The caller's identity comes from the GoTo call context.
 */
export class CallBudget {
  private readonly queue = new FairQueue<Waiter>();
  private readonly now: () => number;
  private readonly sleep: Sleep;
  private readonly lingerMs: number;
  private running = false;
  private nap?: { ctl: AbortController; wakeOnArrival: boolean };
  private lastGrant?: { priority: number; at: number };
  private idleTimer?: NodeJS.Timeout;

  constructor(
    readonly source: SlotSource,
    private readonly options: CallBudgetOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? realSleep;
    this.lingerMs = options.lingerMs ?? 200;
  }

  /** Waiting callers (metrics, tests). */
  get waiting(): number {
    return this.queue.size;
  }

  /**
   * Resolves when the caller may send one request (each retry asks again). With a `signal`, an
   * abort rejects at once with the signal's abort error and the caller takes no slot.
   */
  acquire(
    signal?: AbortSignal,
    context: GotoCallContext = currentGotoCallContext(),
  ): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        priority: context.priority,
        accountId: context.accountId,
        organizerId: context.organizerId,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        reject: (err) => {
          signal?.removeEventListener('abort', onAbort);
          reject(err);
        },
      };
      const onAbort = () => {
        if (!this.queue.remove(waiter)) return;
        if (this.queue.size === 0) this.nap?.ctl.abort();
        reject(abortError(signal!));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(waiter);
      if (this.nap?.wakeOnArrival) this.nap.ctl.abort();
      if (!this.running) void this.run();
    });
  }

  /** A 429 / Retry-After: nobody on this client (any instance) sends for `ms`. */
  pause(ms: number): Promise<void> {
    return this.source.pause(ms);
  }

  async close(): Promise<void> {
    clearTimeout(this.idleTimer);
    await this.source.close();
  }

  private async run(): Promise<void> {
    this.running = true;
    clearTimeout(this.idleTimer);
    try {
      while (this.queue.size > 0) {
        const top = this.queue.highestPriority()!;
        const held = this.heldFor(top);
        this.source.setDemand(held ?? top);
        if (held !== undefined) {
          // A higher priority was just served here: keep its gap free (or until it comes back).
          await this.napFor(this.lastGrant!.at + this.lingerMs - this.now(), true);
          continue;
        }
        const answer = await this.source.take(top, this.queue.size);
        if ('retryInMs' in answer) {
          await this.napFor(answer.retryInMs, true);
          continue;
        }
        const wait = answer.at - this.now();
        if (wait > 0) await this.napFor(wait, false);
        if (this.queue.size === 0) break;
        const now = this.now();
        if (!this.source.use(answer.at, now)) continue;
        const waiter = this.queue.shift()!;
        this.lastGrant = { priority: waiter.priority, at: now };
        this.options.onGrant?.(waiter);
        waiter.resolve();
      }
    } catch (err) {
      // The slot source failed (the database is unreachable): every waiting call fails with it
      // (its job is retried by the queue's policy) rather than hanging.
      for (let w = this.queue.shift(); w; w = this.queue.shift()) w.reject(err);
    } finally {
      this.running = false;
      this.settleDemand();
    }
  }

  /** The priority being held for, when a higher one than `top` was served within lingerMs. */
  private heldFor(top: number): number | undefined {
    const g = this.lastGrant;
    return g && g.priority > top && this.now() - g.at < this.lingerMs ? g.priority : undefined;
  }

  /** Idle: publish a just-served priority until its linger ends, then nothing. */
  private settleDemand(): void {
    const g = this.lastGrant;
    const left = g ? g.at + this.lingerMs - this.now() : 0;
    if (!g || left <= 0) return this.source.setDemand(null);
    this.source.setDemand(g.priority);
    this.idleTimer = setTimeout(() => {
      if (!this.running) this.source.setDemand(null);
    }, left);
    this.idleTimer.unref();
  }

  /** Sleeps `ms`, cut short when the queue empties (and, if asked, when a caller arrives). */
  private async napFor(ms: number, wakeOnArrival: boolean): Promise<void> {
    if (ms <= 0) return;
    const ctl = new AbortController();
    this.nap = { ctl, wakeOnArrival };
    try {
      await sleepUnlessAborted(this.sleep, ms, ctl.signal);
    } catch (e) {
      if (!ctl.signal.aborted) throw e;
    } finally {
      this.nap = undefined;
    }
  }
}
