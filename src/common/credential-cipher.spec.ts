import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfig, loadConfig } from '../config/app-config';
import { createCipheriv } from 'node:crypto';
import { CipherContext, createKeyFile, CredentialCipher, keyIdOf } from './credential-cipher';

const withKey = (key?: string, dataDir?: string, previous?: string) =>
  new AppConfig({
    ...loadConfig({ GOTO_SIMULATOR: 'true' }),
    credentialsKey: key,
    credentialsKeyPrevious: previous,
    dataDir: dataDir ?? mkdtempSync(join(tmpdir(), 'ws-key-')),
  });
const ORG_A: CipherContext = {
  purpose: 'organizer-credentials',
  accountId: 1,
  organizerKey: '111',
};
const ORG_B: CipherContext = {
  purpose: 'organizer-credentials',
  accountId: 1,
  organizerKey: '222',
};
const OTHER_ACCOUNT: CipherContext = { ...ORG_A, accountId: 2 };
const STATE: CipherContext = { purpose: 'oauth-state' };
const newKey = () => randomBytes(32).toString('base64');

/** What the previous version wrote: v1:<iv>:<tag>:<ct>, no key id, no associated data. */
function v1Envelope(key: string, plain: string, tagBytes = 16): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', Buffer.from(key, 'base64'), iv, {
    authTagLength: tagBytes,
  });
  const data = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
  return ['v1', iv, c.getAuthTag(), data]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64')))
    .join(':');
}

describe('CredentialCipher', () => {
  it('envelope v2:<kid>:<iv>:<tag>:<ct> names the key by a hash prefix, never the key', () => {
    const key = newKey();
    const env = new CredentialCipher(withKey(key)).encrypt('pw', ORG_A).split(':');
    expect(env).toHaveLength(5);
    expect(env[0]).toBe('v2');
    expect(env[1]).toBe(keyIdOf(Buffer.from(key, 'base64')));
    expect(key).not.toContain(env[1]);
    expect(Buffer.from(env[3], 'base64')).toHaveLength(16);
  });

  it('a ciphertext moved to another organizer row, account or purpose does not decrypt', () => {
    const cipher = new CredentialCipher(withKey(newKey()));
    const env = cipher.encrypt('pw', ORG_A);
    expect(cipher.decrypt(env, ORG_A)).toBe('pw');
    expect(() => cipher.decrypt(env, ORG_B)).toThrow();
    expect(() => cipher.decrypt(env, OTHER_ACCOUNT)).toThrow();
    expect(() => cipher.decrypt(env, STATE)).toThrow();
  });

  it('refuses a truncated auth tag (GCM alone accepts 4 bytes)', () => {
    const cipher = new CredentialCipher(withKey(newKey()));
    const parts = cipher.encrypt('pw', STATE).split(':');
    for (const bytes of [4, 8, 12, 15]) {
      const short = [...parts];
      short[3] = Buffer.from(parts[3], 'base64').subarray(0, bytes).toString('base64');
      expect(() => cipher.decrypt(short.join(':'), STATE)).toThrow(/tag length/);
    }
    // A v1 envelope made with a genuine 4-byte tag: refused too, even where v1 is still read.
    const key = newKey();
    const legacy = v1Envelope(key, 'pw', 4);
    expect(() =>
      new CredentialCipher(withKey(key)).decrypt(legacy, ORG_A, { legacy: true }),
    ).toThrow();
  });

  it('reads the old v1 envelope only where allowed (stored credentials), and flags it for rewrite', () => {
    const key = newKey();
    const cipher = new CredentialCipher(withKey(key));
    const legacy = v1Envelope(key, '{"p":"x"}');
    expect(cipher.decryptJson(legacy, ORG_A, { legacy: true })).toEqual({ p: 'x' });
    expect(() => cipher.decrypt(legacy, STATE)).toThrow(/Unrecognised/);
    expect(cipher.needsRewrite(legacy)).toBe(true);
    expect(cipher.needsRewrite(cipher.encrypt('x', ORG_A))).toBe(false);
  });

  it('rotation: the previous key still decrypts (v1 and v2) but never encrypts', () => {
    const oldKey = newKey();
    const nextKey = newKey();
    const before = new CredentialCipher(withKey(oldKey));
    const oldV2 = before.encrypt('pw', ORG_A);
    const oldV1 = v1Envelope(oldKey, 'pw1');
    const rotating = new CredentialCipher(withKey(nextKey, undefined, oldKey));
    expect(rotating.decrypt(oldV2, ORG_A)).toBe('pw');
    expect(rotating.decrypt(oldV1, ORG_A, { legacy: true })).toBe('pw1');
    expect(rotating.needsRewrite(oldV2)).toBe(true);
    const fresh = rotating.encrypt('pw', ORG_A);
    expect(fresh.split(':')[1]).toBe(keyIdOf(Buffer.from(nextKey, 'base64')));
    expect(new CredentialCipher(withKey(nextKey)).decrypt(fresh, ORG_A)).toBe('pw');
    expect(() => new CredentialCipher(withKey(nextKey)).decrypt(oldV2, ORG_A)).toThrow(
      /unknown key/,
    );
  });

  it('round-trips and never stores plaintext; a fresh IV every time', () => {
    const cipher = new CredentialCipher(withKey(randomBytes(32).toString('base64')));
    const a = cipher.encrypt('s3cret-password', ORG_A);
    const b = cipher.encrypt('s3cret-password', ORG_A);
    expect(a).not.toContain('s3cret');
    expect(a).not.toEqual(b);
    expect(cipher.decrypt(a, ORG_A)).toBe('s3cret-password');
    expect(cipher.decryptJson(cipher.encryptJson({ p: 'x' }, STATE), STATE)).toEqual({ p: 'x' });
  });

  it('refuses a tampered value or another key', () => {
    const cipher = new CredentialCipher(withKey(randomBytes(32).toString('base64')));
    const env = cipher.encrypt('hello', ORG_A);
    const parts = env.split(':');
    parts[4] = Buffer.from('HELLO').toString('base64');
    expect(() => cipher.decrypt(parts.join(':'), ORG_A)).toThrow();
    const other = new CredentialCipher(withKey(randomBytes(32).toString('base64')));
    expect(() => other.decrypt(env, ORG_A)).toThrow();
  });

  it('generates a key file (0600) into the data folder when no key is configured, and reuses it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ws-key-'));
    const first = new CredentialCipher(withKey(undefined, dir));
    const env = first.encrypt('pw', ORG_A);
    const file = join(dir, 'credentials.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64')).toHaveLength(32);
    expect(new CredentialCipher(withKey(undefined, dir)).decrypt(env, ORG_A)).toBe('pw');
    expect(readdirSync(dir)).toEqual(['credentials.key']);
  });

  it('keeps a key file that another process wrote first', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ws-key-'));
    const theirs = randomBytes(32).toString('base64');
    writeFileSync(join(dir, 'credentials.key'), theirs + '\n', { mode: 0o600 });
    // The race: both saw no file, the other one wrote first.
    expect(() => createKeyFile(dir, join(dir, 'credentials.key'))).not.toThrow();
    const ours = new CredentialCipher(withKey(undefined, dir));
    expect(new CredentialCipher(withKey(theirs)).decrypt(ours.encrypt('pw', ORG_A), ORG_A)).toBe(
      'pw',
    );
    expect(readdirSync(dir)).toEqual(['credentials.key']);
  });
});
