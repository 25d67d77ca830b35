// Pure: a failed GoTo call (HTTP status + body, or a network failure) -> GotoWebinarError.
// Never copies headers, tokens or request data into the error: only status, GoTo's own error
// code/description (scrubbed of anything token-like) and the endpoint pattern.
import { parseRetryAfter } from './goto-backoff';
import { describeBody, isRecord, readBody } from './goto-error-body';
import { GotoWebinarError } from './goto-webinar.errors';
import { GotoErrorCode } from './goto-webinar.types';
import { parseTokenError } from './parse-goto-token-error';

// Part of this module's surface since it was one file.
export { scrub } from './goto-error-body';
export { AMBIGUOUS_CLIENT_HINT } from './parse-goto-token-error';

export type GotoGrantType =
  'password' | 'personal_access_token' | 'authorization_code' | 'refresh_token';

/** What we know about a failed call. Built from a response or from a transport error. */
export interface GotoFailure {
  status?: number;
  /** The response body as text (or already parsed). */
  body?: unknown;
  /** Retry-After header value, if any. */
  retryAfter?: string | string[] | null;
  /** Transport error code: ECONNRESET, ECONNREFUSED, ETIMEDOUT, ECONNABORTED, ERR_CANCELED, ... */
  networkCode?: string;
  /** The request hit our own timeout. */
  timedOut?: boolean;
}

export interface GotoErrorContext {
  /** Route pattern, e.g. `GET /organizers/{organizerKey}/webinars`. */
  endpoint: string;
  /** `token`: the OAuth token endpoint; `identity`: Users/me; `api`: G2W REST. */
  kind?: 'api' | 'token' | 'identity';
  grant?: GotoGrantType;
  /** Names the OAuth client in configuration errors (the id only, never the secret). */
  clientId?: string;
  /** Code for a 404 on this endpoint (default NOT_FOUND). */
  notFoundCode?: GotoErrorCode;
  timeoutMs?: number;
  now?: number;
}

const TEMPORARY_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ERR_CANCELED',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
  'UND_ERR_SOCKET',
  'ERR_NETWORK',
  'ERR_BAD_RESPONSE',
]);

const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'ERR_CANCELED']);

/** Axios (or any) thrown error -> GotoFailure, reading only safe fields. */
export function failureFromThrown(error: unknown): GotoFailure {
  const e = (error ?? {}) as {
    code?: unknown;
    name?: unknown;
    message?: unknown;
    cause?: { code?: unknown };
    response?: { status?: unknown; data?: unknown; headers?: Record<string, unknown> };
  };
  const code =
    typeof e.code === 'string'
      ? e.code
      : typeof e.cause?.code === 'string'
        ? e.cause.code
        : undefined;
  const name = typeof e.name === 'string' ? e.name : '';
  const timedOut =
    (code !== undefined && TIMEOUT_CODES.has(code)) ||
    name === 'TimeoutError' ||
    name === 'AbortError' ||
    name === 'CanceledError';
  if (e.response && typeof e.response.status === 'number') {
    const headers = e.response.headers ?? {};
    const retryAfter = headers['retry-after'] ?? headers['Retry-After'];
    return {
      status: e.response.status,
      body: e.response.data,
      retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined,
    };
  }
  return { networkCode: code ?? (timedOut ? 'ETIMEDOUT' : 'ERR_NETWORK'), timedOut };
}

/** Turn a failure into our error. A successful status never reaches this function. */
export function parseGotoError(input: GotoFailure, ctx: GotoErrorContext): GotoWebinarError {
  const kind = ctx.kind ?? 'api';
  const where = ctx.endpoint;
  if (input.status === undefined) {
    const timeout =
      input.timedOut || (input.networkCode !== undefined && TIMEOUT_CODES.has(input.networkCode));
    const code = input.networkCode ?? 'ERR_NETWORK';
    const message = timeout
      ? `GoTo Webinar did not answer within ${ctx.timeoutMs !== undefined ? `${ctx.timeoutMs} ms` : 'the timeout'} (${where})`
      : `Could not reach GoTo Webinar: ${TEMPORARY_NETWORK_CODES.has(code) ? code : 'network error'} (${where})`;
    return new GotoWebinarError('TEMPORARY', message, { endpoint: where });
  }

  const status = input.status;
  const body = readBody(input.body);
  const retryAfterMs = parseRetryAfter(input.retryAfter ?? undefined, ctx.now ?? Date.now());
  const gotoSays = describeBody(body);
  const details = {
    status,
    endpoint: where,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  };

  if (status === 429) {
    return new GotoWebinarError(
      'RATE_LIMITED',
      `GoTo Webinar rate limit reached (HTTP 429, ${where})`,
      details,
    );
  }
  if (status >= 500) {
    return new GotoWebinarError(
      'TEMPORARY',
      `GoTo Webinar failed with HTTP ${status} (${where})${gotoSays}`,
      details,
    );
  }
  if (kind === 'token') return parseTokenError(status, body, ctx, details);

  if (status === 401 || (status === 403 && isInvalidToken(body))) {
    return new GotoWebinarError(
      'AUTH_EXPIRED',
      `GoTo Webinar rejected the access token (HTTP ${status}, ${where})`,
      details,
    );
  }
  if (status === 403) {
    return new GotoWebinarError(
      'FORBIDDEN',
      `GoTo Webinar refused access (HTTP 403, ${where})${gotoSays}`,
      details,
    );
  }
  if (status === 404) {
    const code = kind === 'identity' ? 'ACCOUNT_NOT_FOUND' : (ctx.notFoundCode ?? 'NOT_FOUND');
    const what =
      code === 'ACCOUNT_NOT_FOUND'
        ? 'GoTo user/organizer account not found'
        : 'Not found in GoTo Webinar';
    return new GotoWebinarError(code, `${what} (HTTP 404, ${where})${gotoSays}`, details);
  }
  return new GotoWebinarError(
    'BAD_REQUEST',
    `GoTo Webinar rejected the request (HTTP ${status}, ${where})${gotoSays}`,
    details,
  );
}

/** 403 `{"int_err_code":"InvalidToken"}` is GoTo's "token expired/invalid" signal. */
export function isInvalidToken(body: unknown): boolean {
  if (!isRecord(body)) return false;
  const code = body.int_err_code ?? body.errorCode ?? body.error;
  if (typeof code === 'string' && /^invalid[_ ]?token$/i.test(code)) return true;
  return false;
}
