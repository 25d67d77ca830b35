import { Injectable, Logger } from '@nestjs/common';
import { setMaxListeners } from 'node:events';
import { Clock } from '../common/clock';
import { DomainError } from '../common/errors/domain-error';
import { AppConfig } from '../config/app-config';
import { withGotoCallContext } from '../goto-webinar/budget/goto-call-context';
import { decideOnJobError, describeJobError } from './sync-error-policy';
import { SyncHandlerRegistry } from './sync-handler-registry.service';
import { Lease, SyncJobLeaseRepository } from './sync-job-lease.repository';
import { JobContext } from './sync-job-handler';
import { SyncJob } from './sync-job.entity';
import { SyncMetrics } from './sync-metrics.service';
import { SyncQueue } from './sync-queue.service';

export type AttemptOutcome =
  'succeeded' | 'skipped' | 'retry' | 'failed' | 'released' | 'lease_lost';

// Runs one claimed job: the handler with its context, the lease heartbeat, and the outcome
// (succeeded, re-queued with backoff, failed, or released on shutdown) written under the lease.
@Injectable()
export class SyncJobRunner {
  private readonly logger = new Logger(SyncJobRunner.name);

  constructor(
    private readonly leases: SyncJobLeaseRepository,
    private readonly registry: SyncHandlerRegistry,
    private readonly queue: SyncQueue,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly metrics: SyncMetrics,
  ) {}

  /** `after`: the outcome is written only once it has settled (SyncWorker.runNext's batches). */
  async run(
    job: SyncJob,
    lease: Lease,
    shutdown: AbortSignal,
    after?: Promise<unknown>,
  ): Promise<AttemptOutcome> {
    const abort = new AbortController();
    // Every GoTo call of the job waiting for a budget slot listens to this signal: a full sync's
    // parallel calls can exceed Node's default of 10 (a warning, not a leak).
    setMaxListeners(100, abort.signal);
    const state = { leaseLost: false };
    const loseLease = () => {
      state.leaseLost = true;
      abort.abort(new Error('lease lost'));
    };
    const onShutdown = () => abort.abort(new Error('worker shutting down'));
    if (shutdown.aborted) onShutdown();
    else shutdown.addEventListener('abort', onShutdown, { once: true });
    const heartbeat = this.startHeartbeat(lease, loseLease);
    const started = performance.now();
    let outcome: AttemptOutcome;
    try {
      const handler = this.registry.get(job.type);
      if (!handler)
        throw new DomainError('unprocessable', 'NO_HANDLER', `no handler for job type ${job.type}`);
      // Every GoTo call of the job asks the budget as this job's priority, account and organizer.
      const result = await withGotoCallContext(
        { priority: job.priority, accountId: job.accountId, organizerId: job.organizerId },
        () => handler.handle(this.context(job, lease, abort.signal, loseLease)),
      );
      await settled(after);
      outcome = (await this.leases.complete(lease, this.clock.now(), result ?? null))
        ? 'succeeded'
        : 'lease_lost';
    } catch (err) {
      await settled(after);
      outcome = await this.settleError(job, lease, err, state.leaseLost, shutdown.aborted);
    } finally {
      clearInterval(heartbeat);
      shutdown.removeEventListener('abort', onShutdown);
    }
    this.metrics.observeAttempt(job.type, outcome, (performance.now() - started) / 1000);
    this.log(job, lease, outcome);
    this.queue.notifyChanged(job);
    return outcome;
  }

  private context(
    job: SyncJob,
    lease: Lease,
    signal: AbortSignal,
    loseLease: () => void,
  ): JobContext {
    return {
      job,
      signal,
      reportProgress: async (progress) => {
        job.progress = progress;
        if (!(await this.leases.saveProgress(lease, progress))) loseLease();
      },
      enqueue: (req) =>
        this.queue.enqueue({
          ...req,
          accountId: req.accountId ?? job.accountId,
          priority: req.priority ?? job.priority,
        }),
      enqueueMany: async (reqs) =>
        (
          await this.queue.enqueueMany(
            reqs.map((req) => ({
              ...req,
              accountId: req.accountId ?? job.accountId,
              priority: req.priority ?? job.priority,
            })),
          )
        ).map((r) => r.job),
    };
  }

  private startHeartbeat(lease: Lease, loseLease: () => void): NodeJS.Timeout {
    const { leaseMs } = this.config.sync;
    const timer = setInterval(
      () => {
        this.leases.heartbeat(lease, this.clock.now(), leaseMs).then(
          (ok) => ok || loseLease(),
          (err) =>
            this.logger.warn(
              { jobId: lease.id, err: describeJobError(err) },
              'job heartbeat failed',
            ),
        );
      },
      Math.max(20, Math.floor(leaseMs / 3)),
    );
    timer.unref();
    return timer;
  }

  private async settleError(
    job: SyncJob,
    lease: Lease,
    err: unknown,
    leaseLost: boolean,
    shuttingDown: boolean,
  ): Promise<AttemptOutcome> {
    const now = this.clock.now();
    // Another worker owns the job now; whatever we write would be refused anyway.
    if (leaseLost) return 'lease_lost';
    // Stopped by shutdown: back to the queue at once, the attempt not counted.
    if (shuttingDown) return (await this.leases.release(lease, now)) ? 'released' : 'lease_lost';
    const decision = decideOnJobError(err, lease.attempt, this.config.sync.maxAttempts);
    let written: boolean;
    if (decision.action === 'skip') {
      written = await this.leases.complete(lease, now, { skipped: true, reason: decision.reason });
    } else if (decision.action === 'retry') {
      // Whole seconds (DATETIME), rounded up so a retry never comes early.
      const runAfter = new Date(Math.ceil((now.getTime() + decision.delayMs) / 1000) * 1000);
      written = await this.leases.retry(lease, runAfter, decision.error);
      this.metrics.countFailure(job.type, false);
      job.lastError = decision.error;
    } else {
      written = await this.leases.fail(lease, now, decision.error);
      this.metrics.countFailure(job.type, true);
      job.lastError = decision.error;
    }
    if (!written) return 'lease_lost';
    return decision.action === 'skip'
      ? 'skipped'
      : decision.action === 'retry'
        ? 'retry'
        : 'failed';
  }

  private log(job: SyncJob, lease: Lease, outcome: AttemptOutcome): void {
    const fields = {
      jobId: job.id,
      type: job.type,
      attempt: lease.attempt,
      accountId: job.accountId,
      organizerId: job.organizerId,
      webinarId: job.webinarId,
      outcome,
    };
    if (outcome === 'succeeded' || outcome === 'skipped' || outcome === 'released')
      this.logger.log(fields, 'sync job attempt ended');
    else
      this.logger.warn(
        { ...fields, ...(job.lastError ? { err: job.lastError } : {}) },
        'sync job attempt ended',
      );
  }
}

const settled = (p?: Promise<unknown>): Promise<unknown> =>
  p ? p.catch(() => undefined) : Promise.resolve();
