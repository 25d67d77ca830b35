import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

// One row per "Connect with GoTo" started: the callback consumes it once (a replayed state is
// refused), only from the browser that started it (`browserHash`: SHA-256 of its cookie), with
// the PKCE verifier kept here; after the callback it holds the pending link until the user
// confirms the GoTo user shown, then it is deleted.
@Entity('oauth_state')
@Index('ix_oauth_state_expires', ['expiresAt'])
export class OAuthState {
  @PrimaryColumn({ type: 'varchar', length: 64 }) nonce: string;
  @Column({ name: 'account_id', type: 'integer' }) accountId: number;
  @Column({ name: 'expires_at', type: 'datetime' }) expiresAt: Date;
  @Column({ name: 'used_at', type: 'datetime', nullable: true }) usedAt: Date | null;
  @Column({ name: 'browser_hash', type: 'varchar', length: 64, nullable: true })
  browserHash: string | null;
  /** The PKCE code_verifier, encrypted (context oauth-pending). */
  @Column({ name: 'code_verifier', type: 'text', nullable: true }) codeVerifier: string | null;
  /** After the callback: {refreshToken, identity}, encrypted (context oauth-pending). */
  @Column({ name: 'pending_link', type: 'text', nullable: true }) pendingLink: string | null;
}
