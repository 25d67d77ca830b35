import { INestApplication, RequestMethod } from '@nestjs/common';
import type { ExpressAdapter } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import { API_PREFIX } from './common/api-prefix';
import { AppConfig } from './config/app-config';

// Everything main.ts does to the app besides listening, shared with the e2e tests.
export function configureApp(app: INestApplication): INestApplication {
  app.useLogger(app.get(Logger));
  securityHeaders(app as NestExpressApplication, app.get(AppConfig));
  // JSON bodies keep their raw bytes too (req.rawBody): webhook signatures are over the exact bytes.
  // Registered before Nest's own parser, which then is not added a second time.
  (app.getHttpAdapter() as ExpressAdapter).useBodyParser('json', true);
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'health', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
      { path: 'admin', method: RequestMethod.GET },
      { path: 'admin/*path', method: RequestMethod.GET },
    ],
  });
  app.enableShutdownHooks();
  const doc = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('webinar-sync')
      .setDescription('GoTo Webinar registrants and attendees as subscribers and target groups.')
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'Account API key' })
      .build(),
  );
  SwaggerModule.setup('api/docs', app, doc);
  return app;
}

/**
 * Security headers on every answer (API, docs, admin page): nosniff, no framing, no referrer, no
 * X-Powered-By, a CSP (the admin page sets its own stricter one), HSTS when PUBLIC_URL is https.
 * Behind TRUST_PROXY_HOPS proxies, req.ip is the client's address (the per-IP request limit).
 */
function securityHeaders(app: NestExpressApplication, config: AppConfig): void {
  const https = config.publicUrl.startsWith('https://');
  app.disable('x-powered-by');
  if (config.throttle.trustProxyHops > 0) app.set('trust proxy', config.throttle.trustProxyHops);
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          // Swagger UI (/api/docs) loads its own scripts and inline styles from this origin.
          'frame-ancestors': ["'none'"],
          'upgrade-insecure-requests': https ? [] : null,
        },
      },
      hsts: https ? { maxAge: 180 * 24 * 3600, includeSubDomains: true } : false,
      // Browsers ignore (and warn about) COOP on plain-http origins; the admin page sets its own.
      crossOriginOpenerPolicy: https ? { policy: 'same-origin' } : false,
      referrerPolicy: { policy: 'no-referrer' },
      frameguard: { action: 'deny' },
    }),
  );
}
