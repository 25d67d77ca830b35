import { GotoWebinarError } from '../goto-webinar/goto-webinar.errors';
import { GotoErrorCode } from '../goto-webinar/goto-webinar.types';
import { isDefinitiveAuthFailure } from './organizers.errors';

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
