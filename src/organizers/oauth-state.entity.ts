import { Column, Entity, PrimaryColumn } from 'typeorm';

// One row per OAuth "state" handed out; consumed once, so a replayed state is refused.
@Entity('oauth_state')
export class OAuthState {
  @PrimaryColumn({ type: 'varchar', length: 64 }) nonce: string;
  @Column({ name: 'account_id', type: 'integer' }) accountId: number;
  @Column({ name: 'expires_at', type: 'datetime' }) expiresAt: Date;
  @Column({ name: 'used_at', type: 'datetime', nullable: true }) usedAt: Date | null;
}
