import { createHash, randomBytes } from 'node:crypto';

// API keys: random, shown once, stored as sha256 (a 256-bit random key needs no slow hash).
export const API_KEY_PREFIX = 'wsk_';

export function generateApiKey(): string {
  return API_KEY_PREFIX + randomBytes(32).toString('base64url');
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}
