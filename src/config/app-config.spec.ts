import { loadConfig } from './app-config';
import { ConfigValidationError } from './env.validation';

describe('loadConfig', () => {
  it('defaults to embedded SQLite and, with GOTO_SIMULATOR=true, the local simulator', () => {
    const c = loadConfig({ GOTO_SIMULATOR: 'true' });
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
      GOTO_SIMULATOR: 'true',
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

  it('adaptive polling and retention: defaults, overrides, and bad values refused naming the variable', () => {
    const sim = { GOTO_SIMULATOR: 'true' };
    const c = loadConfig({
      ...sim,
      SYNC_POLL_INTERVALS: 'monthsAhead=7d',
      SYNC_JOB_RETENTION_DAYS: '30',
    });
    expect(c.sync.polling.every.monthsAhead).toBe(7 * 86_400_000);
    expect(c.sync.polling.every.live).toBe(15 * 60_000);
    expect(c.sync.jobRetentionDays).toBe(30);
    expect(loadConfig(sim).sync.jobRetentionDays).toBe(14);
    let err: unknown;
    try {
      loadConfig({
        ...sim,
        SYNC_JOB_RETENTION_DAYS: '0',
        SYNC_POLL_INTERVALS: 'live=soon',
        SYNC_POLL_HORIZONS: 'soon:1d',
      });
    } catch (e) {
      err = e;
    }
    const problems = (err as ConfigValidationError).problems.join('\n');
    for (const name of ['SYNC_JOB_RETENTION_DAYS', 'SYNC_POLL_INTERVALS', 'SYNC_POLL_HORIZONS'])
      expect(problems).toContain(name);
    expect(problems).not.toContain('live=soon');
    expect(() => loadConfig({ ...sim, SYNC_POLL_HORIZONS: 'forever=1d' })).toThrow(
      /SYNC_POLL_HORIZONS: unknown key \(known: soon, justEnded, daysAhead, listHot\)/,
    );
  });

  it('requires CREDENTIALS_KEY with MySQL and both GoTo client values together', () => {
    const sim = { GOTO_SIMULATOR: 'true' };
    expect(() => loadConfig({ ...sim, DATABASE_URL: 'mysql://root@h/db' })).toThrow(
      /CREDENTIALS_KEY/,
    );
    expect(() => loadConfig({ GOTO_CLIENT_ID: 'only-id' })).toThrow(/GOTO_CLIENT_SECRET/);
    expect(() => loadConfig({ ...sim, CREDENTIALS_KEY: 'short' })).toThrow(/32 bytes/);
  });

  describe('fails closed on GoTo configuration', () => {
    const problemsOf = (env: Record<string, string>): string => {
      try {
        loadConfig(env);
      } catch (err) {
        if (err instanceof ConfigValidationError) return err.problems.join('\n');
        throw err;
      }
      return '';
    };

    it('refuses to start without a GoTo client unless GOTO_SIMULATOR=true', () => {
      expect(problemsOf({})).toMatch(/GOTO_CLIENT_ID and GOTO_CLIENT_SECRET: required/);
      expect(problemsOf({ GOTO_CLIENT_ID: '', GOTO_CLIENT_SECRET: '' })).toMatch(/required/);
      expect(problemsOf({ GOTO_SIMULATOR: 'false' })).toMatch(/required/);
      expect(problemsOf({ GOTO_SIMULATOR: 'true' })).toBe('');
    });

    it('never points at the simulator on its own: a client without URLs means the real GoTo', () => {
      const c = loadConfig({ GOTO_CLIENT_ID: 'id', GOTO_CLIENT_SECRET: 's' });
      expect(c.goto.usesSimulator).toBe(false);
      expect(c.goto.apiUrl).toMatch(/^https:/);
    });

    it('refuses the simulator in production', () => {
      expect(problemsOf({ GOTO_SIMULATOR: 'true', NODE_ENV: 'production' })).toMatch(
        /GOTO_SIMULATOR: must not be true when NODE_ENV is production/,
      );
    });

    it('needs https GoTo URLs except on loopback', () => {
      const client = { GOTO_CLIENT_ID: 'id', GOTO_CLIENT_SECRET: 's' };
      expect(
        problemsOf({
          ...client,
          GOTO_API_URL: 'http://goto.internal',
          GOTO_AUTH_URL: 'http://10.0.0.5',
        }),
      ).toMatch(/GOTO_API_URL: must be an https URL[\s\S]*GOTO_AUTH_URL: must be an https URL/);
      expect(
        problemsOf({ GOTO_SIMULATOR: 'true', GOTO_API_URL: 'http://sim.example.com' }),
      ).toMatch(/GOTO_API_URL/);
      // a client set explicitly with loopback URLs is a test setup: no GOTO_SIMULATOR needed
      for (const url of ['http://127.0.0.1:4010', 'http://localhost:4010', 'http://[::1]:4010']) {
        expect(problemsOf({ ...client, GOTO_API_URL: url, GOTO_AUTH_URL: url })).toBe('');
      }
      expect(problemsOf({ ...client, GOTO_API_URL: 'https://api.example.com' })).toBe('');
    });

    it('offline tools (migrations, the CLI) start without a GoTo client', () => {
      expect(() => loadConfig({}, { gotoRequired: false })).not.toThrow();
    });
  });

  it('names the variable and the rule, never the rejected value (it may be a secret)', () => {
    const secretKey = 'c2VjcmV0LWtleS1tYXRlcmlhbC10aGF0LWlzLXRvby1zaG9ydA';
    const dbUrl = 'postgres://admin:hunter2-password@db/prod';
    let message = '';
    try {
      loadConfig({ CREDENTIALS_KEY: secretKey, DATABASE_URL: dbUrl, GOTO_SIMULATOR: 'true' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/CREDENTIALS_KEY/);
    expect(message).toMatch(/DATABASE_URL/);
    expect(message).not.toContain(secretKey);
    expect(message).not.toContain('hunter2');
  });

  it('security settings: documented defaults, overrides, and refusals that never echo a value', () => {
    const d = loadConfig({ GOTO_SIMULATOR: 'true' });
    expect(d.metricsToken).toBeUndefined();
    expect(d.credentialsKeyPrevious).toBeUndefined();
    expect(d.throttle).toEqual({
      ipLimit: 600,
      keyLimit: 1200,
      ttlMs: 60_000,
      signInLimit: 20,
      signInTtlMs: 900_000,
      mailingSendsPerAccount: 2,
      trustProxyHops: 0,
    });
    const prev = Buffer.alloc(32, 7).toString('base64');
    const c = loadConfig({
      GOTO_SIMULATOR: 'true',
      METRICS_TOKEN: 'abcdefghijklmnopqrstuvwx',
      CREDENTIALS_KEY_PREVIOUS: prev,
      THROTTLE_IP_LIMIT: '10',
      THROTTLE_SIGN_IN_LIMIT: '3',
      MAILING_SENDS_PER_ACCOUNT: '1',
      TRUST_PROXY_HOPS: '1',
    });
    expect(c.metricsToken).toBe('abcdefghijklmnopqrstuvwx');
    expect(c.credentialsKeyPrevious).toBe(prev);
    expect(c.throttle).toMatchObject({ ipLimit: 10, signInLimit: 3, mailingSendsPerAccount: 1 });
    let message = '';
    try {
      loadConfig({
        GOTO_SIMULATOR: 'true',
        METRICS_TOKEN: 'short-secret',
        CREDENTIALS_KEY_PREVIOUS: 'not-a-key-secret',
        THROTTLE_KEY_LIMIT: '0',
        MAILING_SENDS_PER_ACCOUNT: 'many',
      });
    } catch (err) {
      message = (err as Error).message;
    }
    for (const name of [
      'METRICS_TOKEN',
      'CREDENTIALS_KEY_PREVIOUS',
      'THROTTLE_KEY_LIMIT',
      'MAILING_SENDS_PER_ACCOUNT',
    ])
      expect(message).toContain(name);
    expect(message).not.toContain('short-secret');
    expect(message).not.toContain('not-a-key-secret');
  });

  it.each(['0', '-3', 'ten', '2.5', '1e9'])(
    'refuses GOTO_MAX_RPS=%s at start, naming the variable (the cluster total of GoTo calls/s)',
    (value) => {
      let err: unknown;
      try {
        loadConfig({ GOTO_SIMULATOR: 'true', GOTO_MAX_RPS: value });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ConfigValidationError);
      const problems = (err as ConfigValidationError).problems;
      expect(problems.length).toBeGreaterThan(0);
      for (const p of problems) {
        expect(p).toMatch(/^GOTO_MAX_RPS: /);
        // The rule, never the value ('0' is too short to check: the rule says 1000).
        if (value.length > 1) expect(p).not.toContain(value);
      }
    },
  );
});
