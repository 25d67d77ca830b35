import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Gauge, register } from 'prom-client';
import { DataSource } from 'typeorm';
import { counter, histogram } from '../common/metrics';
import { SyncJobStatus } from './sync-job.entity';

// Finished jobs are history (pruned after SYNC_JOB_RETENTION_DAYS): the gauge is the live queue.
const STATUSES: SyncJobStatus[] = ['queued', 'running'];
const DEPTH = 'sync_jobs';

// prom-client's registry is process-global while a test process may build several apps: the gauge
// asks whichever SyncMetrics is current, at scrape time.
let depthSource: (() => Promise<Map<string, number>>) | undefined;

function depthGauge(): Gauge<string> {
  return (
    (register.getSingleMetric(DEPTH) as Gauge<string>) ??
    new Gauge({
      name: DEPTH,
      help: 'Queued and running sync jobs in the database (the whole queue, every instance)',
      labelNames: ['status'],
      async collect() {
        if (!depthSource) return;
        try {
          const counts = await depthSource();
          for (const s of STATUSES) this.set({ status: s }, counts.get(s) ?? 0);
        } catch {
          // A scrape during shutdown or a database hiccup keeps the last values.
        }
      },
    })
  );
}

@Injectable()
export class SyncMetrics implements OnModuleInit, OnModuleDestroy {
  private readonly durations = histogram(
    'sync_job_duration_seconds',
    'Duration of sync job attempts by type and outcome',
    ['type', 'outcome'],
    [0.05, 0.25, 1, 5, 15, 60, 300, 900, 3600],
  );
  private readonly failures = counter(
    'sync_job_failures_total',
    'Failed sync job attempts by type; final = the job ended failed, else it was re-queued',
    ['type', 'final'],
  );
  private readonly source = () => this.queueDepth();

  constructor(@InjectDataSource() private readonly ds: DataSource) {
    depthGauge();
  }

  onModuleInit(): void {
    depthSource = this.source;
  }

  onModuleDestroy(): void {
    if (depthSource === this.source) depthSource = undefined;
  }

  observeAttempt(type: string, outcome: string, seconds: number): void {
    this.durations.observe({ type, outcome }, seconds);
  }

  countFailure(type: string, final: boolean): void {
    this.failures.inc({ type, final: String(final) });
  }

  async queueDepth(): Promise<Map<string, number>> {
    const rows: Array<{ status: string; n: number | string }> = await this.ds.query(
      // Only the live queue (ix_sync_job_claim): finished jobs are history, pruned after
      // SYNC_JOB_RETENTION_DAYS, and counting them at every scrape would grow with it.
      "SELECT status, COUNT(*) AS n FROM sync_job WHERE status IN ('queued', 'running') GROUP BY status",
    );
    return new Map(rows.map((r) => [r.status, Number(r.n)]));
  }
}
