import { DomainError } from '../common/errors/domain-error';
import { GotoWebinarError } from '../goto-webinar/goto-webinar.errors';
import { GotoErrorCode } from '../goto-webinar/goto-webinar.types';
import { isDefinitiveAuthFailure, signInFailed } from './organizers.errors';

describe('signInFailed', () => {
  const err = (code: GotoErrorCode) => new GotoWebinarError(code, `goto says ${code}`);

  it.each<[GotoErrorCode, string, string]>([
    ['AUTH_INVALID', 'unprocessable', 'GOTO_CREDENTIALS_REJECTED'],
    ['ACCOUNT_NOT_FOUND', 'unprocessable', 'GOTO_CREDENTIALS_REJECTED'],
    ['GRANT_NOT_ALLOWED', 'unprocessable', 'GOTO_GRANT_NOT_ALLOWED'],
    ['TEMPORARY', 'upstream_unavailable', 'GOTO_TEMPORARY'],
    ['RATE_LIMITED', 'upstream_unavailable', 'GOTO_RATE_LIMITED'],
    ['INVALID_RESPONSE', 'upstream_failed', 'GOTO_INVALID_RESPONSE'],
    ['FORBIDDEN', 'upstream_failed', 'GOTO_FORBIDDEN'],
  ])('%s → %s (%s)', (code, kind, domainCode) => {
    const mapped = signInFailed(err(code), 'password') as DomainError;
    expect(mapped).toBeInstanceOf(DomainError);
    expect(mapped).toMatchObject({ kind, code: domainCode });
    expect(mapped.message).toContain(`goto says ${code}`);
  });

  it('names the credential field when GoTo refuses the credentials', () => {
    expect(
      (signInFailed(err('AUTH_INVALID'), 'personalAccessToken') as DomainError).errors,
    ).toEqual([{ field: 'personalAccessToken', message: 'goto says AUTH_INVALID' }]);
  });

  it('passes anything that is not a GoTo error through unchanged', () => {
    const bug = new TypeError('boom');
    expect(signInFailed(bug, 'password')).toBe(bug);
  });
});

describe('isDefinitiveAuthFailure (Test Connection deactivates only on these)', () => {
  it.each<[GotoErrorCode, boolean]>([
    ['ACCOUNT_NOT_FOUND', true],
    ['AUTH_INVALID', true],
    ['TEMPORARY', false],
    ['RATE_LIMITED', false],
    ['GRANT_NOT_ALLOWED', false],
    ['AUTH_EXPIRED', false],
    ['INVALID_RESPONSE', false],
  ])('%s → %s', (code, expected) => {
    expect(isDefinitiveAuthFailure(new GotoWebinarError(code, 'x'))).toBe(expected);
  });
  it('is false for other errors', () =>
    expect(isDefinitiveAuthFailure(new Error('x'))).toBe(false));
});
