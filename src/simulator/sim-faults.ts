// Fault injection, request counters and the per-client rate limit.
import { Rand } from './sim-random';

export type SimFaultType =
  | 'status' // answer `status` (429, 500, 502, 503, ...) with an optional Retry-After and body
  | 'latency' // delay the real answer by latencyMs
  | 'hang' // never answer (until the simulator closes)
  | 'down' // destroy the socket without an answer (connection reset)
  | 'malformed-json' // truncate the real JSON body
  | 'schema-violation' // drop a required field (e.g. a webinar's `times`) from the real body
  | 'invalid-token' // answer 403 InvalidToken as if the access token had expired
  | 'expire-tokens'; // one-off action, not stored: every access token issued so far expires now

export interface SimFaultInput {
  type: SimFaultType;
  /** Regular expression tested against the request path (no query). Default: every GoTo path. */
  path?: string;
  method?: string;
  /** How many requests it hits before it disappears. Default: unlimited. */
  count?: number;
  /** Probability (0..1) that a matching request is hit. Default 1. Seeded, so reproducible. */
  rate?: number;
  status?: number;
  /** Seconds, sent as `Retry-After` with a status fault. */
  retryAfter?: number;
  latencyMs?: number;
  body?: unknown;
}

export interface SimFault extends SimFaultInput {
  id: number;
  hits: number;
}

export class FaultRegistry {
  private faults: SimFault[] = [];
  private nextId = 1;
  private readonly rng: Rand;

  constructor(
    seed: number,
    private readonly expireTokens?: () => number,
  ) {
    this.rng = new Rand(seed ^ 0x5a5a);
  }

  inject(input: SimFaultInput): SimFault {
    validateFault(input);
    if (input.type === 'expire-tokens') {
      return { ...input, id: this.nextId++, hits: this.expireTokens?.() ?? 0, count: 0 };
    }
    const fault: SimFault = { ...input, id: this.nextId++, hits: 0 };
    this.faults.push(fault);
    return fault;
  }

  list(): SimFault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  clear(id?: number): void {
    this.faults = id === undefined ? [] : this.faults.filter((f) => f.id !== id);
  }

  /** The faults that hit this request, at most one per type; consumes their counts. */
  take(method: string, path: string): Map<SimFaultType, SimFault> {
    const hit = new Map<SimFaultType, SimFault>();
    for (const f of this.faults) {
      if (hit.has(f.type)) continue;
      if (f.method && f.method.toUpperCase() !== method) continue;
      if (f.path && !new RegExp(f.path).test(path)) continue;
      if (f.rate !== undefined && f.rate < 1 && !this.rng.chance(f.rate)) continue;
      f.hits++;
      if (f.count !== undefined) f.count--;
      hit.set(f.type, { ...f });
    }
    this.faults = this.faults.filter((f) => f.count === undefined || f.count > 0);
    return hit;
  }
}

const TYPES: SimFaultType[] = [
  'status',
  'latency',
  'hang',
  'down',
  'malformed-json',
  'schema-violation',
  'invalid-token',
  'expire-tokens',
];

function validateFault(f: SimFaultInput): void {
  if (!TYPES.includes(f.type)) throw new Error(`type must be one of ${TYPES.join(', ')}`);
  if (
    f.type === 'status' &&
    !(Number.isInteger(f.status) && f.status! >= 400 && f.status! <= 599)
  ) {
    throw new Error('a status fault needs status 400..599');
  }
  if (f.type === 'latency' && !(typeof f.latencyMs === 'number' && f.latencyMs >= 0)) {
    throw new Error('a latency fault needs latencyMs');
  }
  if (f.path !== undefined) new RegExp(f.path);
  if (f.count !== undefined && !(Number.isInteger(f.count) && f.count > 0))
    throw new Error('count must be a positive integer');
  if (f.rate !== undefined && !(f.rate >= 0 && f.rate <= 1))
    throw new Error('rate must be within 0..1');
}

export interface SimCounters {
  total: number;
  /** "GET /G2W/rest/v2/organizers/{organizerKey}/webinars" -> { "200": 12, "429": 1 } */
  byEndpoint: Record<string, Record<string, number>>;
  byStatus: Record<string, number>;
}

/** One request as it arrived: when (epoch ms, sub-ms), which route, and what it was answered. */
export interface SimRequestRecord {
  at: number;
  endpoint: string;
  status: string;
}

const REQUEST_LOG_MAX = 200_000;

export class Counters {
  private data: SimCounters = { total: 0, byEndpoint: {}, byStatus: {} };
  private log: SimRequestRecord[] = [];

  /** `at`: when the request arrived (what GoTo's rate limit counts), default now. */
  record(endpoint: string, status: number | string, at: number = nowMs()): void {
    const s = String(status);
    this.data.total++;
    const e = (this.data.byEndpoint[endpoint] ??= {});
    e[s] = (e[s] ?? 0) + 1;
    this.data.byStatus[s] = (this.data.byStatus[s] ?? 0) + 1;
    if (this.log.length >= REQUEST_LOG_MAX) this.log.splice(0, REQUEST_LOG_MAX / 2);
    this.log.push({ at, endpoint, status: s });
  }

  read(): SimCounters {
    return JSON.parse(JSON.stringify(this.data)) as SimCounters;
  }

  /** The request log (last 100,000 to 200,000 requests), in arrival order. */
  requests(): SimRequestRecord[] {
    return [...this.log].sort((a, b) => a.at - b.at);
  }

  reset(): void {
    this.data = { total: 0, byEndpoint: {}, byStatus: {} };
    this.log = [];
  }
}

/** Epoch milliseconds with sub-millisecond resolution (monotonic within the process). */
export const nowMs = (): number => performance.timeOrigin + performance.now();

/** The most requests whose arrival falls in any one window of `windowMs` (a sliding window). */
export function maxInAnyWindow(times: number[], windowMs = 1000): number {
  const t = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; j < t.length; j++) {
    while (t[j] - t[i] >= windowMs) i++;
    best = Math.max(best, j - i + 1);
  }
  return best;
}

/** Token bucket per OAuth client (GoTo: 10 requests per second "per API"; per client is our guess). */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(public rps: number | null) {}

  allow(clientId: string): boolean {
    if (this.rps === null || this.rps <= 0) return true;
    const now = performance.now();
    const b = this.buckets.get(clientId) ?? { tokens: this.rps, at: now };
    b.tokens = Math.min(this.rps, b.tokens + ((now - b.at) / 1000) * this.rps);
    b.at = now;
    const ok = b.tokens >= 1;
    if (ok) b.tokens -= 1;
    this.buckets.set(clientId, b);
    return ok;
  }
}
