import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LRUCache } from 'lru-cache';
import { timingSafeEqual } from 'node:crypto';
import { Repository } from 'typeorm';
import { generateApiKey, hashApiKey } from '../common/auth/api-key';
import { fieldError } from '../common/errors/domain-error';
import { Account } from './account.entity';

export interface CreatedAccount {
  id: number;
  name: string;
  apiKey: string;
}

/** Hashes of keys recently found to be unknown (a bad-key flood costs one query per distinct key). */
const UNKNOWN_KEYS = { max: 10_000, ttl: 10 * 60_000 };

@Injectable()
export class AccountsService {
  private readonly unknownKeys = new LRUCache<string, true>(UNKNOWN_KEYS);

  constructor(@InjectRepository(Account) private readonly accounts: Repository<Account>) {}

  /**
   * The account an API key belongs to, or null. Keys are compared by their SHA-256 (what the row
   * stores; a 256-bit random key needs no slow hash), so lookup time says nothing about the key;
   * an unknown hash is remembered for a while and answered without a query.
   */
  async accountIdForApiKey(apiKey: string): Promise<number | null> {
    const hash = hashApiKey(apiKey);
    if (this.unknownKeys.has(hash)) return null;
    const row = await this.accounts.findOne({
      select: { id: true, apiKeyHash: true },
      where: { apiKeyHash: hash },
    });
    if (
      !row ||
      row.apiKeyHash.length !== hash.length ||
      !timingSafeEqual(Buffer.from(row.apiKeyHash), Buffer.from(hash))
    ) {
      this.unknownKeys.set(hash, true);
      return null;
    }
    return Number(row.id);
  }

  /** Creates an account; the API key is returned once and only its hash is stored. */
  async create(name: string): Promise<CreatedAccount> {
    const trimmed = name?.trim() ?? '';
    if (!trimmed || trimmed.length > 200)
      throw fieldError('bad_request', 'name', 'must be 1 to 200 characters');
    const apiKey = generateApiKey();
    const saved = await this.accounts.save(
      this.accounts.create({ name: trimmed, apiKeyHash: hashApiKey(apiKey) }),
    );
    this.unknownKeys.delete(saved.apiKeyHash);
    return { id: saved.id, name: saved.name, apiKey };
  }

  findById(id: number): Promise<Account | null> {
    return this.accounts.findOneBy({ id });
  }
}
