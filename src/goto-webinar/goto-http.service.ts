import { HttpService } from '@nestjs/axios';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { Counter, Histogram } from 'prom-client';
import { counter, histogram } from '../common/metrics';
import { AppConfig } from '../config/app-config';
import { retryDelayMs } from './goto-backoff';
import { parseJsonText } from './goto-payloads';
import {
  DEFAULT_GOTO_WEBINAR_OPTIONS,
  GOTO_WEBINAR_OPTIONS,
  GotoWebinarOptions,
} from './goto-webinar.options';
import { GotoWebinarError } from './goto-webinar.errors';
import { GotoClientStats, GotoErrorCode } from './goto-webinar.types';
import { failureFromThrown, GotoGrantType, parseGotoError } from './parse-goto-error';
import { CallBudget } from './budget/call-budget';
import { GotoCallBudgetService } from './budget/goto-call-budget.service';
import { currentGotoCallContext } from './budget/goto-call-context';
import { realSleep, Sleep, sleepUnlessAborted } from './rate-limiter';

export interface GotoHttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  /** Route pattern for metrics, stats and messages, e.g. `GET /organizers/{organizerKey}/webinars`. */
  endpoint: string;
  kind: 'api' | 'token' | 'identity';
  query?: Record<string, string | number>;
  headers?: Record<string, string>;
  data?: string;
  grant?: GotoGrantType;
  notFoundCode?: GotoErrorCode;
  /** Aborts the waits (pacer turn, Retry-After hold, retry backoff) with the signal's abort error. */
  signal?: AbortSignal;
}

/** How a request gets (and renews) its bearer token. */
export interface TokenSource {
  current(): Promise<string>;
  /** The token `stale` was refused: get a fresh one (single-flight per organizer). */
  renew(stale: string): Promise<string>;
}

interface RawResponse {
  status: number;
  text: string;
  retryAfter?: string;
}

// API calls made by this process, by endpoint pattern (the benchmark reads them via the client).
const processStats: GotoClientStats = { requests: 0, byEndpoint: {} };

/**
 * Transport for every GoTo call: pacing, per-request timeout, lossless JSON, retries with backoff,
 * one token renewal on 401 / 403 InvalidToken, metrics. Errors leave as GotoWebinarError only
 * (never a raw axios error, which carries the Authorization header).
 */
@Injectable()
export class GotoHttpService {
  private readonly logger = new Logger(GotoHttpService.name);
  private readonly budget: CallBudget;
  private readonly opts: Required<Omit<GotoWebinarOptions, 'now'>> & { now: () => number };
  private readonly requests: Counter<string>;
  private readonly duration: Histogram<string>;

