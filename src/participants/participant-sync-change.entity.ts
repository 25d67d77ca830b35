import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Who changed the participants: a participant sync, or a batch of webhook events. */
export const CHANGE_SOURCES = ['sync', 'webhook'] as const;
export type ChangeSource = (typeof CHANGE_SOURCES)[number];

// What one participant sync (or one processed batch of webhook events, per webinar) changed
// (history); kept SYNC_JOB_RETENTION_DAYS.
@Entity('participant_sync_change')
@Index('ix_participant_sync_change_webinar', ['webinarId', 'id'])
@Index('ix_participant_sync_change_synced_at', ['syncedAt'])
export class ParticipantSyncChange {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'account_id', type: 'integer' }) accountId: number;
  @Column({ name: 'webinar_id', type: 'integer' }) webinarId: number;
  @Column({ name: 'sync_job_id', type: 'integer', nullable: true }) syncJobId: number | null;
  @Column({ name: 'synced_at', type: 'datetime' }) syncedAt: Date;
  @Column({ type: 'integer', default: 0 }) added: number;
  @Column({ type: 'integer', default: 0 }) cancelled: number;
  @Column({ type: 'integer', default: 0 }) attended: number;
  @Column({ name: 'status_changed', type: 'integer', default: 0 }) statusChanged: number;
  /** JSON {added: [emails…], cancelled: […], attended: […], statusChanged: […]} (a few each). */
  @Column({ type: 'text' }) samples: string;
  @Column({ type: 'varchar', length: 16, default: 'sync' }) source: ChangeSource;
}
