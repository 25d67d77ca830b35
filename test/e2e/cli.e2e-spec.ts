import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { createCipheriv, randomBytes } from 'node:crypto';
import { hashApiKey } from '../../src/common/auth/api-key';
import { CredentialCipher } from '../../src/common/credential-cipher';
import { AppConfig, loadConfig } from '../../src/config/app-config';

const run = promisify(execFile);
const ROOT = join(__dirname, '../..');

function cli(args: string[], env: Record<string, string>) {
  return run(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/cli.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'error', ...env },
  });
}

describe('npm run cli -- account:create', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ws-cli-'));
  const env = { DATA_DIR: dataDir, DATABASE_URL: `sqlite:${join(dataDir, 'cli.sqlite')}` };

  it('--json prints only {"id", "apiKey"} and stores only the key hash', async () => {
    const { stdout } = await cli(['account:create', '--name', 'Acme', '--json'], env);
    const created = JSON.parse(stdout);
    expect(Object.keys(created).sort()).toEqual(['apiKey', 'id']);
    expect(created.apiKey).toMatch(/^wsk_/);
    const db = new Database(join(dataDir, 'cli.sqlite'), { readonly: true });
    const row = db
      .prepare('SELECT name, api_key_hash FROM account WHERE id = ?')
      .get(created.id) as {
      name: string;
      api_key_hash: string;
    };
    db.close();
    expect(row).toEqual({ name: 'Acme', api_key_hash: hashApiKey(created.apiKey) });
  });

  it('without --json prints the id and the key for a person', async () => {
    const { stdout } = await cli(['account:create', '--name', 'Globex'], env);
    expect(stdout).toMatch(/Account \d+ "Globex" created\./);
    expect(stdout).toMatch(/API key .*: wsk_\S+/);
  });

  it('a bad environment or missing arguments exit non-zero with a one-line reason', async () => {
    await expect(cli(['account:create'], env)).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/usage/),
    });
    await expect(
      cli(['account:create', '--name', 'X'], { ...env, PORT: 'abc' }),
    ).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/PORT/),
    });
  });
});

