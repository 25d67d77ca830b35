import { join, resolve } from 'node:path';
import { loadPollingConfig, PollingConfig } from './polling-config';
import { ConfigValidationError, EnvDto, validateEnv } from './env.validation';

export type DatabaseConfig = { type: 'sqlite'; path: string } | { type: 'mysql'; url: string };

// The simulator's defaults, used only with GOTO_SIMULATOR=true (the demo and the tests).
export const SIMULATOR_DEFAULTS = {
  url: 'http://localhost:4010',
  clientId: 'webinar-sync-demo',
  clientSecret: 'webinar-sync-demo-secret',
};

// The typed, validated configuration: the only thing in the app built from process.env.
export class AppConfig {
  readonly port: number;
  readonly publicUrl: string;
  readonly database: DatabaseConfig;
  readonly dataDir: string;
  /** 32-byte key, base64; undefined means "generate one into the data folder" (SQLite only). */
  readonly credentialsKey?: string;
  /** The key being rotated out (CREDENTIALS_KEY_PREVIOUS): still decrypts, never encrypts. */
  readonly credentialsKeyPrevious?: string;
  /** When set, /metrics needs `Authorization: Bearer <metricsToken>`. */
  readonly metricsToken?: string;
  /** Request limits (429 + Retry-After); see the README's Security section. */
  readonly throttle: {
    ipLimit: number;
    keyLimit: number;
    ttlMs: number;
    /** POST /organizers and credential PATCHes, per account: each one is a GoTo sign-in. */
    signInLimit: number;
    signInTtlMs: number;
    /** Mailing sends in flight per account (POST /mailings/:id/send). */
    mailingSendsPerAccount: number;
    /** Reverse proxies in front of the service (express `trust proxy`), so req.ip is the client. */
    trustProxyHops: number;
  };
  readonly migrationsRun: boolean;
  readonly goto: {
    apiUrl: string;
    authUrl: string;
    clientId: string;
    clientSecret: string;
    usesSimulator: boolean;
    maxRps: number;
    timeoutMs: number;
    maxRetries: number;
  };
  readonly sync: {
    cron: string;
    lookbackDays: number;
    lookaheadDays: number;
    hotDays: number;
    maxAttempts: number;
    leaseMs: number;
    workerEnabled: boolean;
    schedulerEnabled: boolean;
    workerConcurrency: number;
    /** Participant jobs of one organizer a worker loop runs side by side (MySQL; 1 on SQLite). */
    organizerBatch: number;
    /** Adaptive polling of the periodic sync (SYNC_POLL_INTERVALS, SYNC_POLL_HORIZONS). */
    polling: PollingConfig;
    /** SYNC_JOB_RETENTION_DAYS: finished jobs and the participant sync history are kept this long. */
    jobRetentionDays: number;
  };
  readonly mailingSyncTimeoutMs: number;
  /**
   * GoTo webhooks (src/webhooks/). `enabled` is WEBHOOKS_ENABLED and a usable PUBLIC_URL (https, or
   * loopback where tests run); `disabledReason` says why not when it is false.
   */
  readonly webhooks: {
    enabled: boolean;
    disabledReason?: string;
    signature: 'hmac-sha256' | 'none';
  };
  readonly log: { level: string; pretty: boolean };

  constructor(init: Omit<AppConfig, never>) {
    Object.assign(this, init);
  }
}

const bool = (v: string | undefined, d: boolean) =>
  v === undefined ? d : v === 'true' || v === '1';

const REAL_GOTO = {
  apiUrl: 'https://api.getgo.com',
  authUrl: 'https://authentication.logmeininc.com',
};