  constructor(
    private readonly http: HttpService,
    private readonly config: AppConfig,
    budget: GotoCallBudgetService,
    @Optional() @Inject(GOTO_WEBINAR_OPTIONS) options?: GotoWebinarOptions,
  ) {
    const sleep: Sleep = options?.sleep ?? realSleep;
    this.opts = {
      ...DEFAULT_GOTO_WEBINAR_OPTIONS,
      random: Math.random,
      ...options,
      sleep,
      now: options?.now ?? Date.now,
    };
    this.budget = budget.budget;
    this.requests = counter(
      'goto_requests_total',
      'Requests to GoTo Webinar by endpoint and outcome',
      ['endpoint', 'outcome'],
    );
    this.duration = histogram(
      'goto_request_duration_seconds',
      'Duration of requests to GoTo Webinar',
      ['endpoint', 'outcome'],
      [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    );
  }

  now(): number {
    return this.opts.now();
  }

  stats(): GotoClientStats {
    return { requests: processStats.requests, byEndpoint: { ...processStats.byEndpoint } };
  }

  resetStats(): void {
    processStats.requests = 0;
    processStats.byEndpoint = {};
  }

  /**
   * Send with retries. `map` turns a 2xx body into our type; `recover` may turn a non-2xx answer
   * into a result (e.g. 409 carrying the existing registrant) instead of an error.
   */
  async request<T>(
    req: GotoHttpRequest,
    map: (json: unknown) => T,
    token?: TokenSource,
    recover?: (status: number, json: unknown) => T | undefined,
  ): Promise<T> {
    let bearer = token ? await token.current() : undefined;
    let renewed = false;
    let retries = 0;
    for (;;) {
      let error: GotoWebinarError;
      try {
        const res = await this.sendOnce(req, bearer);
        if (res.status >= 200 && res.status < 300) {
          return map(parseJsonText(res.text, req.endpoint));
        }
        if (recover) {
          const json = safeParse(res.text, req.endpoint);
          const recovered = recover(res.status, json);
          if (recovered !== undefined) return recovered;
        }
        error = parseGotoError(
          { status: res.status, body: res.text, retryAfter: res.retryAfter },
          this.context(req),
        );
      } catch (e) {
        if (!(e instanceof GotoWebinarError)) throw e;
        error = e;
      }

      if (error.code === 'AUTH_EXPIRED' && token && bearer !== undefined) {
        if (renewed) throw withMessage(error, `${error.message}; a fresh token did not help`);
        renewed = true;
        bearer = await token.renew(bearer);
        continue;
      }
      if (!error.retryable) throw error;
      const retryAfterMs = error.details.retryAfterMs;
      if (
        retries >= this.config.goto.maxRetries ||
        (retryAfterMs !== undefined && retryAfterMs > this.opts.maxRetryAfterMs)
      ) {
        throw retries > 0
          ? withMessage(error, `${error.message}; gave up after ${retries + 1} attempts`)
          : error;
      }
      const wait = retryDelayMs(retries, retryAfterMs, this.opts, this.opts.random);
      // Shared by every instance: GoTo's "not before", or a short back-off after a bare 429.
      if (retryAfterMs !== undefined || error.code === 'RATE_LIMITED')
        await this.budget.pause(retryAfterMs ?? this.opts.rateLimitPauseMs);
      retries += 1;
      const { accountId, organizerId } = currentGotoCallContext();
      this.logger.debug(
        {
          accountId,
          organizerId,
          endpoint: req.endpoint,
          retry: retries,
          maxRetries: this.config.goto.maxRetries,
          waitMs: wait,
          code: error.code,
        },
        'GoTo call retried',
      );
      await sleepUnlessAborted(this.opts.sleep, wait, req.signal);
    }
  }

  private context(req: GotoHttpRequest) {
    return {
      endpoint: req.endpoint,
      kind: req.kind,
      grant: req.grant,
      clientId: this.config.goto.clientId,
      notFoundCode: req.notFoundCode,
      timeoutMs: this.config.goto.timeoutMs,
      now: this.now(),
    };
  }

  /** One paced HTTP exchange. Resolves with any HTTP status; throws GotoWebinarError on transport failure. */
  private async sendOnce(req: GotoHttpRequest, bearer: string | undefined): Promise<RawResponse> {
    await this.budget.acquire(req.signal);
    processStats.requests += 1;
    processStats.byEndpoint[req.endpoint] = (processStats.byEndpoint[req.endpoint] ?? 0) + 1;
    const timeoutMs = this.config.goto.timeoutMs;
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), timeoutMs);
    const started = performance.now();
    let outcome = 'ok';
    try {
      const res = await this.http.axiosRef.request<string>({
        method: req.method,
        url: req.url,
        params: req.query,
        data: req.data,
        headers: {
          Accept: 'application/json',
          ...(bearer !== undefined ? { Authorization: `Bearer ${bearer}` } : {}),
          ...(req.data !== undefined && req.kind !== 'token'
            ? { 'Content-Type': 'application/json' }
            : {}),
          ...req.headers,
        },
        responseType: 'text',
        transformResponse: [(data: unknown) => data],
        validateStatus: () => true,
        timeout: timeoutMs,
        signal: abort.signal,
        maxRedirects: 0,
      });
      const text =
        typeof res.data === 'string' ? res.data : res.data == null ? '' : String(res.data);
      const retryAfter = res.headers?.['retry-after'];
      if (res.status < 200 || res.status >= 300) {
        outcome = parseGotoError(
          { status: res.status, body: text },
          this.context(req),
        ).code.toLowerCase();
      }
      return {
        status: res.status,
        text,
        retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined,
      };
    } catch (e) {
      // Rebuild from safe fields only: the axios error holds the request config and headers.
      const error = parseGotoError(failureFromThrown(e), this.context(req));
      outcome = error.code.toLowerCase();
      throw error;
    } finally {
      clearTimeout(timer);
      this.requests.inc({ endpoint: req.endpoint, outcome });
      this.duration.observe(
        { endpoint: req.endpoint, outcome },
        (performance.now() - started) / 1000,
      );
    }
  }
}

function safeParse(text: string, endpoint: string): unknown {
  try {
    return parseJsonText(text, endpoint);
  } catch {
    return undefined;
  }
}

function withMessage(error: GotoWebinarError, message: string): GotoWebinarError {
  return new GotoWebinarError(error.code, message, error.details);
}
