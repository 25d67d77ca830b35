import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '../config/app-config';

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

@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        pinoHttp: {
          level: config.log.level,
          redact: { paths: REDACT_PATHS, censor: '[redacted]' },
          // The query string may carry an OAuth code/state: log the path only.
          serializers: {
            req: (req: { method: string; url: string; id: unknown }) => ({
              id: req.id,
              method: req.method,
              path: String(req.url).split('?')[0],
            }),
          },
          autoLogging: {
            ignore: (req: { url?: string }) => req.url === '/health' || req.url === '/metrics',
          },
        },
      }),
    }),
  ],
})
export class LoggingModule {}
