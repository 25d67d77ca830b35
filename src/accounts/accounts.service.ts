import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { generateApiKey, hashApiKey } from '../common/auth/api-key';
import { fieldError } from '../common/errors/domain-error';
import { Account } from './account.entity';

export interface CreatedAccount {
  id: number;
  name: string;
  apiKey: string;
}

@Injectable()
export class AccountsService {
  constructor(@InjectRepository(Account) private readonly accounts: Repository<Account>) {}

  /** Creates an account; the API key is returned once and only its hash is stored. */
  async create(name: string): Promise<CreatedAccount> {
    const trimmed = name?.trim() ?? '';
    if (!trimmed || trimmed.length > 200)
      throw fieldError('bad_request', 'name', 'must be 1 to 200 characters');
    const apiKey = generateApiKey();
    const saved = await this.accounts.save(
      this.accounts.create({ name: trimmed, apiKeyHash: hashApiKey(apiKey) }),
    );
    return { id: saved.id, name: saved.name, apiKey };
  }

  findById(id: number): Promise<Account | null> {
    return this.accounts.findOneBy({ id });
  }
}
