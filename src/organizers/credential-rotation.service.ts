import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { MoreThan, Repository } from 'typeorm';
import { CredentialCipher } from '../common/credential-cipher';
import { credentialsContext } from './organizer-credentials';
import { Organizer } from './organizer.entity';

export interface RotationReport {
  /** Rows read. */
  scanned: number;
  /** Rewritten under the current key (v2 with associated data). */
  rewritten: number;
  /** Already v2 under the current key: left alone (so the command is idempotent). */
  current: number;
  /** Changed by the service between read and write (a rotated refresh token): already current. */
  raced: number;
  /** Not decryptable with CREDENTIALS_KEY or CREDENTIALS_KEY_PREVIOUS: left as they are. */
  failed: number;
}

// `npm run cli -- credentials:rotate`: re-encrypts every organizer's stored credentials with the
// current CREDENTIALS_KEY, batch by batch (keyset on id). Each write is conditional on the value
// read, so a refresh token the running service rotates meanwhile is never overwritten.
@Injectable()
export class CredentialRotationService {
  private readonly logger = new Logger(CredentialRotationService.name);

  constructor(
    @InjectRepository(Organizer) private readonly organizers: Repository<Organizer>,
    private readonly cipher: CredentialCipher,
  ) {}

  async rotate(batchSize = 200): Promise<RotationReport> {
    const report: RotationReport = { scanned: 0, rewritten: 0, current: 0, raced: 0, failed: 0 };
    let lastId = 0;
    for (;;) {
      const rows = await this.organizers.find({
        select: { id: true, accountId: true, organizerKey: true, credentialsEncrypted: true },
        where: { id: MoreThan(lastId) },
        order: { id: 'ASC' },
        take: batchSize,
      });
      if (rows.length === 0) return report;
      lastId = rows[rows.length - 1].id;
      report.scanned += rows.length;
      for (const row of rows) await this.rotateOne(row, report);
    }
  }

  private async rotateOne(row: Organizer, report: RotationReport): Promise<void> {
    const old = row.credentialsEncrypted;
    if (!this.cipher.needsRewrite(old)) {
      report.current += 1;
      return;
    }
    const context = credentialsContext(row.accountId, row.organizerKey);
    let plain: string;
    try {
      plain = this.cipher.decrypt(old, context, { legacy: true });
    } catch (e) {
      report.failed += 1;
      this.logger.error({ organizerId: row.id, err: (e as Error).message }, 'cannot re-encrypt');
      return;
    }
    const res = await this.organizers.update(
      { id: row.id, credentialsEncrypted: old },
      { credentialsEncrypted: this.cipher.encrypt(plain, context) },
    );
    if (res.affected) report.rewritten += 1;
    else report.raced += 1;
  }
}
