import { randomBytes } from 'node:crypto';
import { AppConfig, loadConfig } from '../../src/config/app-config';

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

// A config for tests: defaults from loadConfig with the simulator switched on, then overrides.
// Scheduler off and worker off by default: tests drain the queue themselves.
export function testConfig(overrides: DeepPartial<AppConfig> = {}): AppConfig {
  const base = loadConfig({ LOG_LEVEL: 'silent', GOTO_SIMULATOR: 'true' });
  return new AppConfig({
    ...base,
    ...overrides,
    credentialsKey: overrides.credentialsKey ?? randomBytes(32).toString('base64'),
    database: (overrides.database as AppConfig['database']) ?? { type: 'sqlite', path: ':memory:' },
    goto: { ...base.goto, ...(overrides.goto ?? {}) },
    sync: {
      ...base.sync,
      workerEnabled: false,
      schedulerEnabled: false,
      ...(overrides.sync ?? {}),
    },
    // Webhooks off unless a test turns them on (they need the app's real callback URL).
    webhooks: { ...base.webhooks, enabled: false, ...(overrides.webhooks ?? {}) },
    log: { ...base.log, ...(overrides.log ?? {}) },
    // Suites poll the API in tight loops: limits only where a test sets them.
    throttle: {
      ...base.throttle,
      ipLimit: 1_000_000,
      keyLimit: 1_000_000,
      signInLimit: 10_000,
      ...(overrides.throttle ?? {}),
    },
  } as AppConfig);
}
