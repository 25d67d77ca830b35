import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { Options as PinoHttpOptions } from 'pino-http';
import { AppConfig } from '../config/app-config';
import { redactText, redactValue, withoutQuery } from './redact';
import { serializeError } from '../database/database-error';

// Headers never written as they are: request credentials, cookies both ways, and the Location of
// the OAuth redirects (it carries a live state or code). Deeper secrets: redact.ts, at any depth.
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'res.headers.location',
];

/** How requests, responses and errors are logged: no query strings, no secrets, no SQL values. */
export const LOG_SERIALIZERS = {
  // The query string may carry an OAuth code/state: log the path only.
  req: (req: { method: string; url: string; id: unknown }) => ({
    id: req.id,
    method: req.method,
    path: String(req.url).split('?')[0],
  }),
  res: (res: { statusCode: number; headers?: Record<string, unknown> }) => ({
    statusCode: res.statusCode,
    headers: res.headers && {
      ...(redactValue(res.headers) as Record<string, unknown>),
      ...(typeof res.headers.location === 'string'
        ? { location: withoutQuery(res.headers.location) }
        : {}),
    },
  }),
  // A database error without its SQL, parameters and quoted values (database-error.ts).
  err: (err: Error) => redactValue(serializeError(err)),
};

/** The HTTP logger's options (exported for the redaction tests). */
export function pinoHttpOptions(config: Pick<AppConfig, 'log'>): PinoHttpOptions {
  return {
    level: config.log.level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: LOG_SERIALIZERS,
    formatters: {
      // Everything logged with an object (Nest's Logger with {organizerId, err, …}): secrets
      // under any field name in redact.ts, and secret-looking parts of strings, at any depth.
      log: (obj: Record<string, unknown>) => redactValue(obj) as Record<string, unknown>,
    },
    hooks: {
      logMethod(args: unknown[], method: (...a: unknown[]) => void) {
        method.apply(
          this,
          args.map((a) => (typeof a === 'string' ? redactText(a) : a)),
        );
      },
    },
    autoLogging: {
      ignore: (req: { url?: string }) => req.url === '/health' || req.url === '/metrics',
    },
  };
}

@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({ pinoHttp: pinoHttpOptions(config) }),
    }),
  ],
})
export class LoggingModule {}
