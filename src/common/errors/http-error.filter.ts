import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { gotoHttpError } from '../../goto-webinar/goto-http-errors';
import { GotoWebinarError } from '../../goto-webinar/goto-webinar.errors';
import { DomainError, DomainErrorKind, FieldError } from './domain-error';

const STATUS: Record<DomainErrorKind, number> = {
  bad_request: 400,
  unauthorized: 401,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  unsupported_media_type: 415,
  unprocessable: 422,
  upstream_failed: 502,
  upstream_unavailable: 503,
};

export interface ErrorBody {
  statusCode: number;
  message: string;
  code?: string;
  errors?: FieldError[];
  correlationId?: string;
}

// One filter for the whole app: DomainError (and GotoWebinarError, as the GoTo module maps it) → its status; HttpException (Nest's own, e.g. a body
// too large or bad JSON) → its status; everything else is a bug → 500 with a correlation id.
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse();
    const body = this.toBody(exception);
    if (res.headersSent) return;
    res.status(body.statusCode).json(body);
  }

  toBody(exception: unknown): ErrorBody {
    // The GoTo module says how its failures read over HTTP.
    if (exception instanceof GotoWebinarError) return this.toBody(gotoHttpError(exception));
    if (exception instanceof DomainError) {
      return {
        statusCode: STATUS[exception.kind],
        message: exception.message,
        code: exception.code,
        ...(exception.errors ? { errors: exception.errors } : {}),
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const r = exception.getResponse();
      const raw =
        typeof r === 'string' ? r : ((r as { message?: unknown }).message ?? exception.message);
      const message = Array.isArray(raw) ? raw.join('; ') : String(raw);
      // body-parser's JSON SyntaxError arrives as a 400 HttpException in Nest 11.
      return {
        statusCode: status,
        message:
          status === 400 && /JSON/i.test(message) ? `Malformed JSON body: ${message}` : message,
      };
    }
    const parser = bodyParserError(exception);
    if (parser) return parser;
    const correlationId = randomUUID();
    this.logger.error({ err: exception, correlationId }, 'Unhandled error');
    return {
      statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
      message: 'Internal server error',
      correlationId,
    };
  }
}

// body-parser (run by Nest before any route) fails with http-errors objects, not HttpExceptions:
// a body over the limit (413), an unknown charset or encoding (415), an aborted upload (400).
// They are the client's fault and say so; only a malformed JSON body is turned into a 400 by Nest.
function bodyParserError(exception: unknown): ErrorBody | undefined {
  if (!(exception instanceof Error)) return undefined;
  const e = exception as Error & {
    status?: unknown;
    type?: unknown;
    expose?: unknown;
    limit?: unknown;
  };
  // http-errors marks client errors `expose`; body-parser adds a `type`, except when it wraps a
  // stream error (a corrupt gzip body: zlib's Z_DATA_ERROR as a bare 400).
  if (typeof e.status !== 'number' || e.status < 400 || e.status > 499) return undefined;
  if (typeof e.type !== 'string' && e.expose !== true) return undefined;
  if (e.type === 'entity.too.large')
    return {
      statusCode: 413,
      message: `Request body too large (limit ${typeof e.limit === 'number' ? `${e.limit} bytes` : 'exceeded'})`,
      code: 'PAYLOAD_TOO_LARGE',
    };
  if (e.type === 'entity.parse.failed')
    return {
      statusCode: 400,
      message: `Malformed JSON body: ${e.message}`,
      code: 'MALFORMED_JSON',
    };
  if (typeof e.type !== 'string')
    return { statusCode: e.status, message: `Unreadable request body: ${e.message}` };
  return {
    statusCode: e.status,
    message: e.message,
    code: e.type.toUpperCase().replace(/\W/g, '_'),
  };
}
