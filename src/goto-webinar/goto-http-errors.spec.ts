import { DomainError } from '../common/errors/domain-error';
import { HttpErrorFilter } from '../common/errors/http-error.filter';
import { gotoHttpError } from './goto-http-errors';
import { GotoWebinarError } from './goto-webinar.errors';
import { GotoErrorCode } from './goto-webinar.types';

const err = (code: GotoErrorCode) => new GotoWebinarError(code, `goto says ${code}`);

describe('gotoHttpError: a GoTo failure as an HTTP answer', () => {
  it.each<[GotoErrorCode, number]>([
    ['AUTH_INVALID', 422],
    ['ACCOUNT_NOT_FOUND', 422],
    ['GRANT_NOT_ALLOWED', 422],
    ['TEMPORARY', 503],
    ['RATE_LIMITED', 503],
    ['INVALID_RESPONSE', 502],
    ['FORBIDDEN', 502],
    ['AUTH_EXPIRED', 502],
  ])('on any route (the global filter): %s → %d with its code', (code, status) => {
    expect(new HttpErrorFilter().toBody(err(code))).toEqual({
      statusCode: status,
      message: `GoTo Webinar: goto says ${code}`,
      code,
    });
  });

  it.each<[GotoErrorCode, string, string]>([
    ['AUTH_INVALID', 'unprocessable', 'GOTO_CREDENTIALS_REJECTED'],
    ['ACCOUNT_NOT_FOUND', 'unprocessable', 'GOTO_CREDENTIALS_REJECTED'],
    ['GRANT_NOT_ALLOWED', 'unprocessable', 'GOTO_GRANT_NOT_ALLOWED'],
    ['TEMPORARY', 'upstream_unavailable', 'GOTO_TEMPORARY'],
    ['RATE_LIMITED', 'upstream_unavailable', 'GOTO_RATE_LIMITED'],
    ['INVALID_RESPONSE', 'upstream_failed', 'GOTO_INVALID_RESPONSE'],
    ['FORBIDDEN', 'upstream_failed', 'GOTO_FORBIDDEN'],
  ])('during a sign-in: %s → %s (%s)', (code, kind, domainCode) => {
    const mapped = gotoHttpError(err(code), { credentialField: 'password' });
    expect(mapped).toBeInstanceOf(DomainError);
    expect(mapped).toMatchObject({ kind, code: domainCode });
    expect(mapped.message).toContain(`goto says ${code}`);
  });

  it('names the credential field when GoTo refuses the credentials or the grant', () => {
    for (const code of ['AUTH_INVALID', 'GRANT_NOT_ALLOWED'] as const) {
      expect(gotoHttpError(err(code), { credentialField: 'personalAccessToken' }).errors).toEqual([
        { field: 'personalAccessToken', message: `goto says ${code}` },
      ]);
    }
    expect(gotoHttpError(err('TEMPORARY'), { credentialField: 'password' }).errors).toBeUndefined();
  });
});
