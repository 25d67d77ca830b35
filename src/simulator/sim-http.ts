// A tiny router over node:http: route patterns double as counter labels.
import { IncomingMessage } from 'node:http';
import { stringify } from './sim-json';

export interface SimRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  params: Record<string, string>;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface SimReply {
  status: number;
  /** Serialized with `stringify` (RawNumber-aware). Ignored when `text` or `bytes` is set. */
  body?: unknown;
  /** The body as text; wins over `bytes` (a malformed-json fault cuts the text). */
  text?: string;
  /** The body as UTF-8 bytes already built (the big lists, see jsonBytes). */
  bytes?: Buffer;
  headers?: Record<string, string>;
}

export type SimHandler = (req: SimRequest) => SimReply | Promise<SimReply>;

export interface SimRoute {
  method: string;
  pattern: string;
  regex: RegExp;
  keys: string[];
  handler: SimHandler;
}

export class SimRouter {
  private readonly routes: SimRoute[] = [];

  add(method: string, pattern: string, handler: SimHandler): this {
    const keys: string[] = [];
    const source = pattern
      .split('/')
      .map((part) => {
        const m = /^\{(\w+)\}$/.exec(part);
        if (!m) return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
        keys.push(m[1]);
        return '([^/]+)';
      })
      .join('/');
    this.routes.push({ method, pattern, regex: new RegExp(`^${source}/?$`), keys, handler });
    return this;
  }

  match(
    method: string,
    path: string,
  ): { route: SimRoute; params: Record<string, string> } | 'method' | null {
    let pathMatched = false;
    for (const route of this.routes) {
      const m = route.regex.exec(path);
      if (!m) continue;
      pathMatched = true;
      if (route.method !== method) continue;
      const params: Record<string, string> = {};
      route.keys.forEach((k, i) => (params[k] = decodeURIComponent(m[i + 1])));
      return { route, params };
    }
    return pathMatched ? 'method' : null;
  }
}

export const json = (
  status: number,
  body: unknown,
  headers?: Record<string, string>,
): SimReply => ({
  status,
  body,
  headers,
});

/**
 * A reply whose JSON is already built as UTF-8 bytes (e.g. from memoized rows). `body()` rebuilds
 * the value only if a fault has to edit it (schema-violation); it is never called for a plain reply.
 */
export function jsonBytes(status: number, bytes: Buffer, body: () => unknown): SimReply {
  return {
    status,
    bytes,
    get body() {
      return body();
    },
  };
}

/** What goes on the wire: `text`, else `bytes`, else the serialized `body` ('' without one). */
export function payload(reply: SimReply): string | Buffer {
  if (reply.text !== undefined) return reply.text;
  if (reply.bytes !== undefined) return reply.bytes;
  if (reply.body === undefined) return '';
  return stringify(reply.body);
}

/** The body as text (bytes decoded). */
export function serialize(reply: SimReply): string {
  const out = payload(reply);
  return typeof out === 'string' ? out : out.toString('utf8');
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** JSON body of a control or REST call; undefined when absent, throws on invalid JSON. */
export function parseJsonBody(req: SimRequest): Record<string, unknown> {
  if (req.body.trim() === '') return {};
  const parsed: unknown = JSON.parse(req.body);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new SyntaxError('expected an object');
  return parsed as Record<string, unknown>;
}
