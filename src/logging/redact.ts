// The one place that decides what never leaves the service in a log line or a stored error
// (`last_error` of organizers and sync jobs): credentials, tokens, keys, OAuth codes and states.

export const CENSOR = '[redacted]';

/** Field names whose values are secrets, at any depth (compared case-insensitively, - and _ ignored). */
const SECRET_KEYS = new Set(
  [
    'password',
    'personalAccessToken',
    'pat',
    'refreshToken',
    'accessToken',
    'access_token',
    'refresh_token',
    'apiKey',
    'token',
    'credentials',
    'credentialsEncrypted',
    'clientSecret',
    'client_secret',
    'codeVerifier',
    'code_verifier',
    'authorization',
    'cookie',
    'set-cookie',
  ].map(normalize),
);

function normalize(key: string): string {
  return key.toLowerCase().replace(/[-_]/g, '');
}

export function isSecretKey(key: string): boolean {
  return SECRET_KEYS.has(normalize(key));
}

const TEXT_PATTERNS: Array<[RegExp, string]> = [
  [/(bearer\s+)[\w.~+/=-]+/gi, `$1${CENSOR}`],
  [/(basic\s+)[\w+/=]+/gi, `$1${CENSOR}`],
  // key=value, "key": "value", key: value (query strings, form bodies, JSON, messages)
  [
    /((?:access_?token|refresh_?token|password|client_?secret|personal_?access_?token|token|code_?verifier|api_?key)["']?\s*[=:]\s*["']?)[^\s"'&,;}]+/gi,
    `$1${CENSOR}`,
  ],
  // Query-string and form fields only (as words, `code` and `state` are everyday): ?code=…&state=…
  [/((?:^|[?&\s])(?:code|state|pat)=)[^\s&#"']+/gi, `$1${CENSOR}`],
  // An account API key or a credentials envelope quoted anywhere.
  [/\bwsk_[\w-]{20,}/g, `wsk_${CENSOR}`],
  [/\bv[12]:[\w+/=-]*:[\w+/=]+:[\w+/=]+(:[\w+/=]+)?/g, CENSOR],
];

/** A message or stored error text with secret-looking values replaced. */
export function redactText(text: string): string {
  let out = text;
  for (const [re, replacement] of TEXT_PATTERNS) out = out.replace(re, replacement);
  return out;
}

/** A URL (or path) without its query string: OAuth redirects carry a live code or state there. */
export function withoutQuery(url: string): string {
  const i = url.indexOf('?');
  return i < 0 ? url : `${url.slice(0, i)}?${CENSOR}`;
}

/**
 * A copy of a log payload with secrets replaced, at any depth: values under secret field names,
 * and secret-looking parts of strings. Cycles and very deep values are cut.
 */
export function redactValue(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 8 || seen.has(value)) return '[…]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1, seen));
  const proto = Object.getPrototypeOf(value);
  const plain = proto === Object.prototype || proto === null;
  // Other class instances (a request, a response, a Date) are left to the logger's serializers.
  if (!plain && !(value instanceof Error)) return value;
  const out: Record<string, unknown> = {};
  const source =
    value instanceof Error
      ? { ...value, type: value.name, message: value.message, stack: value.stack }
      : (value as Record<string, unknown>);
  for (const [k, v] of Object.entries(source)) {
    if (k.toLowerCase() === 'location' && typeof v === 'string') out[k] = withoutQuery(v);
    else
      out[k] =
        isSecretKey(k) && v !== null && v !== undefined ? CENSOR : redactValue(v, depth + 1, seen);
  }
  return out;
}
