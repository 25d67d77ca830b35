import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { mapIdentity } from './goto-auth-payloads';
import { GotoAuthService } from './goto-auth.service';
import { GotoHttpRequest, GotoHttpService } from './goto-http.service';
import {
  key,
  mapAttendee,
  mapAttendeeArray,
  mapPayload,
  mapRegistrantCreated,
  mapRegistrantsResponse,
  mapReportingPage,
  mapSession,
  mapWebinar,
  PageOf,
} from './goto-payloads';
import { GotoWebinarError } from './goto-webinar.errors';
import {
  GotoAttendee,
  GotoClientStats,
  GotoIdentity,
  GotoRegistrant,
  GotoRegistrantCreated,
  GotoRegistrantInput,
  GotoSession,
  GotoTokenSet,
  GotoWebinar,
  OrganizerAuth,
} from './goto-webinar.types';

/** GoTo's maximum page size for reporting collections (`size`) and registrants (`limit`). */
export const GOTO_PAGE_SIZE = 200;
// A guard against a server that never reports its last page.
const MAX_PAGES = 10_000;
/** Reporting pages requested at once after page 0 (paced like every call; bounds buffered pages). */
export const PAGE_CONCURRENCY = 4;

/** The endpoint patterns named in errors, logs and metrics (never a key or a token). */
const ENDPOINTS = {
  identity: 'GET /identity/v1/Users/me',
  webinars: 'GET /organizers/{organizerKey}/webinars',
  webinar: 'GET /organizers/{organizerKey}/webinars/{webinarKey}',
  registrants: 'GET /organizers/{organizerKey}/webinars/{webinarKey}/registrants',
  createRegistrant: 'POST /organizers/{organizerKey}/webinars/{webinarKey}/registrants',
  sessions: 'GET /organizers/{organizerKey}/webinars/{webinarKey}/sessions',
  sessionAttendees:
    'GET /organizers/{organizerKey}/webinars/{webinarKey}/sessions/{sessionKey}/attendees',
  webinarAttendees: 'GET /organizers/{organizerKey}/webinars/{webinarKey}/attendees',
} as const;

/**
 * The one place that speaks GoTo Webinar's API. Returns our own types (keys as decimal strings);
 * every failure is a GotoWebinarError with a code (see goto-webinar.types.ts).
 */
@Injectable()
export class GotoWebinarClient {
  constructor(
    private readonly http: GotoHttpService,
    private readonly auth: GotoAuthService,
    private readonly config: AppConfig,
  ) {}

  /** GoTo's consent page for "Connect with GoTo" (authorization-code grant). */
  authorizeUrl(state: string, redirectUri: string, codeChallenge?: string): string {
    return this.auth.authorizeUrl(state, redirectUri, codeChallenge);
  }

  /** Exchanges a one-time authorization code; the result carries the refresh token to store. */
  async exchangeAuthorizationCode(
    code: string,
    redirectUri: string,
    codeVerifier?: string,
  ): Promise<GotoTokenSet> {
    const tokens = await this.auth.exchangeAuthorizationCode(code, redirectUri, codeVerifier);
    if (!tokens.refreshToken) {
      throw new GotoWebinarError(
        'INVALID_RESPONSE',
        'GoTo issued no refresh token for the authorization code',
        {
          path: 'refresh_token',
          endpoint: 'POST /oauth/token',
        },
      );
    }
    return tokens;
  }

  /** Fresh sign-in (drops any cached token) plus identity: for add/change organizer and Test Connection. */
  async signIn(auth: OrganizerAuth): Promise<GotoIdentity> {
    this.auth.forget(auth.cacheKey);
    await this.auth.tokenSet(auth);
    return this.getIdentity(auth);
  }

  /** Who the token belongs to: `Users/me` `id` is the organizer key (old token field as fallback). */
  async getIdentity(auth: OrganizerAuth): Promise<GotoIdentity> {
    const source = this.auth.tokenSource(auth);
    try {
      return await this.http.request(
        {
          method: 'GET',
          url: `${this.config.goto.apiUrl}/identity/v1/Users/me`,
          endpoint: ENDPOINTS.identity,
          kind: 'identity',
        },
        (json) =>
          mapPayload(ENDPOINTS.identity, json, (j) =>
            mapIdentity(j, this.auth.cached(auth.cacheKey)?.organizerKey),
          ),
        source,
      );
    } catch (e) {
      // A token without the identity scope: an old-style token response may still name the organizer.
      const fromToken = this.auth.cached(auth.cacheKey);
      if (e instanceof GotoWebinarError && e.code === 'FORBIDDEN' && fromToken?.organizerKey) {
        return {
          organizerKey: fromToken.organizerKey,
          ...(fromToken.accountKey ? { accountKey: fromToken.accountKey } : {}),
        };
      }
      throw e;
    }
  }

