import { Injectable, Module } from '@nestjs/common';
import { DomainError } from '../../../src/common/errors/domain-error';
import { GotoWebinarError } from '../../../src/goto-webinar/goto-webinar.errors';
import { GotoErrorCode } from '../../../src/goto-webinar/goto-webinar.types';
import { JobContext, SyncJobHandler } from '../../../src/sync/sync-job-handler';
import { SyncJobType } from '../../../src/sync/sync-job-types';
import { JobSkipped } from '../../../src/sync/sync.errors';

// Job types of the queue's own tests (the real types' handlers belong to the feature engineers).
export const TEST_JOB = 'test_job' as SyncJobType;
export const TEST_CHAIN = 'test_chain' as SyncJobType;
export const TEST_JOB_TYPES = [TEST_JOB, TEST_CHAIN];

export type ScriptedFailure =
  | { goto: GotoErrorCode; retryAfterMs?: number }
  | { domain: string }
  | { error: string }
  | { skip: string };

/** What a TEST_JOB does, read from its payload. */
export interface TestJobScript {
  /** Attempt n throws fail[n-1]; an attempt past the list succeeds. `always` throws on every attempt. */
  fail?: ScriptedFailure[];
  always?: ScriptedFailure;
  /** Wait on the gate (TestJobGate.release / abort) before finishing. */
  block?: boolean;
  progress?: Record<string, unknown>;
  result?: Record<string, unknown>;
}

export interface Execution {
  jobId: number;
  attempt: number;
  organizerId: number | null;
  priority: number;
}

/** Records every handler call, and lets a test hold jobs "running" until it releases them. */
@Injectable()
export class TestJobGate {
  readonly executions: Execution[] = [];
  private waiting = new Map<number, () => void>();
  private startedListeners: Array<() => void> = [];
  private readonly endedIds = new Set<number>();
  private endedListeners: Array<() => void> = [];

  started(jobId: number, release: () => void): void {
    this.waiting.set(jobId, release);
    for (const l of this.startedListeners.splice(0)) l();
  }

  get blockedJobIds(): number[] {
    return [...this.waiting.keys()];
  }

  /** Resolves once `n` jobs are blocked at the gate (event-driven, no polling). */
  async untilBlocked(n: number): Promise<void> {
    while (this.waiting.size < n) await new Promise<void>((r) => this.startedListeners.push(r));
  }

  /** The handler of `jobId` returned or threw (the worker has not necessarily written the outcome). */
  ended(jobId: number): void {
    this.endedIds.add(jobId);
    for (const l of this.endedListeners.splice(0)) l();
  }

  /** Resolves once the handler of `jobId` has returned or thrown (event-driven, no polling). */
  async untilEnded(jobId: number): Promise<void> {
    while (!this.endedIds.has(jobId)) await new Promise<void>((r) => this.endedListeners.push(r));
  }

  /** Lets one blocked job finish. */
  release(jobId: number): void {
    const release = this.waiting.get(jobId);
    this.waiting.delete(jobId);
    release?.();
  }

  releaseAll(): void {
    for (const [id, release] of this.waiting) {
      this.waiting.delete(id);
      release();
    }
  }
}

function toError(f: ScriptedFailure): Error {
  if ('goto' in f)
    return new GotoWebinarError(f.goto, `scripted ${f.goto}`, { retryAfterMs: f.retryAfterMs });
  if ('domain' in f) return new DomainError('unprocessable', f.domain, `scripted ${f.domain}`);
  if ('skip' in f) return new JobSkipped(f.skip);
  return new Error(f.error);
}

@SyncJobHandler(TEST_JOB)
export class ScriptedJobHandler {
  constructor(private readonly gate: TestJobGate) {}

  async handle(ctx: JobContext): Promise<Record<string, unknown> | void> {
    const { job } = ctx;
    const script = (job.payload ?? {}) as TestJobScript;
    this.gate.executions.push({
      jobId: job.id,
      attempt: job.attempts,
      organizerId: job.organizerId,
      priority: job.priority,
    });
    try {
      if (script.progress) await ctx.reportProgress(script.progress);
      if (script.block) {
        await new Promise<void>((resolve, reject) => {
          ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true });
          this.gate.started(job.id, resolve);
        });
      }
      const failure = script.always ?? script.fail?.[job.attempts - 1];
      if (failure) throw toError(failure);
      return script.result;
    } finally {
      this.gate.ended(job.id);
    }
  }
}

/**
 * Enqueues payload.children child TEST_JOBs (one per webinar id), then returns their ids; with
 * payload.batch, all at once through ctx.enqueueMany.
 */
@SyncJobHandler(TEST_CHAIN)
export class ChainJobHandler {
  async handle(ctx: JobContext): Promise<Record<string, unknown>> {
    const n = Number(ctx.job.payload?.children ?? 0);
    const ids: number[] = [];
    if (ctx.job.payload?.batch) {
      const children = await ctx.enqueueMany(
        Array.from({ length: n }, (_, i) => ({
          type: TEST_JOB,
          organizerId: ctx.job.organizerId,
          webinarId: i + 1,
        })),
      );
      return { children: children.map((c) => c.id) };
    }
    for (let i = 1; i <= n; i++) {
      const child = await ctx.enqueue({
        type: TEST_JOB,
        organizerId: ctx.job.organizerId,
        webinarId: i,
      });
      ids.push(child.id);
      await ctx.reportProgress({ webinarsDone: i, webinarsTotal: n });
    }
    return { children: ids };
  }
}

@Module({ providers: [TestJobGate, ScriptedJobHandler, ChainJobHandler], exports: [TestJobGate] })
export class TestSyncHandlersModule {}
