// Pure: a failed GoTo call (HTTP status + body, or a network failure) -> GotoWebinarError.
// Never copies headers, tokens or request data into the error: only status, GoTo's own error
// code/description (scrubbed of anything token-like) and the endpoint pattern.
import { parseRetryAfter } from './goto-backoff';
import { GotoWebinarError } from './goto-webinar.errors';
import { GotoErrorCode } from './goto-webinar.types';

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

type Details = { status: number; endpoint: string; retryAfterMs?: number };

/**
 * Appended to GRANT_NOT_ALLOWED when a password grant got a bare `invalid_client`, which can also
 * mean a wrong client secret; GotoAuthService then probes the client with another grant.
 */
export const AMBIGUOUS_CLIENT_HINT =
  ' If the other sign-in methods fail too, check GOTO_CLIENT_ID and GOTO_CLIENT_SECRET.';

const GRANT_LABEL: Record<GotoGrantType, string> = {
  password: 'email + password sign-in',
  personal_access_token: 'personal access token',
  authorization_code: 'authorization code',
  refresh_token: 'refresh token',
};

function parseTokenError(
  status: number,
  body: unknown,
  ctx: GotoErrorContext,
  details: Details,
): GotoWebinarError {
  const rec = isRecord(body) ? body : {};
  const error = typeof rec.error === 'string' ? rec.error.toLowerCase() : undefined;
  const description = typeof rec.error_description === 'string' ? rec.error_description : '';
  const grant = ctx.grant;
  const client = ctx.clientId ? `OAuth client "${ctx.clientId}"` : 'the OAuth client';
  const says = description
    ? ` (GoTo: ${scrub(description)})`
    : error
      ? ` (GoTo: ${scrub(error)})`
      : '';
  const grantNotAllowed = () =>
    grant === 'password'
      ? new GotoWebinarError(
          'GRANT_NOT_ALLOWED',
          `GoTo refused email + password sign-in: this OAuth client (${client}) may not use email + password ` +
            `("Direct Login") sign-in. Use a personal access token or "Connect with GoTo" instead.${says}`,
          details,
        )
      : new GotoWebinarError(
          'GRANT_NOT_ALLOWED',
          `GoTo refused the ${GRANT_LABEL[grant ?? 'authorization_code']} grant for ${client}: ` +
            `the grant is not enabled for this OAuth client.${says}`,
          details,
        );

  if (error === 'unsupported_grant_type' || error === 'unauthorized_client')
    return grantNotAllowed();
  if (
    grant === 'password' &&
    /grant[_ ]type|not (allowed|permitted|authori[sz]ed) for (this |the )?client|direct login/i.test(
      description,
    )
  ) {
    return grantNotAllowed();
  }
  if (error === 'invalid_client') {
    // GoTo answers invalid_client / 401 when a client without Direct Login tries the password grant
    // (slakbal/gotowebinar#12); "Client authentication failed." can also mean a wrong client secret.
    if (grant === 'password') {
      const e = grantNotAllowed();
      if (/grant|direct login/i.test(description)) return e;
      return new GotoWebinarError(e.code, `${e.message}${AMBIGUOUS_CLIENT_HINT}`, e.details);
    }
    return new GotoWebinarError(
      'AUTH_INVALID',
      `GoTo rejected ${client} (client authentication failed): check GOTO_CLIENT_ID and GOTO_CLIENT_SECRET.${says}`,
      details,
    );
  }
  if (
    error === 'invalid_grant' ||
    error === 'access_denied' ||
    error === 'invalid_scope' ||
    (!error && (status === 400 || status === 401 || status === 403))
  ) {
    if (
      /(user|account|organizer).{0,40}(not (be )?found|does not exist|unknown|deleted|removed|disabled)|no such user|unknown user/i.test(
        description,
      )
    ) {
      return new GotoWebinarError(
        'ACCOUNT_NOT_FOUND',
        `GoTo does not know this user/account any more${says}`,
        details,
      );
    }
    if (!error && status === 401 && grant === 'password') return grantNotAllowed();
    return new GotoWebinarError('AUTH_INVALID', authInvalidMessage(grant, error) + says, details);
  }
  if (status === 404) {
    return new GotoWebinarError(
      'BAD_REQUEST',
      `GoTo's token endpoint was not found (HTTP 404, ${ctx.endpoint}): check GOTO_AUTH_URL.${describeBody(body)}`,
      details,
    );
  }
  return new GotoWebinarError(
    'BAD_REQUEST',
    `GoTo's token endpoint rejected the request (HTTP ${status})${says || describeBody(body)}`,
    details,
  );
}

function authInvalidMessage(grant: GotoGrantType | undefined, error: string | undefined): string {
  switch (grant) {
    case 'password':
      return 'GoTo rejected the email or password';
    case 'personal_access_token':
      return error === 'invalid_scope'
        ? "GoTo rejected the personal access token: its scopes do not match the OAuth client's"
        : 'GoTo rejected the personal access token (wrong, revoked or expired)';
    case 'refresh_token':
      return 'GoTo rejected the stored refresh token (revoked or expired): connect with GoTo again';
    case 'authorization_code':
      return 'GoTo rejected the authorization code (invalid, expired or already used)';
    default:
      return 'GoTo rejected the credentials';
  }
}

function readBody(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  const text = body.trim();
  if (!text.startsWith('{') && !text.startsWith('[')) return text === '' ? undefined : text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** " (GoTo: NotFound: Webinar with the specified key does not exist.)" or "". */
function describeBody(body: unknown): string {
  if (!isRecord(body)) return '';
  const code = [body.errorCode, body.int_err_code, body.error].find(
    (v) => typeof v === 'string',
  ) as string | undefined;
  const text = [body.description, body.msg, body.message, body.error_description].find(
    (v) => typeof v === 'string',
  ) as string | undefined;
  const parts = [code, text].filter((p): p is string => Boolean(p)).map(scrub);
  return parts.length ? ` (GoTo: ${parts.join(': ')})` : '';
}

/** Cut long text and blank anything that looks like a token or a bearer credential. */
export function scrub(text: string): string {
  return text
    .replace(/bearer\s+\S+/gi, 'Bearer [redacted]')
    .replace(/[A-Za-z0-9._~+/=-]{32,}/g, '[redacted]')
    .slice(0, 300);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
