import { Injectable } from '@nestjs/common';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig } from '../config/app-config';

const VERSION = 'v1';

// AES-256-GCM, a fresh 96-bit IV per value; stored as v1:<iv>:<tag>:<ciphertext> (base64).
// The key lives in CREDENTIALS_KEY (required with MySQL) or, for embedded SQLite, in a file
// generated once into the data folder — never in the database.
@Injectable()
export class CredentialCipher {
  private readonly key: Buffer;

  constructor(config: AppConfig) {
    this.key = resolveKey(config);
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [
      VERSION,
      iv.toString('base64'),
      cipher.getAuthTag().toString('base64'),
      data.toString('base64'),
    ].join(':');
  }

  decrypt(envelope: string): string {
    const [version, iv, tag, data] = envelope.split(':');
    if (version !== VERSION || !iv || !tag || data === undefined)
      throw new Error('Unrecognised credentials envelope');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString(
      'utf8',
    );
  }

  encryptJson(value: unknown): string {
    return this.encrypt(JSON.stringify(value));
  }

  decryptJson<T>(envelope: string): T {
    return JSON.parse(this.decrypt(envelope)) as T;
  }
}

function resolveKey(config: AppConfig): Buffer {
  if (config.credentialsKey) return Buffer.from(config.credentialsKey, 'base64');
  const file = join(config.dataDir, 'credentials.key');
  if (!existsSync(file)) createKeyFile(config.dataDir, file);
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte base64 key`);
  return key;
}

// Written whole beside the target, then hard-linked into place: link() fails when another process
// starting at the same moment got there first, so both use one key and neither reads a half-written
// file (a plain exclusive create let the loser crash on EEXIST or read an empty key).
export function createKeyFile(dir: string, file: string): void {
  mkdirSync(dir, { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(tmp, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  try {
    linkSync(tmp, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  } finally {
    unlinkSync(tmp);
  }
}