  /** Webinars scheduled in [from, to], one array per page of 200. */
  async *listWebinars(
    auth: OrganizerAuth,
    organizerKey: string,
    from: Date,
    to: Date,
    opts: GotoCallOptions = {},
  ): AsyncGenerator<GotoWebinar[]> {
    yield* this.reportingPages(
      auth,
      opts,
      { path: `/organizers/${seg(organizerKey)}/webinars`, endpoint: ENDPOINTS.webinars },
      { fromTime: isoSeconds(from, 'floor'), toTime: isoSeconds(to, 'ceil') },
      'webinars',
      (v, p) => mapWebinar(v, p),
    );
  }

  /** One webinar. A cancelled or deleted webinar is NOT_FOUND. */
  async getWebinar(
    auth: OrganizerAuth,
    organizerKey: string,
    webinarKey: string,
    opts: GotoCallOptions = {},
  ): Promise<GotoWebinar> {
    return this.api(auth, {
      signal: opts.signal,
      method: 'GET',
      path: `/organizers/${seg(organizerKey)}/webinars/${seg(webinarKey)}`,
      endpoint: ENDPOINTS.webinar,
      map: (j) => mapWebinar(j),
    });
  }

  /**
   * All registrants. First call without page/limit (the plain array: one call for any size); if
   * GoTo answers with the paginated object form, the remaining pages are followed.
   */
  async *listRegistrants(
    auth: OrganizerAuth,
    organizerKey: string,
    webinarKey: string,
    opts: GotoCallOptions = {},
  ): AsyncGenerator<GotoRegistrant[]> {
    const path = `/organizers/${seg(organizerKey)}/webinars/${seg(webinarKey)}/registrants`;
    let query: Record<string, number> | undefined;
    for (let n = 0; n < MAX_PAGES; n++) {
      const res = await this.api(auth, {
        signal: opts.signal,
        method: 'GET',
        path,
        endpoint: ENDPOINTS.registrants,
        query,
        map: mapRegistrantsResponse,
      });
      if (res.items.length > 0) yield res.items;
      if (!res.paging) return;
      const { page, total } = res.paging;
      const limit =
        res.paging.limit > 0 ? Math.min(res.paging.limit, GOTO_PAGE_SIZE) : GOTO_PAGE_SIZE;
      if (res.items.length === 0 || (page + 1) * limit >= total) return;
      query = { page: page + 1, limit };
    }
  }

  /** Completed sessions of a webinar (upcoming webinars have none), one array per page. */
  async *listSessions(
    auth: OrganizerAuth,
    organizerKey: string,
    webinarKey: string,
    opts: GotoCallOptions = {},
  ): AsyncGenerator<GotoSession[]> {
    yield* this.reportingPages(
      auth,
      opts,
      {
        path: `/organizers/${seg(organizerKey)}/webinars/${seg(webinarKey)}/sessions`,
        endpoint: ENDPOINTS.sessions,
      },
      {},
      'sessionInfoResources',
      (v, p) => mapSession(v, p, webinarKey),
    );
  }

  /** Attendees of one session (unpaginated). */
  async listSessionAttendees(
    auth: OrganizerAuth,
    organizerKey: string,
    webinarKey: string,
    sessionKey: string,
    opts: GotoCallOptions = {},
  ): Promise<GotoAttendee[]> {
    const attendees = await this.api(auth, {
      signal: opts.signal,
      method: 'GET',
      path: `/organizers/${seg(organizerKey)}/webinars/${seg(webinarKey)}/sessions/${seg(sessionKey)}/attendees`,
      endpoint: ENDPOINTS.sessionAttendees,
      map: mapAttendeeArray,
    });
    return attendees.map((a) => (a.sessionKey ? a : { ...a, sessionKey }));
  }

  /** Attendees of all sessions (one row per registrant and session), one array per page of 200. */
  async *listWebinarAttendees(
    auth: OrganizerAuth,
    organizerKey: string,
    webinarKey: string,
    opts: GotoCallOptions = {},
  ): AsyncGenerator<GotoAttendee[]> {
    yield* this.reportingPages(
      auth,
      opts,
      {
        path: `/organizers/${seg(organizerKey)}/webinars/${seg(webinarKey)}/attendees`,
        endpoint: ENDPOINTS.webinarAttendees,
      },
      {},
      'attendeeParticipationResponses',
      (v, p) => mapAttendee(v, p),
    );
  }

  /**
   * Registers someone. A 409 (already registered) that names the existing registrant returns it
   * with `alreadyRegistered: true`; otherwise it is BAD_REQUEST with status 409.
   */
  async createRegistrant(
    auth: OrganizerAuth,
    organizerKey: string,
    webinarKey: string,
    input: GotoRegistrantInput,
    opts: GotoCallOptions = {},
  ): Promise<GotoRegistrantCreated> {
    return this.api(auth, {
      method: 'POST',
      path: `/organizers/${seg(organizerKey)}/webinars/${seg(webinarKey)}/registrants`,
      endpoint: ENDPOINTS.createRegistrant,
      body: input,
      signal: opts.signal,
      map: mapRegistrantCreated,
      recover: (status, json) => {
        if (status !== 409 || typeof json !== 'object' || json === null) return undefined;
        const o = json as Record<string, unknown>;
        if (o.registrantKey === undefined) return undefined;
        try {
          const registrantKey = key(o.registrantKey, 'registrantKey');
          return {
            registrantKey,
            ...(typeof o.joinUrl === 'string' ? { joinUrl: o.joinUrl } : {}),
            alreadyRegistered: true,
          };
        } catch {
          return undefined;
        }
      },
    });
  }

