import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { DomainError } from './errors/domain-error';

const READABLE = /^application\/((.+\+)?json|x-www-form-urlencoded)\s*(;|$)/i;
/** Our bodies are flat (an id array at most); far deeper nesting only overflows the validator's stack. */
export const MAX_BODY_DEPTH = 32;

// The API speaks JSON. A body that no parser reads (text/plain, multipart, a missing Content-Type)
// would reach the handlers as an empty object (`PUT settings` would answer 200 and change nothing),
// so it is a 415 naming the header. A parsed body nested deeper than MAX_BODY_DEPTH is a 400 naming
// the top-level field that holds it (10,000 levels fit in the 100 kB limit and overflow the stack).
@Injectable()
export class JsonBodyMiddleware implements NestMiddleware {
  use(req: Request, _res: Response, next: NextFunction): void {
    if (!['POST', 'PUT', 'PATCH'].includes(req.method) || !hasBody(req)) return next();
    const type = req.headers['content-type'];
    if (typeof type === 'string' && READABLE.test(type)) {
      const field = tooDeep(req.body as unknown);
      if (field === undefined) return next();
      return next(
        new DomainError(
          'bad_request',
          'BODY_TOO_DEEP',
          `${field}: nested deeper than ${MAX_BODY_DEPTH} levels`,
          [{ field, message: `nested deeper than ${MAX_BODY_DEPTH} levels` }],
        ),
      );
    }
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

/** The top-level key (or "body") under which the value nests deeper than MAX_BODY_DEPTH; iterative. */
function tooDeep(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const stack: Array<[unknown, number, string]> = Object.entries(body).map(([k, v]) => [v, 1, k]);
  while (stack.length > 0) {
    const [value, depth, field] = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_BODY_DEPTH) return Array.isArray(body) ? 'body' : field;
    for (const child of Object.values(value)) stack.push([child, depth + 1, field]);
  }
  return undefined;
}
