// What GoTo said in a failed answer's body, for error messages: parsed when it is JSON, its error
// code and description only, scrubbed of anything token-like.

export function readBody(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  const text = body.trim();
  if (!text.startsWith('{') && !text.startsWith('[')) return text === '' ? undefined : text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** " (GoTo: NotFound: Webinar with the specified key does not exist.)" or "". */
export function describeBody(body: unknown): string {
  if (!isRecord(body)) return '';
  const code = [body.errorCode, body.int_err_code, body.error].find(
    (v) => typeof v === 'string',
  ) as string | undefined;
  const text = [body.description, body.msg, body.message, body.error_description].find(
    (v) => typeof v === 'string',
  ) as string | undefined;
  const parts = [code, text].filter((p): p is string => Boolean(p)).map(scrub);
  return parts.length ? ` (GoTo: ${parts.join(': ')})` : '';
}

/** Cut long text and blank anything that looks like a token or a bearer credential. */
export function scrub(text: string): string {
  return text
    .replace(/bearer\s+\S+/gi, 'Bearer [redacted]')
    .replace(/[A-Za-z0-9._~+/=-]{32,}/g, '[redacted]')
    .slice(0, 300);
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
