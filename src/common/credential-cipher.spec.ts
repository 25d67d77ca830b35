import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfig, loadConfig } from '../config/app-config';
import { createKeyFile, CredentialCipher } from './credential-cipher';

const withKey = (key?: string, dataDir?: string) =>
  new AppConfig({
    ...loadConfig({ GOTO_SIMULATOR: 'true' }),
    credentialsKey: key,
    dataDir: dataDir ?? mkdtempSync(join(tmpdir(), 'ws-key-')),
  });

describe('CredentialCipher', () => {
  it('round-trips and never stores plaintext; a fresh IV every time', () => {
    const cipher = new CredentialCipher(withKey(randomBytes(32).toString('base64')));
    const a = cipher.encrypt('s3cret-password');
    const b = cipher.encrypt('s3cret-password');
    expect(a).not.toContain('s3cret');
    expect(a).not.toEqual(b);
    expect(cipher.decrypt(a)).toBe('s3cret-password');
    expect(cipher.decryptJson(cipher.encryptJson({ p: 'x' }))).toEqual({ p: 'x' });
  });

  it('refuses a tampered value or another key', () => {
    const cipher = new CredentialCipher(withKey(randomBytes(32).toString('base64')));
    const env = cipher.encrypt('hello');
    const parts = env.split(':');
    parts[3] = Buffer.from('HELLO').toString('base64');
    expect(() => cipher.decrypt(parts.join(':'))).toThrow();
    const other = new CredentialCipher(withKey(randomBytes(32).toString('base64')));
    expect(() => other.decrypt(env)).toThrow();
  });

  it('generates a key file (0600) into the data folder when no key is configured, and reuses it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ws-key-'));
    const first = new CredentialCipher(withKey(undefined, dir));
    const env = first.encrypt('pw');
    const file = join(dir, 'credentials.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64')).toHaveLength(32);
    expect(new CredentialCipher(withKey(undefined, dir)).decrypt(env)).toBe('pw');
    expect(readdirSync(dir)).toEqual(['credentials.key']);
  });

  it('keeps a key file that another process wrote first', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ws-key-'));
    const theirs = randomBytes(32).toString('base64');
    writeFileSync(join(dir, 'credentials.key'), theirs + '\n', { mode: 0o600 });
    // The race: both saw no file, the other one wrote first.
    expect(() => createKeyFile(dir, join(dir, 'credentials.key'))).not.toThrow();
    const ours = new CredentialCipher(withKey(undefined, dir));
    expect(new CredentialCipher(withKey(theirs)).decrypt(ours.encrypt('pw'))).toBe('pw');
    expect(readdirSync(dir)).toEqual(['credentials.key']);
  });
});
