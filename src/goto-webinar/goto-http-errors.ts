import { DomainError, DomainErrorKind } from '../common/errors/domain-error';
import { GotoWebinarError } from './goto-webinar.errors';

// How a GoTo failure reads as an HTTP answer, for every route that lets one through: the global
// filter (any route) and the sign-in of an organizer (linking, new credentials, OAuth callback).

/** Refused credentials or grant → 422; unreachable or rate limited → 503; any other answer → 502. */
export function gotoErrorKind(e: GotoWebinarError): DomainErrorKind {
  switch (e.code) {
    case 'AUTH_INVALID':
    case 'ACCOUNT_NOT_FOUND':
    case 'GRANT_NOT_ALLOWED':
      return 'unprocessable';
    case 'RATE_LIMITED':
    case 'TEMPORARY':
      return 'upstream_unavailable';
    default:
      return 'upstream_failed';
  }
}

/**
 * The GoTo failure as a DomainError (its `kind` gives the status). During a sign-in, refused
 * credentials or grant name `credentialField` (the field the user typed them in), and the codes
 * say what the user can do about it.
 */
export function gotoHttpError(
  e: GotoWebinarError,
  signIn?: { credentialField: string },
): DomainError {
  const kind = gotoErrorKind(e);
  if (!signIn) return new DomainError(kind, e.code, `GoTo Webinar: ${e.message}`);
  const field = [{ field: signIn.credentialField, message: e.message }];
  if (e.code === 'AUTH_INVALID' || e.code === 'ACCOUNT_NOT_FOUND')
    return new DomainError(kind, 'GOTO_CREDENTIALS_REJECTED', e.message, field);
  if (e.code === 'GRANT_NOT_ALLOWED')
    return new DomainError(kind, 'GOTO_GRANT_NOT_ALLOWED', e.message, field);
  const why = kind === 'upstream_unavailable' ? 'could not be reached' : 'answered unexpectedly';
  return new DomainError(kind, `GOTO_${e.code}`, `GoTo Webinar ${why}: ${e.message}`);
}
