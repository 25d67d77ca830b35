import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import pinoHttp from 'pino-http';
import { describeJobError } from '../sync/sync-error-policy';
import { pinoHttpOptions } from './logging.module';
import { redactText, redactValue } from './redact';

const SECRETS = ['pw-Secret-1', 'rt-Secret-2', 'at-Secret-3', 'state-Secret-4', 'code-Secret-5'];

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, stream };
}

describe('redaction (logs and stored errors)', () => {
  it('redacts secrets by field name at any depth, keeps the rest', () => {
    const out = redactValue({
      organizerId: 7,
      code: 'RATE_LIMITED',
      nested: { deeper: { password: SECRETS[0], list: [{ refresh_token: SECRETS[1] }] } },
      err: Object.assign(new Error(`GoTo said: access_token=${SECRETS[2]}`), {
        config: {
          headers: { Authorization: `Bearer ${SECRETS[2]}` },
          data: `password=${SECRETS[0]}`,
        },
      }),
    });
    const text = JSON.stringify(out);
    for (const s of SECRETS.slice(0, 3)) expect(text).not.toContain(s);
    expect(out).toMatchObject({ organizerId: 7, code: 'RATE_LIMITED' });
  });

  it('redacts secret-looking parts of text: GoTo errors echoing tokens, OAuth query strings', () => {
    const texts = [
      `invalid_grant: {"refresh_token":"${SECRETS[1]}","password":"${SECRETS[0]}"}`,
      `GET /callback?code=${SECRETS[4]}&state=${SECRETS[3]}`,
      `Authorization: Bearer ${SECRETS[2]}`,
      `body: grant_type=password&username=a@x.io&password=${SECRETS[0]}`,
    ];
    for (const t of texts) for (const s of SECRETS) expect(redactText(t)).not.toContain(s);
    expect(redactText('ACCOUNT_NOT_FOUND: organizer 42 not found')).toBe(
      'ACCOUNT_NOT_FOUND: organizer 42 not found',
    );
  });

  it('a sync job last_error goes through the same redaction', () => {
    const err = new Error(`token endpoint answered 400 for refresh_token=${SECRETS[1]}`);
    expect(describeJobError(err)).not.toContain(SECRETS[1]);
  });

  it('the HTTP logger: no Location state, Set-Cookie, Authorization or nested secret in a line', async () => {
    const { lines, stream } = capture();
    const logger = pino(
      { ...pinoHttpOptions({ log: { level: 'info', pretty: false } }) } as pino.LoggerOptions,
      stream,
    );
    const http = pinoHttp({
      ...pinoHttpOptions({ log: { level: 'info', pretty: false } }),
      logger,
    });
    const server = createServer((req, res) => {
      http(req, res);
      req.log.info({ detail: { credentials: { password: SECRETS[0] } } }, `state=${SECRETS[3]}`);
      res.setHeader('Set-Cookie', `ws_oauth=${SECRETS[3]}; HttpOnly`);
      res.setHeader('Location', `https://goto.example/oauth/authorize?state=${SECRETS[3]}`);
      res.statusCode = 302;
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    await fetch(`http://127.0.0.1:${port}/api/v1/organizers/oauth/authorize?code=${SECRETS[4]}`, {
      headers: { Authorization: `Bearer ${SECRETS[2]}`, Cookie: `ws_oauth=${SECRETS[3]}` },
      redirect: 'manual',
    });
    await new Promise((r) => server.close(r));
    const all = lines.join('\n');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(all).toContain('"statusCode":302');
    expect(all).toContain('/api/v1/organizers/oauth/authorize');
    for (const s of SECRETS) expect(all).not.toContain(s);
  });
});
