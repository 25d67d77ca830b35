import { DomainError } from '../common/errors/domain-error';
import { GotoWebinarError } from '../goto-webinar/goto-webinar.errors';

// Errors of the organizers feature. Messages never carry a password, token or key: GoTo's own
// messages are already scrubbed by the provider, and nothing here interpolates a credential.

export const organizerExists = (existingId: number, active: boolean) =>
  new DomainError(
    'conflict',
    'ORGANIZER_EXISTS',
    `This GoTo organizer is already linked to this account as organizer ${existingId}` +
      (active ? '' : ' (deactivated: reactivate it or update its credentials instead)'),
    [{ field: 'organizerId', message: String(existingId) }],
  );

export const organizerMismatch = (id: number) =>
  new DomainError(
    'conflict',
    'ORGANIZER_MISMATCH',
    `The new credentials belong to a different GoTo organizer than organizer ${id}: add it as a new organizer instead`,
  );

export const organizersAreNotDeleted = () =>
  new DomainError(
    'method_not_allowed',
    'ORGANIZER_NOT_DELETABLE',
    'Organizers are deactivated, not deleted: PATCH /api/v1/organizers/:id with {"active": false}',
  );

const STATE_MESSAGES = {
  OAUTH_STATE_INVALID: 'The GoTo connect request is not valid',
  OAUTH_STATE_EXPIRED: 'The GoTo connect request has expired',
  OAUTH_STATE_USED: 'This GoTo connect request was already used',
  OAUTH_BROWSER_MISMATCH: 'This GoTo connect request was started in another browser',
};

export const oauthStateRefused = (code: keyof typeof STATE_MESSAGES) =>
  new DomainError(
    'bad_request',
    code,
    `${STATE_MESSAGES[code]}: start again from "Connect with GoTo"`,
    [{ field: 'state', message: code }],
  );

export const oauthConsentDenied = (error: string) =>
  new DomainError(
    'unprocessable',
    'OAUTH_DENIED',
    `GoTo did not grant access (${error.replace(/[^\w.-]/g, '').slice(0, 60)})`,
  );

/**
 * A failed sign-in while linking or changing an organizer, as the HTTP answer: rejected credentials
 * → 422 naming the credential field, grant refused → 422 with GoTo's plain message, GoTo unreachable
 * or rate limited → 503, anything else GoTo answered → 502. Not a GotoWebinarError → rethrown.
 */
export function signInFailed(e: unknown, field: string): unknown {
  if (!(e instanceof GotoWebinarError)) return e;
  switch (e.code) {
    case 'AUTH_INVALID':
    case 'ACCOUNT_NOT_FOUND':
      return new DomainError('unprocessable', 'GOTO_CREDENTIALS_REJECTED', e.message, [
        { field, message: e.message },
      ]);
    case 'GRANT_NOT_ALLOWED':
      return new DomainError('unprocessable', 'GOTO_GRANT_NOT_ALLOWED', e.message, [
        { field, message: e.message },
      ]);
    case 'RATE_LIMITED':
    case 'TEMPORARY':
      return new DomainError(
        'upstream_unavailable',
        `GOTO_${e.code}`,
        `GoTo Webinar could not be reached: ${e.message}`,
      );
    default:
      return new DomainError(
        'upstream_failed',
        `GOTO_${e.code}`,
        `GoTo Webinar answered unexpectedly: ${e.message}`,
      );
  }
}

/** Test Connection deactivates only on these: the GoTo account is gone or the credentials are definitively refused. */
export const isDefinitiveAuthFailure = (e: unknown): e is GotoWebinarError =>
  e instanceof GotoWebinarError && (e.code === 'ACCOUNT_NOT_FOUND' || e.code === 'AUTH_INVALID');
