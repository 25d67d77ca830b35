import { failureFromThrown, parseGotoError, GotoErrorContext } from './parse-goto-error';

const api: GotoErrorContext = {
  endpoint: 'GET /organizers/{organizerKey}/webinars',
  kind: 'api',
  now: Date.parse('2026-11-29T12:00:00Z'),
};
const token = (grant: GotoErrorContext['grant']): GotoErrorContext => ({
  endpoint: 'POST /oauth/token',
  kind: 'token',
  grant,
  clientId: 'my-client',
});

describe('parseGotoError', () => {
  it.each([
    [429, '', 'RATE_LIMITED', true],
    [500, '{"errorCode":"InternalError"}', 'TEMPORARY', true],
    [502, '<html>bad gateway</html>', 'TEMPORARY', true],
    [503, '', 'TEMPORARY', true],
    [504, '', 'TEMPORARY', true],
    [401, '', 'AUTH_EXPIRED', false],
    [403, '{"int_err_code":"InvalidToken","msg":"Invalid token passed"}', 'AUTH_EXPIRED', false],
    [403, '{"errorCode":"Forbidden","description":"Not your webinar"}', 'FORBIDDEN', false],
    [403, '', 'FORBIDDEN', false],
    [
      404,
      '{"errorCode":"NotFound","description":"Webinar with the specified key does not exist."}',
      'NOT_FOUND',
      false,
    ],
    [
      400,
      '{"errorCode":"InvalidRequest","description":"fromTime is required"}',
      'BAD_REQUEST',
      false,
    ],
    [409, '{"errorCode":"Conflict"}', 'BAD_REQUEST', false],
  ])('API HTTP %i %s -> %s', (status, body, code, retryable) => {
    const e = parseGotoError({ status, body }, api);
    expect(e.code).toBe(code);
    expect(e.retryable).toBe(retryable);
    expect(e.details.status).toBe(status);
    expect(e.details.endpoint).toBe(api.endpoint);
  });

  it("includes GoTo's errorCode and description in the message", () => {
    const e = parseGotoError(
      {
        status: 404,
        body: '{"errorCode":"NotFound","description":"Webinar with the specified key does not exist.","incident":"3215559832016531024"}',
      },
      api,
    );
    expect(e.message).toContain('NotFound: Webinar with the specified key does not exist.');
  });

  it('Users/me 404 -> ACCOUNT_NOT_FOUND; custom notFoundCode honoured', () => {
    expect(
      parseGotoError(
        { status: 404, body: '{"detail":"User not found"}' },
        { ...api, kind: 'identity' },
      ).code,
    ).toBe('ACCOUNT_NOT_FOUND');
    expect(
      parseGotoError({ status: 404 }, { ...api, notFoundCode: 'ACCOUNT_NOT_FOUND' }).code,
    ).toBe('ACCOUNT_NOT_FOUND');
  });

  it('reads Retry-After in seconds and as an HTTP date', () => {
    expect(parseGotoError({ status: 429, retryAfter: '7' }, api).details.retryAfterMs).toBe(7000);
    const e = parseGotoError({ status: 503, retryAfter: 'Sun, 29 Nov 2026 12:00:30 GMT' }, api);
    expect(e.code).toBe('TEMPORARY');
    expect(e.details.retryAfterMs).toBe(30_000);
    expect(parseGotoError({ status: 429 }, api).details.retryAfterMs).toBeUndefined();
  });

  it.each(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'ECONNABORTED', 'ERR_CANCELED', 'EAI_AGAIN'])(
    'network %s -> TEMPORARY',
    (networkCode) => {
      const e = parseGotoError({ networkCode }, api);
      expect(e.code).toBe('TEMPORARY');
      expect(e.retryable).toBe(true);
    },
  );

  it('a timeout says so', () => {
    const e = parseGotoError(
      { networkCode: 'ECONNABORTED', timedOut: true },
      { ...api, timeoutMs: 1500 },
    );
    expect(e.message).toMatch(/did not answer within 1500 ms/);
  });

  describe('token endpoint', () => {
    it('password grant refused for the client (invalid_client 401) -> GRANT_NOT_ALLOWED with a plain message', () => {
      const e = parseGotoError(
        {
          status: 401,
          body: '{"error":"invalid_client","error_description":"Unauthorized grant type: password (Direct Login) is not enabled for this client."}',
        },
        token('password'),
      );
      expect(e.code).toBe('GRANT_NOT_ALLOWED');
      expect(e.retryable).toBe(false);
      expect(e.message).toMatch(/this OAuth client .* may not use email \+ password/);
      expect(e.message).toMatch(/personal access token or "Connect with GoTo"/);
      expect(e.message).toContain('my-client');
    });

    it.each(['unauthorized_client', 'unsupported_grant_type'])(
      '%s on password -> GRANT_NOT_ALLOWED',
      (error) => {
        expect(
          parseGotoError({ status: 400, body: JSON.stringify({ error }) }, token('password')).code,
        ).toBe('GRANT_NOT_ALLOWED');
      },
    );

    it('401 without a body on the password grant -> GRANT_NOT_ALLOWED', () => {
      expect(parseGotoError({ status: 401, body: '' }, token('password')).code).toBe(
        'GRANT_NOT_ALLOWED',
      );
    });

    it('PAT grant not enabled -> GRANT_NOT_ALLOWED naming the grant', () => {
      const e = parseGotoError(
        { status: 400, body: '{"error":"unauthorized_client"}' },
        token('personal_access_token'),
      );
      expect(e.code).toBe('GRANT_NOT_ALLOWED');
      expect(e.message).toMatch(/personal access token/);
    });

    it.each([
      ['password', /email or password/],
      ['personal_access_token', /personal access token/],
      ['refresh_token', /refresh token/],
      ['authorization_code', /authorization code/],
    ] as const)('invalid_grant on %s -> AUTH_INVALID', (grant, text) => {
      const e = parseGotoError(
        { status: 400, body: '{"error":"invalid_grant","error_description":"Bad credentials"}' },
        token(grant),
      );
      expect(e.code).toBe('AUTH_INVALID');
      expect(e.message).toMatch(text);
    });

    it('invalid_client on other grants -> AUTH_INVALID naming the client, never the secret', () => {
      const e = parseGotoError(
        {
          status: 401,
          body: '{"error":"invalid_client","error_description":"Client authentication failed."}',
        },
        token('personal_access_token'),
      );
      expect(e.code).toBe('AUTH_INVALID');
      expect(e.message).toContain('OAuth client "my-client"');
      expect(e.message).toContain('GOTO_CLIENT_SECRET');
    });

    it('an unknown user -> ACCOUNT_NOT_FOUND', () => {
      const e = parseGotoError(
        { status: 400, body: '{"error":"invalid_grant","error_description":"User not found"}' },
        token('password'),
      );
      expect(e.code).toBe('ACCOUNT_NOT_FOUND');
    });

    it('429 and 5xx from the token endpoint are retryable', () => {
      expect(parseGotoError({ status: 429 }, token('password')).code).toBe('RATE_LIMITED');
      expect(parseGotoError({ status: 502 }, token('refresh_token')).code).toBe('TEMPORARY');
    });
  });

  it('never carries token-like strings from the body into the message', () => {
    const secret = 'eyJraWQiOiJvYXV0aHYyLmxtaS5jb20uMDIxOSIsImFsZyI6IlJTNTEyIn0.abcdefghijklmnop';
    const e = parseGotoError(
      {
        status: 400,
        body: JSON.stringify({ errorCode: 'Bad', description: `token ${secret} Bearer ${secret}` }),
      },
      api,
    );
    expect(e.message).not.toContain(secret);
    expect(e.message).not.toContain('eyJraWQ');
  });
});

describe('failureFromThrown', () => {
  it('keeps only the code of an axios-like network error (no config, no headers)', () => {
    const axiosLike = Object.assign(new Error('socket hang up'), {
      code: 'ECONNRESET',
      config: { headers: { Authorization: 'Bearer SECRET-TOKEN' } },
    });
    const f = failureFromThrown(axiosLike);
    expect(f).toEqual({ networkCode: 'ECONNRESET', timedOut: false });
    const e = parseGotoError(f, api);
    expect(JSON.stringify(e)).not.toContain('SECRET');
    expect(e.message).not.toContain('SECRET');
  });

  it('reads status, body and Retry-After of an axios error with a response', () => {
    const f = failureFromThrown({
      response: { status: 429, data: '', headers: { 'retry-after': '3' } },
      config: { headers: { Authorization: 'x' } },
    });
    expect(f).toEqual({ status: 429, body: '', retryAfter: '3' });
  });

  it('an abort is a timeout', () => {
    const f = failureFromThrown(
      Object.assign(new Error('canceled'), { name: 'CanceledError', code: 'ERR_CANCELED' }),
    );
    expect(f.timedOut).toBe(true);
  });
});
