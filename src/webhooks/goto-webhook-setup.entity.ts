import { Column, Entity, PrimaryColumn } from 'typeorm';

// The developer-level webhook setup of our one GoTo OAuth client: the secret key GoTo signs with
// (encrypted like credentials; GoTo has no call to read it back) and our four webhooks' keys.
@Entity('goto_webhook_setup')
export class GotoWebhookSetup {
  @PrimaryColumn({ name: 'client_id', type: 'varchar', length: 191 }) clientId: string;
  @Column({ name: 'secret_encrypted', type: 'text', nullable: true }) secretEncrypted:
    string | null;
  @Column({ name: 'callback_url', type: 'varchar', length: 1000, nullable: true })
  callbackUrl: string | null;
  /** eventName -> webhookKey. */
  @Column({ name: 'webhook_keys', type: 'simple-json', nullable: true })
  webhookKeys: Record<string, string> | null;
  @Column({ name: 'checked_at', type: 'datetime', nullable: true }) checkedAt: Date | null;
}
