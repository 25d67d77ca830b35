import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { hashApiKey } from '../../src/common/auth/api-key';

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
