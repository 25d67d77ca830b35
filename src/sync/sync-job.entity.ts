import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const SYNC_JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;
export type SyncJobStatus = (typeof SYNC_JOB_STATUSES)[number];
/** The statuses a job ends in (the sync module's rule; other modules ask it, e.g. activity). */
export const FINISHED_SYNC_JOB_STATUSES = [
  'succeeded',
  'failed',
] as const satisfies readonly SyncJobStatus[];
export type FinishedSyncJobStatus = (typeof FINISHED_SYNC_JOB_STATUSES)[number];

@Entity('sync_job')
@Index('ix_sync_job_claim', ['status', 'runAfter', 'priority'])
@Index('ix_sync_job_account', ['accountId', 'createdAt'])
@Index('ix_sync_job_lease', ['status', 'leaseUntil'])
@Index('ix_sync_job_type_created', ['type', 'createdAt'])
@Index('ix_sync_job_finished', ['status', 'finishedAt'])
@Index('ix_sync_job_account_finished', ['accountId', 'status', 'finishedAt'])
@Index('ix_sync_job_organizer', ['organizerId', 'webinarId'])
@Index('ix_sync_job_webinar', ['webinarId'])
export class SyncJob {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'account_id', type: 'integer' }) accountId: number;
  @Column({ name: 'organizer_id', type: 'integer', nullable: true }) organizerId: number | null;
  @Column({ name: 'webinar_id', type: 'integer', nullable: true }) webinarId: number | null;
  @Column({ type: 'varchar', length: 40 }) type: string;
  @Column({ type: 'integer', default: 0 }) priority: number;
  @Column({ type: 'varchar', length: 16, default: 'queued' }) status: SyncJobStatus;
  // Set while queued or running (type + target), NULL once finished: one active job per target.
  @Index('uq_sync_job_active_key', { unique: true })
  @Column({ name: 'active_key', type: 'varchar', length: 191, nullable: true })
  activeKey: string | null;
  // The organizer's id while the job runs, NULL otherwise: at most one running job per organizer,
  // enforced by the database even when several processes claim at once.
  @Index('uq_sync_job_running_organizer', { unique: true })
  @Column({ name: 'running_organizer_id', type: 'integer', nullable: true })
  runningOrganizerId: number | null;
  @Column({ type: 'integer', default: 0 }) attempts: number;
  @Column({ name: 'run_after', type: 'datetime' }) runAfter: Date;
  @Column({ name: 'locked_by', type: 'varchar', length: 100, nullable: true }) lockedBy:
    string | null;
  @Column({ name: 'lease_until', type: 'datetime', nullable: true }) leaseUntil: Date | null;
  @Column({ type: 'simple-json', nullable: true }) payload: Record<string, unknown> | null;
  @Column({ type: 'simple-json', nullable: true }) progress: Record<string, unknown> | null;
  @Column({ type: 'simple-json', nullable: true }) result: Record<string, unknown> | null;
  @Column({ name: 'last_error', type: 'text', nullable: true }) lastError: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'datetime' }) createdAt: Date;
  @Column({ name: 'started_at', type: 'datetime', nullable: true }) startedAt: Date | null;
  @Column({ name: 'finished_at', type: 'datetime', nullable: true }) finishedAt: Date | null;
}
