import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { DomainError } from './errors/domain-error';

const READABLE = /^application\/((.+\+)?json|x-www-form-urlencoded)\s*(;|$)/i;

// The API speaks JSON. A body that no parser reads (text/plain, multipart, a missing Content-Type)
// used to reach the handlers as an empty object, so `PUT settings` answered 200 and changed nothing:
// the client's data silently lost. Such a request is now a 415 naming the header.
@Injectable()
export class JsonBodyMiddleware implements NestMiddleware {
  use(req: Request, _res: Response, next: NextFunction): void {
    if (!['POST', 'PUT', 'PATCH'].includes(req.method) || !hasBody(req)) return next();
    const type = req.headers['content-type'];
    if (typeof type === 'string' && READABLE.test(type)) return next();
    next(
      new DomainError(
        'unsupported_media_type',
        'UNSUPPORTED_MEDIA_TYPE',
        `Content-Type must be application/json (got ${type ? JSON.stringify(type) : 'none'})`,
        [{ field: 'Content-Type', message: 'must be application/json' }],
      ),
    );
  }
}

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  if (length !== undefined) return Number(length) > 0;
  return req.headers['transfer-encoding'] !== undefined;
}
