import { createHmac } from 'node:crypto';
import {
  HmacSha256Verifier,
  hmacSha256Signature,
  NoSignatureVerifier,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  verifierFor,
} from './webhook-signature';

const secret = 'f1679e36-17fe-48fa-93da-44195fd9e293';
const body = Buffer.from('{"eventName":"registrant.added","webinarKey":4511665432126123456}');
const now = Date.UTC(2026, 11, 3, 12, 0, 0);
const ts = String(now / 1000);
const signed = (b = body, t = ts, s = secret) => ({
  [SIGNATURE_HEADER]: hmacSha256Signature(s, t, b),
  [TIMESTAMP_HEADER]: t,
});

describe('HmacSha256Verifier', () => {
  const v = new HmacSha256Verifier();

  it('accepts the signature over timestamp + "." + raw body', () => {
    expect(v.verify(body, signed(), secret, now)).toEqual({ ok: true });
    // the documented scheme, computed independently
    const expected = createHmac('sha256', secret)
      .update(`${ts}.${body.toString()}`)
      .digest('base64');
    expect(signed()[SIGNATURE_HEADER]).toBe(expected);
  });

  it('refuses a changed body, another secret, a missing header or no secret', () => {
    const tampered = Buffer.from(body.toString().replace('6123456', '6123457'));
    expect(v.verify(tampered, signed(), secret, now).ok).toBe(false);
    expect(v.verify(body, signed(body, ts, 'other'), secret, now).ok).toBe(false);
    expect(v.verify(body, { [TIMESTAMP_HEADER]: ts }, secret, now)).toEqual({
      ok: false,
      reason: `${SIGNATURE_HEADER} header missing`,
    });
    expect(v.verify(body, { [SIGNATURE_HEADER]: 'x' }, secret, now).ok).toBe(false);
    expect(v.verify(body, signed(), null, now).ok).toBe(false);
  });

  it('refuses stale or future timestamps (replays) but allows the tolerance', () => {
    expect(v.verify(body, signed(body, String(now / 1000 - 299)), secret, now).ok).toBe(true);
    expect(v.verify(body, signed(body, String(now / 1000 - 301)), secret, now).ok).toBe(false);
    expect(v.verify(body, signed(body, String(now / 1000 + 301)), secret, now).ok).toBe(false);
  });

  it('never echoes the secret in a reason', () => {
    const r = v.verify(body, signed(body, ts, 'wrong'), secret, now);
    expect(JSON.stringify(r)).not.toContain(secret);
  });
});

describe('verifierFor', () => {
  it('picks the configured scheme', () => {
    expect(verifierFor('hmac-sha256')).toBeInstanceOf(HmacSha256Verifier);
    expect(verifierFor('none')).toBeInstanceOf(NoSignatureVerifier);
    expect(verifierFor('none').verify(body, {}, null, now)).toEqual({ ok: true });
  });
});
