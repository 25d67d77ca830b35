import { Injectable } from '@nestjs/common';
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig } from '../config/app-config';

const TAG_BYTES = 16;
const IV_BYTES = 12;

/**
 * What a ciphertext protects, bound into it as AES-GCM associated data: a value encrypted for one
 * purpose (or one organizer row) does not decrypt for another, so it cannot be moved between rows.
 */
export type CipherContext =
  | { purpose: 'organizer-credentials'; accountId: number; organizerKey: string }
  | { purpose: 'oauth-state' }
  | { purpose: 'oauth-pending'; accountId: number; nonce: string }
  | { purpose: 'webhook-secret'; clientId: string };

export function associatedData(c: CipherContext): Buffer {
  const parts =
    c.purpose === 'organizer-credentials'
      ? [c.purpose, `account=${c.accountId}`, `organizer=${c.organizerKey}`]
      : c.purpose === 'oauth-pending'
        ? [c.purpose, `account=${c.accountId}`, `nonce=${c.nonce}`]
        : c.purpose === 'webhook-secret'
          ? [c.purpose, `client=${c.clientId}`]
          : [c.purpose];
  return Buffer.from(`webinar-sync/${parts.join('/')}`, 'utf8');
}

interface Key {
  id: string;
  bytes: Buffer;
}

/** The key id in an envelope: the first 6 bytes of SHA-256(key), base64url (never the key itself). */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest().subarray(0, 6).toString('base64url');
}

// AES-256-GCM, a fresh 96-bit IV per value, a 128-bit tag (shorter tags are refused) and the
// context as associated data; stored as v2:<kid>:<iv>:<tag>:<ciphertext> (base64).
// The key lives in CREDENTIALS_KEY (required with MySQL) or, for embedded SQLite, in a file
// generated once into the data folder — never in the database. CREDENTIALS_KEY_PREVIOUS, during a
// rotation, still decrypts and never encrypts; `npm run cli -- credentials:rotate` rewrites rows.
// v1 envelopes (v1:<iv>:<tag>:<ct>, no key id, no associated data) written before this version are
// still read for stored credentials (`legacy: true`) until credentials:rotate rewrites them.
@Injectable()
export class CredentialCipher {
  private readonly current: Key;
  private readonly previous?: Key;

  constructor(config: AppConfig) {
    const bytes = resolveKey(config);
    this.current = { id: keyIdOf(bytes), bytes };
    if (config.credentialsKeyPrevious) {
      const prev = Buffer.from(config.credentialsKeyPrevious, 'base64');
      this.previous = { id: keyIdOf(prev), bytes: prev };
    }
  }

  encrypt(plain: string, context: CipherContext): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.bytes, iv, {
      authTagLength: TAG_BYTES,
    });
    cipher.setAAD(associatedData(context));
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [
      'v2',
      this.current.id,
      iv.toString('base64'),
      cipher.getAuthTag().toString('base64'),
      data.toString('base64'),
    ].join(':');
  }

  /**
   * Decrypts an envelope written for this context. `legacy` also accepts the v1 envelope (stored
   * credentials only: never for attacker-supplied values such as the OAuth state).
   */
  decrypt(envelope: string, context: CipherContext, opts: { legacy?: boolean } = {}): string {
    const parts = envelope.split(':');
    if (parts[0] === 'v2' && parts.length === 5) {
      const key = [this.current, this.previous].find((k) => k?.id === parts[1]);
      if (!key) throw new Error('Credentials envelope written with an unknown key');
      return open(key.bytes, parts[2], parts[3], parts[4], associatedData(context));
    }
    if (opts.legacy && parts[0] === 'v1' && parts.length === 4) {
      for (const key of [this.current, this.previous]) {
        if (!key) continue;
        try {
          return open(key.bytes, parts[1], parts[2], parts[3]);
        } catch {
          // try the previous key
        }
      }
      throw new Error('Credentials envelope does not decrypt with the configured keys');
    }
    throw new Error('Unrecognised credentials envelope');
  }

  /** True when the envelope is not yet v2 under the current key (credentials:rotate rewrites it). */
  needsRewrite(envelope: string): boolean {
    return !envelope.startsWith(`v2:${this.current.id}:`);
  }

  encryptJson(value: unknown, context: CipherContext): string {
    return this.encrypt(JSON.stringify(value), context);
  }

  decryptJson<T>(envelope: string, context: CipherContext, opts: { legacy?: boolean } = {}): T {
    return JSON.parse(this.decrypt(envelope, context, opts)) as T;
  }
}

function open(key: Buffer, iv64: string, tag64: string, data64: string, aad?: Buffer): string {
  const iv = Buffer.from(iv64, 'base64');
  const tag = Buffer.from(tag64, 'base64');
  // GCM accepts tags from 4 bytes up; a short tag is forgeable by trial, so only 16 bytes pass.
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES)
    throw new Error('Credentials envelope has a bad IV or tag length');
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  if (aad) decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(Buffer.from(data64, 'base64')), decipher.final()]).toString(
    'utf8',
  );
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
