// The OAuth side's payloads: the token endpoint's response and the signed-in user (Users/me).
// Same rules as goto-payloads.ts: readers from goto-json-readers.ts, a wrong shape is a PayloadError
// naming the field, which mapPayload turns into INVALID_RESPONSE.
import {
  Json,
  readObject,
  optArr,
  optKey,
  optNum,
  optStr,
  PayloadError,
  readString,
  dropUndefined,
} from './goto-json-readers';
import { GotoIdentity, GotoTokenSet } from './goto-webinar.types';

/**
 * SCIM-style Users/me: `id` is the organizer key; `accounts[0].value` the account key. When `id`
 * is absent, `fallbackOrganizerKey` (an old-style token field) is used if given.
 */
export function mapIdentity(json: Json, fallbackOrganizerKey?: string): GotoIdentity {
  const o = readObject(json, '');
  const id = optKey(
    o.id ?? o.key ?? o.userKey,
    o.id !== undefined ? 'id' : o.key !== undefined ? 'key' : 'userKey',
  );
  const organizerKey = id ?? fallbackOrganizerKey;
  if (organizerKey === undefined)
    throw new PayloadError('id', 'expected a numeric key, got missing');
  const accounts = optArr(o.accounts, 'accounts');
  const firstAccount =
    accounts && accounts.length > 0 ? readObject(accounts[0], 'accounts[0]') : undefined;
  const emails = optArr(o.emails, 'emails');
  const firstEmail = emails && emails.length > 0 ? readObject(emails[0], 'emails[0]') : undefined;
  const userName = optStr(o.userName, 'userName');
  const email =
    optStr(o.email, 'email') ??
    (firstEmail ? optStr(firstEmail.value, 'emails[0].value') : undefined) ??
    (userName && userName.includes('@') ? userName : undefined);
  const first = optStr(o.firstName, 'firstName');
  const last = optStr(o.lastName, 'lastName');
  return dropUndefined({
    organizerKey,
    accountKey: firstAccount
      ? optKey(firstAccount.value, 'accounts[0].value')
      : optKey(o.accountKey, 'accountKey'),
    email,
    displayName:
      optStr(o.displayName, 'displayName') ??
      (first || last ? [first, last].filter(Boolean).join(' ') : undefined),
  });
}

/** Token endpoint response (any grant). `refresh_token` is often absent on refresh. */
export function mapTokenResponse(json: Json, nowMs: number): GotoTokenSet {
  const o = readObject(json, '');
  const accessToken = readString(o.access_token, 'access_token');
  if (accessToken === '') throw new PayloadError('access_token', 'expected a non-empty string');
  const expiresIn = optNum(o.expires_in, 'expires_in') ?? 3600;
  const refreshToken = optStr(o.refresh_token, 'refresh_token');
  return dropUndefined({
    accessToken,
    refreshToken: refreshToken === '' ? undefined : refreshToken,
    expiresAt: new Date(nowMs + Math.max(0, expiresIn) * 1000),
    organizerKey: optKey(o.organizer_key, 'organizer_key'),
    accountKey: optKey(o.account_key, 'account_key'),
    scope: optStr(o.scope, 'scope'),
  });
}
