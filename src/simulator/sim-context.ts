// What every route handler sees: the dataset, the OAuth state, the live settings, and GoTo's error bodies.
import { SimAuth } from './sim-auth';
import { FaultRegistry, Counters, RateLimiter } from './sim-faults';
import { SimReply, json } from './sim-http';
import { makeDigits, hashString } from './sim-random';
import { SimStore } from './sim-store';

export interface SimSettings {
  clientId: string;
  clientSecret: string;
  passwordGrant: boolean;
  tokenTtlSeconds: number;
  rotateRefreshTokens: boolean;
  /** Over-limit `size`/`limit`: clamp to 200 (default) or answer 400. UNVERIFIED which GoTo does. */
  pageSizeOverflow: 'clamp' | 'reject';
}

export interface SimContext {
  store: SimStore;
  auth: SimAuth;
  faults: FaultRegistry;
  counters: Counters;
  limiter: RateLimiter;
  settings: SimSettings;
}

export const invalidToken = (): SimReply =>
  json(403, { int_err_code: 'InvalidToken', msg: 'Invalid token passed' });

export const oauthError = (status: number, error: string, description: string): SimReply =>
  json(status, { error, error_description: description });

/** GoTo REST error body: {errorCode, description, incident}; incident is deterministic per path. */
export function restError(
  status: number,
  errorCode: string,
  description: string,
  path = '',
): SimReply {
  return json(status, {
    errorCode,
    description,
    incident: makeDigits(19, hashString(`${errorCode}:${path}`)),
  });
}

export const notFoundRoute = (path: string): SimReply =>
  json(404, { errorCode: 'NOT_FOUND', message: `No handler found for ${path}` });