describe('npm run cli -- credentials:rotate', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ws-rotate-'));
  const dbFile = join(dataDir, 'rotate.sqlite');
  const oldKey = randomBytes(32).toString('base64');
  const newKey = randomBytes(32).toString('base64');
  const base = { DATA_DIR: dataDir, DATABASE_URL: `sqlite:${dbFile}` };
  const cipherOf = (key: string, previous?: string) =>
    new CredentialCipher(
      new AppConfig({
        ...loadConfig({ GOTO_SIMULATOR: 'true' }),
        credentialsKey: key,
        credentialsKeyPrevious: previous,
      }),
    );
  const ctx = (accountId: number, organizerKey: string) =>
    ({ purpose: 'organizer-credentials', accountId, organizerKey }) as const;
  const secretCtx = { purpose: 'webhook-secret', clientId: 'client-a' } as const;
  const legacyCtx = { purpose: 'webhook-secret', clientId: 'client-v1' } as const;
  const storedSecret = (clientId = 'client-a') => {
    const db = new Database(dbFile, { readonly: true });
    const row = db
      .prepare('SELECT secret_encrypted FROM goto_webhook_setup WHERE client_id = ?')
      .get(clientId) as {
      secret_encrypted: string;
    };
    db.close();
    return row.secret_encrypted;
  };
  const rows = () => {
    const db = new Database(dbFile, { readonly: true });
    const all = db
      .prepare(
        'SELECT id, account_id, organizer_key, credentials_encrypted FROM organizer ORDER BY id',
      )
      .all() as Array<{
      id: number;
      account_id: number;
      organizer_key: string;
      credentials_encrypted: string;
    }>;
    db.close();
    return all;
  };

  beforeAll(async () => {
    // The schema (migrations run on start), then rows as the previous version wrote them.
    const { stdout } = await cli(['account:create', '--name', 'R', '--json'], {
      ...base,
      CREDENTIALS_KEY: oldKey,
    });
    const accountId = JSON.parse(stdout).id as number;
    const v1Of = (plain: string) => {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', Buffer.from(oldKey, 'base64'), iv);
      const data = Buffer.concat([c.update(plain), c.final()]);
      return [
        'v1',
        iv.toString('base64'),
        c.getAuthTag().toString('base64'),
        data.toString('base64'),
      ].join(':');
    };
    const v1 = v1Of('{"method":"password","email":"a@x.io","password":"p1"}');
    const v2 = cipherOf(oldKey).encryptJson(
      { method: 'oauth', refreshToken: 'rt-2' },
      ctx(accountId, '222'),
    );
    const db = new Database(dbFile);
    const insert = db.prepare(
      `INSERT INTO organizer (account_id, email, auth_method, credentials_encrypted, organizer_key, active)
       VALUES (?, ?, ?, ?, ?, 1)`,
    );
    for (let i = 0; i < 5; i++) insert.run(accountId, `a${i}@x.io`, 'password', v1, `11${i}`);
    insert.run(accountId, 'b@x.io', 'oauth', v2, '222');
    // The webhook secret GoTo signs with, as the webhook setup stored it (same key, own purpose).
    db.prepare('INSERT INTO goto_webhook_setup (client_id, secret_encrypted) VALUES (?, ?)').run(
      'client-a',
      cipherOf(oldKey).encryptJson('whsec-1', secretCtx),
    );
    // One written before envelopes carried a key id and associated data (v1).
    db.prepare('INSERT INTO goto_webhook_setup (client_id, secret_encrypted) VALUES (?, ?)').run(
      'client-v1',
      v1Of('"whsec-v1"'),
    );
    db.close();
  });

  it('re-encrypts every row with the current key in batches, then finds nothing to do', async () => {
    const env = { ...base, CREDENTIALS_KEY: newKey, CREDENTIALS_KEY_PREVIOUS: oldKey };
    const first = await cli(['credentials:rotate', '--batch-size', '2', '--json'], env);
    expect(JSON.parse(first.stdout)).toEqual({
      scanned: 6,
      rewritten: 6,
      current: 0,
      raced: 0,
      failed: 0,
      webhookSecret: { scanned: 2, rewritten: 2, current: 0, raced: 0, failed: 0 },
    });
    const second = await cli(['credentials:rotate', '--json'], env);
    expect(JSON.parse(second.stdout)).toEqual({
      scanned: 6,
      rewritten: 0,
      current: 6,
      raced: 0,
      failed: 0,
      webhookSecret: { scanned: 2, rewritten: 0, current: 2, raced: 0, failed: 0 },
    });

    // Readable with the new key alone; each bound to its own row.
    const onlyNew = cipherOf(newKey);
    const stored = rows();
    expect(stored.every((r) => r.credentials_encrypted.startsWith('v2:'))).toBe(true);
    expect(
      onlyNew.decryptJson(stored[0].credentials_encrypted, ctx(stored[0].account_id, '110')),
    ).toEqual({
      method: 'password',
      email: 'a@x.io',
      password: 'p1',
    });
    expect(
      onlyNew.decryptJson(stored[5].credentials_encrypted, ctx(stored[5].account_id, '222')),
    ).toEqual({
      method: 'oauth',
      refreshToken: 'rt-2',
    });
    expect(() =>
      onlyNew.decrypt(stored[0].credentials_encrypted, ctx(stored[0].account_id, '111')),
    ).toThrow();
    // The webhook secret too, still bound to its client.
    expect(onlyNew.decryptJson(storedSecret(), secretCtx)).toBe('whsec-1');
    expect(onlyNew.decryptJson(storedSecret('client-v1'), legacyCtx)).toBe('whsec-v1');
    expect(() =>
      onlyNew.decrypt(storedSecret(), { purpose: 'webhook-secret', clientId: 'client-b' }),
    ).toThrow();
  });

  it('a row no configured key opens is reported and the command exits 2', async () => {
    const env = {
      ...base,
      CREDENTIALS_KEY: randomBytes(32).toString('base64'),
      CREDENTIALS_KEY_PREVIOUS: oldKey,
    };
    await expect(cli(['credentials:rotate'], env)).rejects.toMatchObject({
      code: 2,
      stdout: expect.stringMatching(
        /6 read, 0 re-encrypted, 0 already current, 0 changed meanwhile, 6 failed\.\nWebhook secret: 2 read, 0 re-encrypted, 0 already current, 0 changed meanwhile, 2 failed/,
      ),
    });
  });

  it('when the organizer rotation breaks off, the webhook secret is still rotated, and it exits 2', async () => {
    // Runs last: the organizer table made unreadable, the secrets rotated to a further key.
    const db = new Database(dbFile);
    db.exec('ALTER TABLE organizer RENAME TO organizer_unreadable');
    db.close();
    const newer = randomBytes(32).toString('base64');
    const env = { ...base, CREDENTIALS_KEY: newer, CREDENTIALS_KEY_PREVIOUS: newKey };
    const res = await cli(['credentials:rotate', '--json'], env).catch((e) => e);
    expect(res.code).toBe(2);
    expect(JSON.parse(res.stdout)).toEqual({
      error: expect.stringMatching(/organizer/),
      webhookSecret: { scanned: 2, rewritten: 2, current: 0, raced: 0, failed: 0 },
    });
    expect(cipherOf(newer).decryptJson(storedSecret(), secretCtx)).toBe('whsec-1');
  });
});
