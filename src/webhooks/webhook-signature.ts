import { createHmac, timingSafeEqual } from 'node:crypto';

// GoTo does not publish how it signs webhook deliveries (goto-webinar-api.md §6.3), so the check is
// pluggable: WEBHOOKS_SIGNATURE picks the scheme. The default is our documented guess, which the
// simulator speaks (README "Webhook signatures"):
//   x-webinar-signature-timestamp: <unix seconds>
//   x-webinar-signature:           base64( HMAC-SHA256( secretKey, `${timestamp}.${rawBody}` ) )
export const SIGNATURE_HEADER = 'x-webinar-signature';
export const TIMESTAMP_HEADER = 'x-webinar-signature-timestamp';
/** Deliveries signed longer ago (or further ahead) than this are refused as replays. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

export interface WebhookSignatureVerifier {
  readonly scheme: string;
  verify(
    rawBody: Buffer,
    headers: Record<string, string | string[] | undefined>,
    secret: string | null,
    nowMs: number,
  ): SignatureCheck;
}

const header = (h: Record<string, string | string[] | undefined>, name: string) => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

/** The signature of `rawBody` at `timestamp` (unix seconds) under `secret`, base64. */
export function hmacSha256Signature(secret: string, timestamp: string, rawBody: Buffer): string {
  return createHmac('sha256', secret)
    .update(`${timestamp}.`, 'utf8')
    .update(rawBody)
    .digest('base64');
}

export class HmacSha256Verifier implements WebhookSignatureVerifier {
  readonly scheme = 'hmac-sha256';

  constructor(private readonly toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS) {}

  verify(
    rawBody: Buffer,
    headers: Record<string, string | string[] | undefined>,
    secret: string | null,
    nowMs: number,
  ): SignatureCheck {
    if (!secret) return { ok: false, reason: 'no webhook secret key is set up yet' };
    const signature = header(headers, SIGNATURE_HEADER);
    const timestamp = header(headers, TIMESTAMP_HEADER);
    if (!signature) return { ok: false, reason: `${SIGNATURE_HEADER} header missing` };
    if (!timestamp || !/^\d{1,12}$/.test(timestamp))
      return { ok: false, reason: `${TIMESTAMP_HEADER} header missing or not unix seconds` };
    if (Math.abs(nowMs / 1000 - Number(timestamp)) > this.toleranceSeconds)
      return { ok: false, reason: `${TIMESTAMP_HEADER} outside ±${this.toleranceSeconds} s` };
    const expected = Buffer.from(hmacSha256Signature(secret, timestamp, rawBody), 'utf8');
    const given = Buffer.from(signature.trim(), 'utf8');
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      return { ok: false, reason: 'signature does not match' };
    return { ok: true };
  }
}

/** WEBHOOKS_SIGNATURE=none: accepts everything (only behind a proxy that checks GoTo itself). */
export class NoSignatureVerifier implements WebhookSignatureVerifier {
  readonly scheme = 'none';
  verify(): SignatureCheck {
    return { ok: true };
  }
}

export function verifierFor(scheme: 'hmac-sha256' | 'none'): WebhookSignatureVerifier {
  return scheme === 'none' ? new NoSignatureVerifier() : new HmacSha256Verifier();
}
