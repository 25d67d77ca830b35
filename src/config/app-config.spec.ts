import { loadConfig } from './app-config';
import { ConfigValidationError } from './env.validation';

describe('loadConfig', () => {
  it('defaults to embedded SQLite and the local simulator when nothing is set', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.database).toEqual({
      type: 'sqlite',
      path: expect.stringMatching(/data\/webinar-sync\.sqlite$/),
    });
    expect(c.goto).toMatchObject({
      usesSimulator: true,
      apiUrl: 'http://localhost:4010',
      maxRps: 10,
    });
    expect(c.sync).toMatchObject({
      cron: '*/15 * * * *',
      lookbackDays: 365,
      lookaheadDays: 365,
      hotDays: 7,
      workerConcurrency: 4,
    });
    expect(c.mailingSyncTimeoutMs).toBe(60000);
    expect(c.publicUrl).toBe('http://localhost:3000');
  });

  it('uses the real GoTo hosts once a client is configured', () => {
    const c = loadConfig({ GOTO_CLIENT_ID: 'id', GOTO_CLIENT_SECRET: 'secret' });
    expect(c.goto).toMatchObject({
      usesSimulator: false,
      apiUrl: 'https://api.getgo.com',
      authUrl: 'https://authentication.logmeininc.com',
    });
  });

  it('parses MySQL URLs and typed numbers and booleans', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    const c = loadConfig({
      DATABASE_URL: 'mysql://root@127.0.0.1:3306/test',
      CREDENTIALS_KEY: key,
      PORT: '8080',
      WORKER_ENABLED: 'false',
      GOTO_MAX_RPS: '5',
    });
    expect(c.database).toEqual({ type: 'mysql', url: 'mysql://root@127.0.0.1:3306/test' });
    expect(c.port).toBe(8080);
    expect(c.sync.workerEnabled).toBe(false);
    expect(c.goto.maxRps).toBe(5);
  });

  it('lists every bad variable at once', () => {
    let err: unknown;
    try {
      loadConfig({
        PORT: 'abc',
        DATABASE_URL: 'postgres://x',
        GOTO_MAX_RPS: '0',
        SYNC_CRON: 'every minute',
        LOG_LEVEL: 'loud',
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigValidationError);
    const problems = (err as ConfigValidationError).problems.join('\n');
    for (const name of ['PORT', 'DATABASE_URL', 'GOTO_MAX_RPS', 'SYNC_CRON', 'LOG_LEVEL'])
      expect(problems).toContain(name);
  });

  it('requires CREDENTIALS_KEY with MySQL and both GoTo client values together', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://root@h/db' })).toThrow(/CREDENTIALS_KEY/);
    expect(() => loadConfig({ GOTO_CLIENT_ID: 'only-id' })).toThrow(/GOTO_CLIENT_SECRET/);
    expect(() => loadConfig({ CREDENTIALS_KEY: 'short' })).toThrow(/32 bytes/);
  });
});
