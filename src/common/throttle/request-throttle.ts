import { ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import {
  ThrottlerGuard,
  ThrottlerLimitDetail,
  ThrottlerModuleOptions,
  ThrottlerRequest,
} from '@nestjs/throttler';
import { createHash } from 'node:crypto';
import type { Request } from 'express';
import { AppConfig } from '../../config/app-config';
import { TooManyRequestsError } from './too-many-requests.error';

const SIGN_IN = 'throttle:sign-in';
/** Fields whose change makes a PATCH /organizers/:id a GoTo sign-in. */
const SIGN_IN_FIELDS = ['password', 'personalAccessToken', 'email'];

/**
 * Marks a route that signs in to GoTo with credentials from the request body (POST /organizers,
 * credential PATCHes): it also counts against the strict per-account `sign-in` limit, so the
 * service cannot be used to guess GoTo passwords (GoTo may lock the organizer, or the whole client).
 */
export const SignInThrottle = () => SetMetadata(SIGN_IN, true);

function bearerHash(req: Request): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers?.authorization ?? '');
  // The API key's own hash is what the account row stores: one key, one account.
  return m ? createHash('sha256').update(m[1], 'utf8').digest('hex') : undefined;
}

function isSignIn(ctx: ExecutionContext): boolean {
  if (Reflect.getMetadata(SIGN_IN, ctx.getHandler()) !== true) return false;
  const req = ctx.switchToHttp().getRequest<Request>();
  if (req.method !== 'PATCH') return true;
  const body: unknown = req.body;
  return (
    typeof body === 'object' &&
    body !== null &&
    SIGN_IN_FIELDS.some((f) => (body as Record<string, unknown>)[f] !== undefined)
  );
}

/**
 * Three limits, each answering 429 with Retry-After (in-memory, per instance):
 * - `ip`: every request from one client address (before the API key is looked up, so a flood of
 *   bad keys is stopped here without a database query each);
 * - `key`: every request carrying one API key (tracked by the key's hash, valid or not);
 * - `sign-in`: routes marked @SignInThrottle, per API key (= per account), over a longer window.
 */
export function throttlerOptions(config: AppConfig): ThrottlerModuleOptions {
  const t = config.throttle;
  const byKey = (req: Record<string, unknown>) =>
    Promise.resolve(bearerHash(req as unknown as Request) ?? '');
  const noKey = (ctx: ExecutionContext) =>
    bearerHash(ctx.switchToHttp().getRequest<Request>()) === undefined;
  return {
    setHeaders: false,
    // One count per client (or key) across all routes, not one per route.
    generateKey: (_ctx, tracker, name) => `${name}:${tracker}`,
    throttlers: [
      { name: 'ip', limit: t.ipLimit, ttl: t.ttlMs },
      { name: 'key', limit: t.keyLimit, ttl: t.ttlMs, getTracker: byKey, skipIf: noKey },
      {
        name: 'sign-in',
        limit: t.signInLimit,
        ttl: t.signInTtlMs,
        getTracker: byKey,
        skipIf: (ctx) => noKey(ctx) || !isSignIn(ctx),
      },
    ],
  };
}

const MESSAGES: Record<string, [string, string]> = {
  ip: ['RATE_LIMITED', 'Too many requests from this address'],
  key: ['RATE_LIMITED', 'Too many requests with this API key'],
  'sign-in': ['SIGN_IN_RATE_LIMITED', 'Too many GoTo sign-ins for this account'],
};

class Blocked {
  constructor(readonly retryAfterSeconds: number) {}
}

/** @nestjs/throttler's guard, answering with the app's error body and a plain `Retry-After`. */
@Injectable()
export class RequestThrottleGuard extends ThrottlerGuard {
  protected override async handleRequest(props: ThrottlerRequest): Promise<boolean> {
    try {
      return await super.handleRequest(props);
    } catch (e) {
      if (!(e instanceof Blocked)) throw e;
      const [code, message] = MESSAGES[props.throttler.name ?? 'ip'] ?? MESSAGES.ip;
      throw new TooManyRequestsError(code, message, e.retryAfterSeconds);
    }
  }

  protected override async throwThrottlingException(
    _ctx: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    throw new Blocked(Math.max(1, detail.timeToBlockExpire));
  }
}
