import { INestApplication, RequestMethod } from '@nestjs/common';
import type { ExpressAdapter } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';

export const API_PREFIX = 'api/v1';

// Everything main.ts does to the app besides listening, shared with the e2e tests.
export function configureApp(app: INestApplication): INestApplication {
  app.useLogger(app.get(Logger));
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
