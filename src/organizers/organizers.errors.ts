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

export const oauthStateRefused = (
  code: 'OAUTH_STATE_INVALID' | 'OAUTH_STATE_EXPIRED' | 'OAUTH_STATE_USED',
) =>
  new DomainError(
    'bad_request',
    code,
    code === 'OAUTH_STATE_EXPIRED'
      ? 'The GoTo connect request has expired: start again from "Connect with GoTo"'
      : code === 'OAUTH_STATE_USED'
        ? 'This GoTo connect request was already used: start again from "Connect with GoTo"'
        : 'The GoTo connect request is not valid: start again from "Connect with GoTo"',
    [{ field: 'state', message: code }],
  );

export const oauthConsentDenied = (error: string) =>
  new DomainError(
    'unprocessable',
    'OAUTH_DENIED',
    `GoTo did not grant access (${error.replace(/[^\w.-]/g, '').slice(0, 60)})`,
  );

/** Test Connection deactivates only on these: the GoTo account is gone or the credentials are definitively refused. */
export const isDefinitiveAuthFailure = (e: unknown): e is GotoWebinarError =>
  e instanceof GotoWebinarError && (e.code === 'ACCOUNT_NOT_FOUND' || e.code === 'AUTH_INVALID');
