import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '../config/app-config';
import { serializeError } from '../database/database-error';

// Paths never written to a log line: credentials, tokens, keys, the Authorization header.
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.personalAccessToken',
  '*.refreshToken',
  '*.accessToken',
  '*.apiKey',
  '*.access_token',
  '*.refresh_token',
  '*.credentials',
  '*.credentialsEncrypted',
  'err.config.headers.Authorization',
  'err.config.data',
];

export const LOG_SERIALIZERS = {
  // The query string may carry an OAuth code/state: log the path only.
  req: (req: { method: string; url: string; id: unknown }) => ({
    id: req.id,
    method: req.method,
    path: String(req.url).split('?')[0],
  }),
  // A database error without its SQL, parameters and quoted values (database-error.ts).
  err: serializeError,
};

@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        pinoHttp: {
          level: config.log.level,
          redact: { paths: REDACT_PATHS, censor: '[redacted]' },
          serializers: LOG_SERIALIZERS,
          autoLogging: {
            ignore: (req: { url?: string }) => req.url === '/health' || req.url === '/metrics',
          },
        },
      }),
    }),
  ],
})
export class LoggingModule {}
