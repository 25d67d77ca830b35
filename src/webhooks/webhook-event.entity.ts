import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

// A GoTo webhook delivery as received: stored before it is acknowledged, unique on GoTo's eventKey
// (deliveries come duplicated), processed later through the queue (webhook_event job). Processed
// ones are deleted after SYNC_JOB_RETENTION_DAYS (WebhookEventRetention).
@Entity('webhook_event')
@Index('ix_webhook_event_webinar', ['webinarKey', 'eventTime'])
@Index('ix_webhook_event_processed', ['processedAt', 'id'])
export class WebhookEvent {
  @PrimaryGeneratedColumn() id: number;
  @Index('uq_webhook_event_key', { unique: true })
  @Column({ name: 'event_key', type: 'varchar', length: 64 })
  eventKey: string;
  @Column({ name: 'event_name', type: 'varchar', length: 40 }) eventName: string;
  @Column({ name: 'webinar_key', type: 'varchar', length: 20, nullable: true }) webinarKey:
    string | null;
  @Column({ name: 'registrant_key', type: 'varchar', length: 20, nullable: true })
  registrantKey: string | null;
  /** GoTo's `timestamp` of the event (when it happened), not when it reached us. */
  @Column({ name: 'event_time', type: 'datetime', nullable: true }) eventTime: Date | null;
  @Column({ name: 'received_at', type: 'datetime' }) receivedAt: Date;
  /** The raw JSON text of the event (64-bit keys as GoTo wrote them). */
  @Column({ type: 'text' }) body: string;
  @Column({ name: 'processed_at', type: 'datetime', nullable: true }) processedAt: Date | null;
  /** What processing did: applied, stale (a newer state was stored), gap (a sync was queued), ignored. */
  @Column({ type: 'varchar', length: 200, nullable: true }) outcome: string | null;
}
