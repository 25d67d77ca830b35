// Pure: a failed call to GoTo's OAuth token endpoint -> GotoWebinarError, per grant: a grant the
// client may not use, a wrong client secret, refused credentials, an unknown user.
import { describeBody, isRecord, scrub } from './goto-error-body';
import { GotoWebinarError } from './goto-webinar.errors';
import type { GotoErrorContext, GotoGrantType } from './parse-goto-error';

export type Details = { status: number; endpoint: string; retryAfterMs?: number };

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

export function parseTokenError(
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