/** 127.0.0.0/8, ::1 and localhost: where tests and simulators run, the only places http is allowed. */
export function isLoopbackUrl(url: string): boolean {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

export interface LoadConfigOptions {
  /**
   * Offline tools (migrations, the account CLI) never call GoTo, so they start without a GoTo
   * client; the service itself always needs one (or GOTO_SIMULATOR=true).
   */
  gotoRequired?: boolean;
}

/**
 * GoTo's hosts and OAuth client. Fails closed: without GOTO_SIMULATOR=true a missing client stops
 * the start, and GoTo URLs must be https except on loopback, so credentials never go out in clear.
 */
function gotoEndpoints(
  e: EnvDto,
  env: Record<string, string | undefined>,
  gotoRequired: boolean,
  problems: string[],
) {
  const usesSimulator = bool(e.GOTO_SIMULATOR, false);
  if (usesSimulator && env.NODE_ENV === 'production') {
    problems.push('GOTO_SIMULATOR: must not be true when NODE_ENV is production');
  }
  if (Boolean(e.GOTO_CLIENT_ID) !== Boolean(e.GOTO_CLIENT_SECRET)) {
    problems.push('GOTO_CLIENT_ID and GOTO_CLIENT_SECRET: set both or neither');
  } else if (!e.GOTO_CLIENT_ID && !usesSimulator && gotoRequired) {
    problems.push(
      'GOTO_CLIENT_ID and GOTO_CLIENT_SECRET: required (your GoTo OAuth client); ' +
        'set GOTO_SIMULATOR=true to use the local simulator instead',
    );
  }
  const defaults = usesSimulator
    ? { apiUrl: SIMULATOR_DEFAULTS.url, authUrl: SIMULATOR_DEFAULTS.url }
    : REAL_GOTO;
  const apiUrl = (e.GOTO_API_URL ?? defaults.apiUrl).replace(/\/$/, '');
  const authUrl = (e.GOTO_AUTH_URL ?? defaults.authUrl).replace(/\/$/, '');
  for (const [name, url] of [
    ['GOTO_API_URL', apiUrl],
    ['GOTO_AUTH_URL', authUrl],
  ] as const) {
    if (!url.startsWith('https://') && !isLoopbackUrl(url)) {
      problems.push(`${name}: must be an https URL (http is allowed only on loopback addresses)`);
    }
  }
  return {
    apiUrl,
    authUrl,
    clientId: e.GOTO_CLIENT_ID ?? (usesSimulator ? SIMULATOR_DEFAULTS.clientId : ''),
    clientSecret: e.GOTO_CLIENT_SECRET ?? (usesSimulator ? SIMULATOR_DEFAULTS.clientSecret : ''),
    usesSimulator,
  };
}

export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  { gotoRequired = true }: LoadConfigOptions = {},
): AppConfig {
  const e: EnvDto = validateEnv(env);
  const problems: string[] = [];
  const port = e.PORT ?? 3000;
  const dataDir = resolve(e.DATA_DIR ?? 'data');
  const dbUrl = e.DATABASE_URL ?? `sqlite:${join(dataDir, 'webinar-sync.sqlite')}`;
  const database: DatabaseConfig = dbUrl.startsWith('sqlite:')
    ? { type: 'sqlite', path: dbUrl.slice('sqlite:'.length) }
    : { type: 'mysql', url: dbUrl };
  if (database.type === 'mysql' && !e.CREDENTIALS_KEY) {
    problems.push('CREDENTIALS_KEY: required when DATABASE_URL is MySQL (32 bytes, base64)');
  }
  const goto = gotoEndpoints(e, env, gotoRequired, problems);
  const polling = loadPollingConfig(e, problems);
  if (problems.length > 0) throw new ConfigValidationError(problems);

  return new AppConfig({
    port,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
    database,
    dataDir,
    credentialsKey: e.CREDENTIALS_KEY,
    credentialsKeyPrevious: e.CREDENTIALS_KEY_PREVIOUS,
    metricsToken: e.METRICS_TOKEN,
    throttle: {
      ipLimit: e.THROTTLE_IP_LIMIT ?? 600,
      keyLimit: e.THROTTLE_KEY_LIMIT ?? 1200,
      ttlMs: e.THROTTLE_TTL_MS ?? 60_000,
      signInLimit: e.THROTTLE_SIGN_IN_LIMIT ?? 20,
      signInTtlMs: e.THROTTLE_SIGN_IN_TTL_MS ?? 15 * 60_000,
      mailingSendsPerAccount: e.MAILING_SENDS_PER_ACCOUNT ?? 2,
      trustProxyHops: e.TRUST_PROXY_HOPS ?? 0,
    },
    migrationsRun: bool(e.MIGRATIONS_RUN, true),
    goto: {
      ...goto,
      maxRps: e.GOTO_MAX_RPS ?? 10,
      timeoutMs: e.GOTO_TIMEOUT_MS ?? 30000,
      maxRetries: e.GOTO_MAX_RETRIES ?? 5,
    },
    sync: {
      cron: e.SYNC_CRON ?? '*/15 * * * *',
      lookbackDays: e.SYNC_LOOKBACK_DAYS ?? 365,
      lookaheadDays: e.SYNC_LOOKAHEAD_DAYS ?? 365,
      hotDays: e.SYNC_HOT_DAYS ?? 7,
      maxAttempts: e.SYNC_MAX_ATTEMPTS ?? 5,
      leaseMs: e.SYNC_LEASE_MS ?? 60000,
      workerEnabled: bool(e.WORKER_ENABLED, true),
      schedulerEnabled: bool(e.SCHEDULER_ENABLED, true),
      workerConcurrency: e.WORKER_CONCURRENCY ?? 4,
      organizerBatch: e.SYNC_ORGANIZER_BATCH ?? 4,
      polling,
      jobRetentionDays: e.SYNC_JOB_RETENTION_DAYS ?? 14,
    },
    mailingSyncTimeoutMs: e.MAILING_SYNC_TIMEOUT_MS ?? 60000,
    webhooks: webhooksConfig(e, (e.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, '')),
    log: { level: e.LOG_LEVEL ?? 'info', pretty: bool(e.LOG_PRETTY, false) },
  });
}

/** Webhooks need GoTo to reach PUBLIC_URL over https; loopback (tests, the demo) may use http. */
function webhooksConfig(e: EnvDto, publicUrl: string): AppConfig['webhooks'] {
  const signature = (e.WEBHOOKS_SIGNATURE ?? 'hmac-sha256') as 'hmac-sha256' | 'none';
  if (!bool(e.WEBHOOKS_ENABLED, true))
    return { enabled: false, disabledReason: 'WEBHOOKS_ENABLED is false', signature };
  if (!publicUrl.startsWith('https://') && !isLoopbackUrl(publicUrl))
    return {
      enabled: false,
      disabledReason: 'PUBLIC_URL is not https (GoTo calls back over https only)',
      signature,
    };
  return { enabled: true, signature };
}
