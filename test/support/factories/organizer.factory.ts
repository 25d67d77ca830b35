import { Logger } from '@nestjs/common';
import type { Response } from 'supertest';
import { DataSource } from 'typeorm';
import { OrganizerInfo, RunningSimulator, startSimulator } from '../../../src/simulator/simulator';
import { createTestApp, TestApp, TestAppOptions } from '../test-app';
import { Dialect } from '../test-database';

type Account = Awaited<ReturnType<TestApp['createAccount']>>;

/** A small simulator for organizer tests: many organizers, almost no webinars. */
export function startOrganizerSimulator(organizers = 8): Promise<RunningSimulator> {
  return startSimulator({ port: 0, organizers, webinars: 1, registrants: 1 });
}

/** The real app pointed at the simulator; no retries, so a GoTo outage answers at once. */
export function createOrganizerTestApp(
  dialect: Dialect,
  sim: RunningSimulator,
  options: TestAppOptions = {},
): Promise<TestApp> {
  return createTestApp(dialect, {
    ...options,
    config: {
      publicUrl: 'http://localhost:3999',
      ...options.config,
      goto: { apiUrl: sim.url, authUrl: sim.url, maxRetries: 0, ...(options.config?.goto ?? {}) },
    },
  });
}

export interface OrganizerSuite {
  sim: RunningSimulator;
  t: TestApp;
  ds: DataSource;
  orgs: OrganizerInfo[];
}

/**
 * The set-up of an organizers suite: a simulator with `organizers` organizers, the app on
 * `dialect`, and the scanner capturing every log line; all closed after the suite. The fields are
 * filled in its beforeAll.
 */
export function setUpOrganizerSuite(
  dialect: Dialect,
  organizers: number,
  scanner: SecretScanner,
): OrganizerSuite {
  const suite = {} as OrganizerSuite;
  beforeAll(async () => {
    scanner.captureLogs();
    suite.sim = await startOrganizerSimulator(organizers);
    suite.orgs = suite.sim.store.listOrganizers();
    suite.t = await createOrganizerTestApp(dialect, suite.sim);
    suite.ds = suite.t.app.get(DataSource);
  });
  afterAll(async () => {
    scanner.restore();
    await suite.t?.close();
    await suite.sim?.close();
  });
  return suite;
}

/** POST /organizers with the simulator organizer's password (or PAT). */
export function linkOrganizer(
  t: TestApp,
  account: Account,
  org: Pick<OrganizerInfo, 'email' | 'password'> & Partial<OrganizerInfo>,
  method: 'password' | 'personal_access_token' = 'password',
): Promise<Response> {
  const body =
    method === 'password'
      ? { email: org.email, password: org.password }
      : { email: org.email, personalAccessToken: org.personalAccessToken };
  return t
    .http()
    .post('/api/v1/organizers')
    .set(account.auth)
    .send(body) as unknown as Promise<Response>;
}

/**
 * Collects every response body and every Nest log line of a suite, to check at the end that no
 * password, token or key ever left the service.
 */
export class SecretScanner {
  private readonly captured: string[] = [];
  private readonly spies: jest.SpyInstance[] = [];

  /** Records a supertest response (body and headers) and returns it. */
  record<T extends { text?: string; headers?: Record<string, unknown> }>(res: T): T {
    this.captured.push(`${res.text ?? ''}\n${JSON.stringify(res.headers ?? {})}`);
    return res;
  }

  /** Spies on Nest's Logger (what our services log through), still calling through. */
  captureLogs(): void {
    const captured = this.captured;
    for (const level of ['log', 'warn', 'error', 'debug', 'verbose', 'fatal'] as const) {
      const original = Logger.prototype[level];
      this.spies.push(
        jest.spyOn(Logger.prototype, level).mockImplementation(function (
          this: Logger,
          ...args: unknown[]
        ) {
          captured.push(args.map((a) => (typeof a === 'string' ? a : safeJson(a))).join(' '));
          return (original as (...a: unknown[]) => void).apply(this, args);
        }),
      );
    }
  }

  restore(): void {
    for (const s of this.spies) s.mockRestore();
  }

  get count(): number {
    return this.captured.length;
  }

  /** The secrets found in anything captured (expected: none). */
  find(secrets: string[]): string[] {
    const all = this.captured.join('\n');
    const found = secrets.filter((s) => s.length >= 6 && all.includes(s));
    // GoTo's tokens (and the simulator's) are JWTs: {"kid"... base64url-encoded.
    if (all.includes('eyJraWQi')) found.push('a GoTo token (eyJraWQi…)');
    // A credentials envelope (v1:<iv>:<tag>:<data>).
    if (/v1:[A-Za-z0-9+/=]{16}:[A-Za-z0-9+/=]{24}:/.test(all))
      found.push('an encrypted credentials envelope');
    return found;
  }
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}
