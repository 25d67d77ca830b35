import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { CipherContext, CredentialCipher } from '../common/credential-cipher';
import { AppConfig } from '../config/app-config';
import { RotationReport } from '../organizers/credential-rotation.service';
import { GotoWebhookSetup } from './goto-webhook-setup.entity';

/** How long a process trusts the secret it read (another instance may have made a new one). */
const SECRET_CACHE_MS = 30_000;

// The developer-level setup row of our OAuth client: the secret GoTo signs with (encrypted at rest,
// never logged) and our webhooks' keys.
@Injectable()
export class WebhookSetupStore {
  private readonly logger = new Logger(WebhookSetupStore.name);
  private cached: { secret: string | null; at: number } | null = null;

  constructor(
    @InjectRepository(GotoWebhookSetup) private readonly rows: Repository<GotoWebhookSetup>,
    private readonly cipher: CredentialCipher,
    private readonly config: AppConfig,
  ) {}

  read(): Promise<GotoWebhookSetup | null> {
    return this.rows.findOneBy({ clientId: this.config.goto.clientId });
  }

  /** The current secret key, or null before the setup made one. `fresh` skips the short cache. */
  async secret(fresh = false): Promise<string | null> {
    if (!fresh && this.cached && Date.now() - this.cached.at < SECRET_CACHE_MS)
      return this.cached.secret;
    const row = await this.read();
    const secret = row?.secretEncrypted
      ? this.cipher.decryptJson<string>(row.secretEncrypted, this.context())
      : null;
    this.cached = { secret, at: Date.now() };
    return secret;
  }

  /** The secret is bound to the GoTo client it belongs to (associated data of the envelope). */
  private context(clientId = this.config.goto.clientId): CipherContext {
    return { purpose: 'webhook-secret', clientId };
  }

  /**
   * `credentials:rotate`: re-encrypts every stored secret (one row per GoTo client, each bound to
   * its own client id) with the current CREDENTIALS_KEY. A write is conditional on the value read,
   * so a secret the running setup replaced meanwhile is never overwritten (counted as raced).
   */
  async rotateSecrets(): Promise<RotationReport> {
    const report: RotationReport = { scanned: 0, rewritten: 0, current: 0, raced: 0, failed: 0 };
    const rows = await this.rows.find({ select: { clientId: true, secretEncrypted: true } });
    for (const row of rows) {
      const old = row.secretEncrypted;
      if (old === null) continue;
      report.scanned += 1;
      if (!this.cipher.needsRewrite(old)) {
        report.current += 1;
        continue;
      }
      let plain: string;
      try {
        // A secret stored before envelopes carried a key id (v1) is read once more, to rewrite it.
        plain = this.cipher.decrypt(old, this.context(row.clientId), { legacy: true });
      } catch (e) {
        report.failed += 1;
        this.logger.error(
          { clientId: row.clientId, err: (e as Error).message },
          'cannot re-encrypt the webhook secret',
        );
        continue;
      }
      const res = await this.rows.update(
        { clientId: row.clientId, secretEncrypted: old },
        { secretEncrypted: this.cipher.encrypt(plain, this.context(row.clientId)) },
      );
      if (res.affected) report.rewritten += 1;
      else report.raced += 1;
    }
    return report;
  }

  async saveSecret(secret: string): Promise<void> {
    await this.rows.upsert(
      {
        clientId: this.config.goto.clientId,
        secretEncrypted: this.cipher.encryptJson(secret, this.context()),
      },
      ['clientId'],
    );
    this.cached = { secret, at: Date.now() };
  }

  async saveWebhooks(callbackUrl: string, keys: Record<string, string>, at: Date): Promise<void> {
    await this.rows.upsert(
      { clientId: this.config.goto.clientId, callbackUrl, webhookKeys: keys, checkedAt: at },
      ['clientId'],
    );
  }
}
