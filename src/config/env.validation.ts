import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBooleanString,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  validateSync,
} from 'class-validator';
import { POLL_PAIRS_PATTERN } from './polling-config';

const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : Number(value);
const urlOptions = { require_tld: false, require_protocol: true };

// The environment as it arrives: every variable optional here; defaults are applied in app-config.ts.
export class EnvDto {
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(65535) PORT?: number;
  @IsOptional()
  @Matches(/^(sqlite:.+|mysql:\/\/.+)$/, {
    message: 'DATABASE_URL must be sqlite:<path> or mysql://user:pass@host:port/db',
  })
  DATABASE_URL?: string;
  @IsOptional() @IsString() DATA_DIR?: string;
  @IsOptional()
  @Matches(/^[A-Za-z0-9+/]{43}=$/, {
    message: 'CREDENTIALS_KEY must be 32 bytes, base64-encoded (44 characters)',
  })
  CREDENTIALS_KEY?: string;
  @IsOptional() @IsUrl(urlOptions) GOTO_API_URL?: string;
  @IsOptional() @IsUrl(urlOptions) GOTO_AUTH_URL?: string;
  @IsOptional() @IsString() GOTO_CLIENT_ID?: string;
  @IsOptional() @IsString() GOTO_CLIENT_SECRET?: string;
  @IsOptional() @IsBooleanString() GOTO_SIMULATOR?: string;
  @IsOptional() @IsUrl(urlOptions) PUBLIC_URL?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(1000) GOTO_MAX_RPS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(100) @Max(600000) GOTO_TIMEOUT_MS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(20) GOTO_MAX_RETRIES?: number;
  @IsOptional()
  @Matches(/^(\S+\s+){4,5}\S+$/, {
    message: 'SYNC_CRON must be a cron expression of 5 or 6 fields',
  })
  SYNC_CRON?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(3650) SYNC_LOOKBACK_DAYS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(3650) SYNC_LOOKAHEAD_DAYS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(365) SYNC_HOT_DAYS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(100) SYNC_MAX_ATTEMPTS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1000) @Max(3600000) SYNC_LEASE_MS?: number;
  @IsOptional() @IsBooleanString() WORKER_ENABLED?: string;
  @IsOptional() @IsBooleanString() SCHEDULER_ENABLED?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(64) WORKER_CONCURRENCY?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(32) SYNC_ORGANIZER_BATCH?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(3600000) MAILING_SYNC_TIMEOUT_MS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(3650) SYNC_JOB_RETENTION_DAYS?: number;
  // key=duration pairs; the keys are checked in config/polling-config.ts
  @IsOptional()
  @Matches(POLL_PAIRS_PATTERN, {
    message: 'SYNC_POLL_INTERVALS must be key=duration pairs separated by commas (e.g. live=15m)',
  })
  SYNC_POLL_INTERVALS?: string;
  @IsOptional()
  @Matches(POLL_PAIRS_PATTERN, {
    message: 'SYNC_POLL_HORIZONS must be key=duration pairs separated by commas (e.g. soon=24h)',
  })
  SYNC_POLL_HORIZONS?: string;
  @IsOptional()
  @Matches(POLL_PAIRS_PATTERN, {
    message:
      'SYNC_POLL_INTERVALS_WEBHOOKS must be key=duration pairs separated by commas (e.g. list=24h)',
  })
  SYNC_POLL_INTERVALS_WEBHOOKS?: string;
  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL?: string;
  @IsOptional() @IsBooleanString() LOG_PRETTY?: string;
  @IsOptional() @IsBooleanString() MIGRATIONS_RUN?: string;
  // ---- security (issue #16) ----
  @IsOptional()
  @Matches(/^[A-Za-z0-9+/]{43}=$/, {
    message: 'CREDENTIALS_KEY_PREVIOUS must be 32 bytes, base64-encoded (44 characters)',
  })
  CREDENTIALS_KEY_PREVIOUS?: string;
  @IsOptional()
  @Matches(/^\S{16,}$/, {
    message: 'METRICS_TOKEN must be at least 16 characters without spaces',
  })
  METRICS_TOKEN?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(1000000) THROTTLE_IP_LIMIT?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(1000000) THROTTLE_KEY_LIMIT?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1000) @Max(86400000) THROTTLE_TTL_MS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(10000) THROTTLE_SIGN_IN_LIMIT?: number;
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(86400000)
  THROTTLE_SIGN_IN_TTL_MS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(100) MAILING_SENDS_PER_ACCOUNT?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(10) TRUST_PROXY_HOPS?: number;
  @IsOptional() @IsBooleanString() WEBHOOKS_ENABLED?: string;
  @IsOptional()
  @IsIn(['hmac-sha256', 'none'], { message: 'WEBHOOKS_SIGNATURE must be hmac-sha256 or none' })
  WEBHOOKS_SIGNATURE?: string;
}

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigValidationError';
  }
}

// Validates the whole environment at once and reports every bad variable, not just the first.
// A problem names the variable and the rule, never the value: a rejected value may be a secret
// (a CREDENTIALS_KEY, a DATABASE_URL with its password).
export function validateEnv(env: Record<string, string | undefined>): EnvDto {
  const dto = plainToInstance(EnvDto, env);
  const errors = validateSync(dto, { skipMissingProperties: false });
  const problems = errors.flatMap((e) =>
    Object.values(e.constraints ?? {}).map((m) => `${e.property}: ${m}`),
  );
  if (problems.length > 0) throw new ConfigValidationError(problems);
  return dto;
}
