// GotoWebinarClient failures over real HTTP against a scripted GoTo: Retry-After, abort, timeouts,
// secrets kept out of errors, a 409 that answers, and the request counters and metrics. Waits are
// asked of the fake clock (goto.time), so a test asserts the wait that was requested.
import { Test } from '@nestjs/testing';
import { register } from 'prom-client';
import { ConfigModule } from '../../src/config/config.module';
import { GotoWebinarClient } from '../../src/goto-webinar/goto-webinar.client';
import { GotoWebinarModule } from '../../src/goto-webinar/goto-webinar.module';
import { GOTO_WEBINAR_OPTIONS } from '../../src/goto-webinar/goto-webinar.options';
import { OrganizerAuth } from '../../src/goto-webinar/goto-webinar.types';
import {
  CLIENT_SECRET,
  collect,
  nextCacheKey,
  ORG,
  pat,
  REG,
  scriptedGoto,
  send,
  WEB,
} from '../support/goto/scripted-goto';
import { testConfig } from '../support/test-config';

const goto = scriptedGoto();

describe('GotoWebinarClient failures over HTTP', () => {
  it('429 with Retry-After waits at least that long, then succeeds', async () => {
    const client = await goto.makeClient();
    let hits = 0;
    goto.handler = (req, res) => {
      if (req.path === '/oauth/token') return goto.tokenEndpoint(req, res);
      hits += 1;
      if (hits === 1) return send(res, 429, '', { 'Retry-After': '1' });
      send(res, 200, `{"webinarKey":${WEB},"subject":"S","times":[]}`);
    };
    await expect(client.getWebinar(pat(), ORG, WEB)).resolves.toMatchObject({ webinarKey: WEB });
    expect(goto.time.sleeps).toHaveLength(1);
    expect(goto.time.sleeps[0]).toBeGreaterThanOrEqual(1000);
  });

  it('an aborted signal stops the retry wait at once: no further attempt, the abort error', async () => {
    const client = await goto.makeClient();
    const c = new AbortController();
    const reason = new Error('shutting down');
    goto.handler = (req, res) => {
      if (req.path === '/oauth/token') return goto.tokenEndpoint(req, res);
      c.abort(reason); // e.g. shutdown while GoTo says "retry after 1 s"
      send(res, 429, '', { 'Retry-After': '1' });
    };
    const from = new Date('2026-01-01T00:00:00Z');
    const e = await collect(
      client.listWebinars(pat(), ORG, from, new Date('2026-02-01T00:00:00Z'), { signal: c.signal }),
    ).catch((x: unknown) => x);
    expect(e).toBe(reason);
    expect(goto.api()).toHaveLength(1);
    expect(goto.time.sleeps).toEqual([]);
  });

  it('a hanging request times out, is retried maxRetries times, then TEMPORARY', async () => {
    const client = await goto.makeClient({ timeoutMs: 150, maxRetries: 2 });
    // The token first (the same short timeout applies to it), so only the webinar call hangs.
    const auth = pat();
    goto.handler = (req, res) =>
      req.path === '/oauth/token' ? goto.tokenEndpoint(req, res) : send(res, 200, { id: ORG });
    await client.getIdentity(auth);
    goto.seen = [];
    goto.time.sleeps.length = 0;
    goto.handler = () => undefined; // never answers
    const e = await client.getWebinar(auth, ORG, WEB).catch((x) => x);
    expect(e.code).toBe('TEMPORARY');
    expect(e.retryable).toBe(true);
    expect(e.message).toMatch(/did not answer within 150 ms \(GET \/organizers/);
    expect(goto.api()).toHaveLength(3);
    expect(goto.time.sleeps).toHaveLength(2);
  });

  it('errors never carry secrets (client secret, tokens, password)', async () => {
    const client = await goto.makeClient();
    goto.handler = (req, res) =>
      req.path === '/oauth/token'
        ? send(res, 400, { error: 'invalid_grant', error_description: 'Bad credentials' })
        : send(res, 500, '');
    const auth: OrganizerAuth = {
      cacheKey: nextCacheKey(),
      credentials: { method: 'password', email: 'o@example.com', password: 'hunter2-password' },
    };
    const e = await client.signIn(auth).catch((x) => x);
    expect(e.code).toBe('AUTH_INVALID');
    const dump = JSON.stringify({ m: e.message, d: e.details, s: e.stack });
    expect(dump).not.toContain('hunter2');
    expect(dump).not.toContain(CLIENT_SECRET);
    expect(dump).not.toContain(Buffer.from(`cid:${CLIENT_SECRET}`).toString('base64'));
  });

  it('409 on create registrant returns the existing registrant', async () => {
    const client = await goto.makeClient();
    goto.handler = (req, res) =>
      req.path === '/oauth/token'
        ? goto.tokenEndpoint(req, res)
        : send(
            res,
            409,
            `{"errorCode":"Conflict","description":"already registered","registrantKey":${REG},"joinUrl":"https://j"}`,
          );
    await expect(
      client.createRegistrant(pat(), ORG, WEB, { firstName: 'A', lastName: 'B', email: 'a@b.io' }),
    ).resolves.toEqual({
      registrantKey: REG,
      joinUrl: 'https://j',
      alreadyRegistered: true,
    });
    expect(JSON.parse(goto.api('/registrants')[0].body)).toEqual({
      firstName: 'A',
      lastName: 'B',
      email: 'a@b.io',
    });
  });

  it('stats count every request by endpoint pattern', async () => {
    const client = await goto.makeClient();
    client.resetStats();
    goto.handler = (req, res) =>
      req.path === '/oauth/token' ? goto.tokenEndpoint(req, res) : send(res, 200, '[]');
    await client.listSessionAttendees(pat(), ORG, WEB, '15887209');
    expect(client.stats()).toEqual({
      requests: 2,
      byEndpoint: {
        'POST /oauth/token': 1,
        'GET /organizers/{organizerKey}/webinars/{webinarKey}/sessions/{sessionKey}/attendees': 1,
      },
    });
  });

  it('metrics: goto_requests_total by endpoint pattern and outcome, plus a duration histogram', async () => {
    const client = await goto.makeClient();
    goto.handler = (req, res) =>
      req.path === '/oauth/token'
        ? goto.tokenEndpoint(req, res)
        : send(res, 404, { errorCode: 'NotFound' });
    await client.getWebinar(pat(), ORG, WEB).catch(() => undefined);
    const text = await register.metrics();
    expect(text).toMatch(
      /goto_requests_total\{endpoint="GET \/organizers\/\{organizerKey\}\/webinars\/\{webinarKey\}",outcome="not_found"\} [1-9]/,
    );
    expect(text).toMatch(
      /goto_requests_total\{endpoint="POST \/oauth\/token",outcome="ok"\} [1-9]/,
    );
    expect(text).toContain('goto_request_duration_seconds_bucket');
    expect(text).not.toContain(ORG);
  });

  it('GOTO_WEBINAR_OPTIONS can be overridden on a plain import (fast backoff in app tests)', async () => {
    const waits: number[] = [];
    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot(
          testConfig({
            goto: { apiUrl: goto.url, authUrl: goto.url, maxRps: 1000, maxRetries: 2 },
          }),
        ),
        GotoWebinarModule,
      ],
    })
      .overrideProvider(GOTO_WEBINAR_OPTIONS)
      .useValue({ baseDelayMs: 3, maxDelayMs: 3, sleep: async (ms: number) => void waits.push(ms) })
      .compile();
    const client = moduleRef.get(GotoWebinarClient);
    goto.handler = (req, res) =>
      req.path === '/oauth/token' ? goto.tokenEndpoint(req, res) : send(res, 503, '');
    expect((await client.getWebinar(pat(), ORG, WEB).catch((x) => x)).code).toBe('TEMPORARY');
    expect(waits).toHaveLength(2);
    expect(Math.max(...waits)).toBeLessThan(3);
    await moduleRef.close();
  });
});
