import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { DomainError, fieldError } from '../common/errors/domain-error';
import { DEFAULT_FOLDER_NAME, TargetGroupFolder } from './target-group-folder.entity';
import { isUniqueViolation } from '../database/db-errors';

// Folders that hold target groups. Every account has a default one ("Webinars"), created on demand.
@Injectable()
export class TargetGroupFoldersService {
  private readonly logger = new Logger(TargetGroupFoldersService.name);

  constructor(
    @InjectRepository(TargetGroupFolder) private readonly folders: Repository<TargetGroupFolder>,
  ) {}

  /** The account's default folder, created if missing (safe under concurrent callers). */
  async ensureDefault(accountId: number): Promise<TargetGroupFolder> {
    const existing = await this.folders.findOneBy({ accountId, name: DEFAULT_FOLDER_NAME });
    if (existing) return existing;
    try {
      const created = await this.folders.save(
        this.folders.create({ accountId, name: DEFAULT_FOLDER_NAME }),
      );
      this.logger.log({ accountId, folderId: created.id }, 'default target group folder created');
      return created;
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      return this.folders.findOneByOrFail({ accountId, name: DEFAULT_FOLDER_NAME });
    }
  }

  /** The folder if it belongs to the account, else null. */
  findForAccount(accountId: number, id: number): Promise<TargetGroupFolder | null> {
    if (!Number.isSafeInteger(id)) return Promise.resolve(null);
    return this.folders.findOneBy({ accountId, id });
  }

  /** All folders of the account (the default one included), by name. */
  async list(accountId: number): Promise<TargetGroupFolder[]> {
    await this.ensureDefault(accountId);
    return this.folders.find({ where: { accountId }, order: { name: 'ASC', id: 'ASC' } });
  }

  /** A new folder; 400 naming `name` when blank or too long, 409 when the account already has one of that name. */
  async create(accountId: number, name: string): Promise<TargetGroupFolder> {
    const trimmed = typeof name === 'string' ? name.trim() : '';
    if (!trimmed) throw fieldError('bad_request', 'name', 'name should not be empty');
    if (trimmed.length > 200)
      throw fieldError('bad_request', 'name', 'name must be at most 200 characters');
    // The default folder exists first, so its name is taken like any other.
    await this.ensureDefault(accountId);
    // Case-insensitive on both databases (MySQL's collation already is; SQLite's unique index is not).
    const clash = await this.folders
      .createQueryBuilder('f')
      .where('f.account_id = :accountId', { accountId })
      .andWhere('LOWER(f.name) = LOWER(:name)', { name: trimmed })
      .getOne();
    if (clash) throw duplicate(clash);
    try {
      return await this.folders.save(this.folders.create({ accountId, name: trimmed }));
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      const existing = await this.folders.findOneBy({ accountId, name: trimmed });
      throw existing ? duplicate(existing) : e;
    }
  }
}

function duplicate(existing: TargetGroupFolder): DomainError {
  return new DomainError(
    'conflict',
    'FOLDER_EXISTS',
    `A target group folder named "${existing.name}" already exists (id ${existing.id})`,
    [{ field: 'name', message: `already used by folder ${existing.id}` }],
  );
}
