import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

export type OrganizerAuthMethod = 'password' | 'personal_access_token' | 'oauth';
export type ConnectionStatus = 'unknown' | 'ok' | 'error';
/** The organizer's GoTo webhook user subscription, as kept by src/webhooks/. */
export type WebhookState = 'unknown' | 'on' | 'off' | 'failing';

@Entity('organizer')
@Index('uq_organizer_account_key', ['accountId', 'organizerKey'], { unique: true })
export class Organizer {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'account_id', type: 'integer' }) accountId: number;
  @Column({ type: 'varchar', length: 320 }) email: string;
  @Column({ name: 'auth_method', type: 'varchar', length: 32 }) authMethod: OrganizerAuthMethod;
  // AES-256-GCM envelope (see common/credential-cipher.ts); never plaintext.
  @Column({ name: 'credentials_encrypted', type: 'text' }) credentialsEncrypted: string;
  @Column({ name: 'organizer_key', type: 'varchar', length: 20 }) organizerKey: string;
  @Column({ name: 'goto_account_key', type: 'varchar', length: 20, nullable: true })
  gotoAccountKey: string | null;
  @Column({ type: 'boolean', width: 1, default: true }) active: boolean;
  @Column({ name: 'deactivated_reason', type: 'varchar', length: 500, nullable: true })
  deactivatedReason: string | null;
  @Column({ name: 'connection_status', type: 'varchar', length: 16, default: 'unknown' })
  connectionStatus: ConnectionStatus;
  @Column({ name: 'last_error', type: 'text', nullable: true }) lastError: string | null;
  @Column({ name: 'last_tested_at', type: 'datetime', nullable: true }) lastTestedAt: Date | null;
  @Column({ name: 'last_synced_at', type: 'datetime', nullable: true }) lastSyncedAt: Date | null;
  @Column({ name: 'webhook_state', type: 'varchar', length: 16, default: 'unknown' })
  webhookState: WebhookState;
  @Column({ name: 'webhook_reason', type: 'varchar', length: 500, nullable: true })
  webhookReason: string | null;
  @Column({ name: 'webhook_checked_at', type: 'datetime', nullable: true })
  webhookCheckedAt: Date | null;
  @Column({ name: 'webhook_last_event_at', type: 'datetime', nullable: true })
  webhookLastEventAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'datetime' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'datetime' }) updatedAt: Date;
}
