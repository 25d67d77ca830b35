// Small helpers for talking to the simulator from tests, the demo and the bench (raw HTTP, no Nest).
// Bodies are parsed as the app's GoTo client parses them: integers above 2^53 come back as
// decimal strings.
import { parseJsonExact } from '../goto-webinar/parse-json-exact';
import { AnyJson } from '../common/any-json';

export interface SimHttpResponse<T = unknown> {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed body; unsafe integers (64-bit keys) as decimal strings. Undefined when not JSON. */
  body: T;
}

export async function simFetch<T = AnyJson>(
  url: string,
  init: RequestInit = {},
): Promise<SimHttpResponse<T>> {
  const res = await fetch(url, { redirect: 'manual', ...init });
  const text = await res.text();
  let body: unknown;
  try {
    body = text.length > 0 ? parseJsonExact(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, text, body: body as T };
}

export const basicAuth = (clientId: string, secret: string): string =>
  `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`;

/** POST /oauth/token with a form body and HTTP Basic client auth. */
export function requestToken(
  baseUrl: string,
  client: { clientId: string; clientSecret: string },
  form: Record<string, string>,
): Promise<SimHttpResponse<AnyJson>> {
  return simFetch(`${baseUrl}/oauth/token`, {
    method: 'POST',
    headers: {
      Authorization: basicAuth(client.clientId, client.clientSecret),
      'Content-Type': 'application/x-www-form-urlencoded',
      Accept: 'application/json',
    },
    body: new URLSearchParams(form).toString(),
  });
}

/** An access token for the simulator's organizer `index`, by its personal access token. */
export async function organizerToken(
  sim: {
    url: string;
    clientId: string;
    clientSecret: string;
    store: { listOrganizers(): Array<{ personalAccessToken: string }> };
  },
  index = 0,
): Promise<string> {
  const o = sim.store.listOrganizers()[index];
  const res = await requestToken(sim.url, sim, {
    grant_type: 'personal_access_token',
    pat: o.personalAccessToken,
  });
  return res.body.access_token as string;
}

/** GET with a bearer token; `path` is appended to the base URL as is. */
export function bearerGet<T = AnyJson>(
  baseUrl: string,
  path: string,
  accessToken: string,
): Promise<SimHttpResponse<T>> {
  return simFetch<T>(`${baseUrl}${path}`, {
    headers: { Authorization: `Bearer ${accessToken}`, Accept: 'application/json' },
  });
}
