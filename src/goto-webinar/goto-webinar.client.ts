import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { GotoAuthService } from './goto-auth.service';
import { GOTO_ENDPOINTS as ENDPOINTS, isoSeconds, seg } from './goto-endpoints';
import { GotoHttpRequest, GotoHttpService } from './goto-http.service';
import { GotoSignInService } from './goto-sign-in.service';
import { GOTO_PAGE_SIZE, registrantPages, reportingPages } from './goto-paging';
import {
  mapAttendee,
  mapAttendeeArray,
  mapPayload,
  mapRegistrantConflict,
  mapRegistrantCreated,
  mapRegistrantsResponse,
  mapReportingPage,
  mapSession,
  mapWebinar,
} from './goto-payloads';
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

// Part of the client's surface since it was one file.
export { GOTO_PAGE_SIZE, PAGE_CONCURRENCY } from './goto-paging';

/**
 * The one place that speaks GoTo Webinar's API. Returns our own types (keys as decimal strings);
 * every failure is a GotoWebinarError with a code (see goto-webinar.types.ts).
 */
@Injectable()
export class GotoWebinarClient {
  constructor(
    private readonly http: GotoHttpService,
    private readonly auth: GotoAuthService,
    private readonly signInService: GotoSignInService,
    private readonly config: AppConfig,
  ) {}

  /** GoTo's consent page for "Connect with GoTo" (authorization-code grant). */
  authorizeUrl(state: string, redirectUri: string, codeChallenge?: string): string {
    return this.auth.authorizeUrl(state, redirectUri, codeChallenge);
  }

  /** Exchanges a one-time authorization code; the result carries the refresh token to store. */
  exchangeAuthorizationCode(
    code: string,
    redirectUri: string,
    codeVerifier?: string,
  ): Promise<GotoTokenSet> {
    return this.signInService.exchangeAuthorizationCode(code, redirectUri, codeVerifier);
  }

  /** Fresh sign-in (drops any cached token) plus identity: for add/change organizer and Test Connection. */
  signIn(auth: OrganizerAuth): Promise<GotoIdentity> {
    return this.signInService.signIn(auth);
  }

  /** Who the token belongs to: `Users/me` `id` is the organizer key (old token field as fallback). */
  getIdentity(auth: OrganizerAuth): Promise<GotoIdentity> {
    return this.signInService.getIdentity(auth);
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
    yield* registrantPages((query) =>
      this.api(auth, {
        signal: opts.signal,
        method: 'GET',
        path,
        endpoint: ENDPOINTS.registrants,
        query,
        map: mapRegistrantsResponse,
      }),
    );
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
      recover: mapRegistrantConflict,
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

  /** Pages of a reporting collection (`_embedded.<key>` + `page`), size 200, 0-based, in order. */
  private reportingPages<T>(
    auth: OrganizerAuth,
    opts: GotoCallOptions,
    target: { path: string; endpoint: string },
    query: Record<string, string>,
    embeddedKey: string,
    item: (v: unknown, path: string) => T,
  ): AsyncGenerator<T[]> {
    return reportingPages((page) =>
      this.api(auth, {
        signal: opts.signal,
        method: 'GET',
        path: target.path,
        endpoint: target.endpoint,
        query: { ...query, page, size: GOTO_PAGE_SIZE },
        map: (j) => mapReportingPage(j, embeddedKey, item),
      }),
    );
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