  /** Drop the cached token (credentials changed, organizer deactivated). */
  forget(cacheKey: string): void {
    this.auth.forget(cacheKey);
  }

  /** Requests sent to GoTo by this process (token requests and retries included). */
  stats(): GotoClientStats {
    return this.http.stats();
  }

  resetStats(): void {
    this.http.resetStats();
  }

  // ---- internals ------------------------------------------------------------------------------

  private api<T>(
    auth: OrganizerAuth,
    r: {
      method: GotoHttpRequest['method'];
      path: string;
      endpoint: string;
      query?: Record<string, string | number>;
      body?: unknown;
      map: (json: unknown) => T;
      recover?: (status: number, json: unknown) => T | undefined;
      signal?: AbortSignal;
    },
  ): Promise<T> {
    return this.http.request(
      {
        method: r.method,
        url: `${this.config.goto.apiUrl}/G2W/rest/v2${r.path}`,
        endpoint: r.endpoint,
        kind: 'api',
        query: r.query,
        data: r.body === undefined ? undefined : JSON.stringify(r.body),
        signal: r.signal,
      },
      (json) => mapPayload(r.endpoint, json, r.map),
      this.auth.tokenSource(auth),
      r.recover,
    );
  }

  /**
   * Pages of a reporting collection (`_embedded.<key>` + `page`), size 200, 0-based, yielded in
   * order. Page 0 tells `totalPages`; the rest are then requested up to PAGE_CONCURRENCY at a time
   * (each still through the pacer, so GoTo's rate limit holds), at most that many pages buffered.
   * Stops on the page that says it is the last (`page.number >= page.totalPages - 1`, not on
   * totalElements, n8n's bug) or has no items; if the collection grew meanwhile, the pages past
   * the first `totalPages` are followed too.
   */
  private async *reportingPages<T>(
    auth: OrganizerAuth,
    opts: GotoCallOptions,
    target: { path: string; endpoint: string },
    query: Record<string, string>,
    embeddedKey: string,
    item: (v: unknown, path: string) => T,
  ): AsyncGenerator<T[]> {
    const fetchPage = (page: number): Promise<PageOf<T>> =>
      this.api(auth, {
        signal: opts.signal,
        method: 'GET',
        path: target.path,
        endpoint: target.endpoint,
        query: { ...query, page, size: GOTO_PAGE_SIZE },
        map: (j) => mapReportingPage(j, embeddedKey, item),
      });
    const ahead = new Map<number, Promise<PageOf<T>>>();
    let known = 1; // pages known to exist (page 0 is always asked for)
    let scheduled = 1; // pages 1 … scheduled-1 have been requested
    try {
      for (let page = 0; page < MAX_PAGES; page++) {
        const pending = ahead.get(page);
        ahead.delete(page);
        const res = await (pending ?? fetchPage(page));
        if (res.items.length > 0) yield res.items;
        if (res.last || res.items.length === 0) return;
        if (res.totalPages !== undefined)
          known = Math.min(Math.max(known, res.totalPages), MAX_PAGES);
        scheduled = Math.max(scheduled, page + 1);
        while (scheduled < known && scheduled <= page + PAGE_CONCURRENCY) {
          const p = fetchPage(scheduled);
          // Awaited in order below; a page never awaited (an earlier one failed) must not surface
          // as an unhandled rejection.
          p.catch(() => undefined);
          ahead.set(scheduled++, p);
        }
      }
    } finally {
      // Consumer stopped or a page failed: let requests already in flight finish quietly.
      ahead.clear();
    }
  }
}

/** Per-call options of the read methods. */
export interface GotoCallOptions {
  /**
   * Aborts the call's waits (pacer turn, Retry-After hold, retry backoff) at once with the signal's
   * abort error, e.g. a sync job's `ctx.signal` on shutdown or lost lease.
   */
  signal?: AbortSignal;
}

/** A path segment: keys are digit strings, but never let a value change the path. */
function seg(value: string): string {
  return encodeURIComponent(value);
}

/** ISO 8601 UTC without milliseconds, as GoTo's examples use (`2020-03-13T10:00:00Z`); the window only widens. */
function isoSeconds(d: Date, round: 'floor' | 'ceil'): string {
  const ms = d.getTime();
  const s = round === 'floor' ? Math.floor(ms / 1000) : Math.ceil(ms / 1000);
  return new Date(s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
