import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * True when `Authorization: Bearer <token>` carries exactly `expected`. Compared in constant time
 * (on SHA-256 digests, so neither the content nor the length of the token leaks through timing).
 */
export function bearerMatches(header: unknown, expected: string): boolean {
  const m = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(m?.[1] ?? ''), digest(expected)) && m !== null;
}
