import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { OrganizersService } from '../../src/organizers/organizers.service';
import { WebhookDeveloperSetup } from '../../src/webhooks/webhook-developer-setup.service';
import { Clock, FakeClock } from '../../src/common/clock';
import { GOTO_WEBINAR_OPTIONS } from '../../src/goto-webinar/goto-webinar.options';
import { RunningSimulator, startSimulator } from '../../src/simulator/simulator';
import { WebhookEventProcessor } from '../../src/webhooks/webhook-event.processor';
import { WebhookSubscriptions } from '../../src/webhooks/webhook-subscriptions.service';
import {
  hmacSha256Signature,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
} from '../../src/webhooks/webhook-signature';
import { drainQueue } from '../support/sync/drain-queue';
import { createTestApp, freePort, TestApp } from '../support/test-app';
import { describeEachDialect } from '../support/test-database';

type Account = Awaited<ReturnType<TestApp['createAccount']>>;
type Row = Record<string, unknown>;
const HOUR = 3_600_000;
const CALLBACK = '/api/v1/webhooks/goto';

describeEachDialect('GoTo webhooks (simulator → callback → queue)', (dialect) => {
  let sim: RunningSimulator;
  let t: TestApp;
  let ds: DataSource;
  let account: Account;
  let organizerId: number;
  let orgKey: string;
  let webinarKey: string;
  let webinarId: number;
  let seq = 0;
  let attendedByWebhook = '';

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, seed: 31, organizers: 2, webinars: 4, registrants: 3 });
    const port = await freePort();
    t = await createTestApp(dialect, {
      port,
      config: {
        publicUrl: `http://127.0.0.1:${port}`,
        webhooks: { enabled: true, signature: 'hmac-sha256' },
        goto: { apiUrl: sim.url, authUrl: sim.url, maxRps: 1000, maxRetries: 2 },
      },
      override: (b) =>
        b
          .overrideProvider(GOTO_WEBINAR_OPTIONS)
          .useValue({ baseDelayMs: 5, maxDelayMs: 20 })
          .overrideProvider(Clock)
          .useValue(new FakeClock(new Date())),
    });
    ds = t.app.get(DataSource);
    account = await t.createAccount('Webhooks');
    const org = sim.store.listOrganizers()[0];
    orgKey = org.organizerKey;
    // An upcoming webinar, so a registration is plausible and no attendee report exists yet.
    const w = sim.store.addWebinar(orgKey, {
      subject: 'Webhook launch',
      times: [
        {
          startTime: new Date(Date.now() + 48 * HOUR).toISOString(),
          endTime: new Date(Date.now() + 49 * HOUR).toISOString(),
        },
      ],
    });
    webinarKey = w.webinarKey;
    const res = await t
      .http()
      .post('/api/v1/organizers')
      .set(account.auth)
      .send({ email: org.email, password: org.password })
      .expect(201);
    organizerId = res.body.id;
    await settle();
    webinarId = Number(
      (
        await ds.query('SELECT id FROM webinar WHERE account_id = ? AND webinar_key = ?', [
          account.id,
          webinarKey,
        ])
      )[0].id,
    );
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

  /** Deliveries finished, then every queued job run (no sleeps). */
  const settle = async () => {
    await sim.webhooks.idle();
    await drainQueue(t.app, { advanceClock: true });
  };
  const person = () => {
    seq++;
    return { firstName: `Web${seq}`, lastName: 'Hook', email: `web${seq}.hook@example.com` };
  };
  const participant = async (email: string): Promise<Row | undefined> =>
    (
      await ds.query(
        `SELECT p.registrant_key, p.webinar_participant_status_id AS status_id,
                p.registration_status, p.join_url
           FROM webinar_participant p JOIN subscriber s ON s.id = p.subscriber_id
          WHERE p.webinar_id = ? AND s.email = ?`,
        [webinarId, email],
      )
    )[0];
  const groupMembers = async (kind: string): Promise<string[]> => {
    const groups = await t
      .http()
      .get(`/api/v1/target-groups?webinarId=${webinarId}`)
      .set(account.auth)
      .expect(200);
    const g = groups.body.items.find((x: Row) => x.kind === kind);
    const members = await t
      .http()
      .get(`/api/v1/target-groups/${g.id}/members?pageSize=200`)
      .set(account.auth)
      .expect(200);
    return members.body.items.map((m: Row) => m.email);
  };
  const eventCount = async (): Promise<number> =>
    Number((await ds.query('SELECT COUNT(*) AS n FROM webhook_event'))[0].n);
  const registrantReads = () =>
    Object.entries(sim.counters.read().byEndpoint)
      .filter(([k]) => k.startsWith('GET') && k.endsWith('/registrants'))
      .reduce((n, [, byStatus]) => n + Object.values(byStatus).reduce((a, b) => a + b, 0), 0);
  const orgSubs = () =>
    [...sim.webhooks.subscriptions.values()].filter((s) => s.organizerKey === orgKey);
  const organizerView = async () =>
    (await t.http().get(`/api/v1/organizers/${organizerId}`).set(account.auth).expect(200)).body;

  it('sets up the secret key and four active webhooks (after the GET check), and subscribes the organizer', async () => {
    const url = `${t.config.publicUrl}${CALLBACK}`;
    expect(sim.webhooks.secrets).toHaveLength(1);
    const hooks = [...sim.webhooks.webhooks.values()];
    expect(hooks.map((h) => h.eventName).sort()).toEqual([
      'registrant.added',
      'registrant.joined',
      'webinar.changed',
      'webinar.created',
    ]);
    expect(hooks.every((h) => h.state === 'ACTIVE' && h.callbackUrl === url)).toBe(true);
    expect(sim.webhooks.checks.some((c) => c.url === url && c.status === 200)).toBe(true);
    expect(orgSubs()).toHaveLength(4);
    expect(orgSubs().every((s) => s.userSubscriptionState === 'ACTIVE')).toBe(true);
    expect((await organizerView()).realTimeUpdates).toMatchObject({ state: 'on', reason: null });
    // the secret is stored encrypted, never in clear
    const [row] = await ds.query('SELECT secret_encrypted FROM goto_webhook_setup');
    expect(String(row.secret_encrypted)).not.toContain(sim.webhooks.secrets[0].value);
    // the GET answers 200 without an API key
    await t.http().get(CALLBACK).expect(200);

    // a re-check (Test Connection, daily pass) creates nothing new
    await t.app.get(WebhookSubscriptions).requestCheck(account.id, organizerId);
    await settle();
    expect(sim.webhooks.secrets).toHaveLength(1);
    expect(sim.webhooks.webhooks.size).toBe(4);
    expect(orgSubs()).toHaveLength(4);

    // Test Connection re-checks the subscription (a queued webhook_subscription job)
    const checks = async (): Promise<number> =>
      Number(
        (
          await ds.query(
            `SELECT COUNT(*) AS n FROM sync_job WHERE type = 'webhook_subscription' AND organizer_id = ? AND status = 'succeeded'`,
            [organizerId],
          )
        )[0].n,
      );
    const before = await checks();
    await t
      .http()
      .post('/api/v1/webinar-integration/test-connection')
      .set(account.auth)
      .expect(200);
    await settle();
    expect(await checks()).toBe(before + 1);
    expect((await organizerView()).realTimeUpdates.state).toBe('on');
  });

  it('a registration and a join arrive by webhook, with no poll in between', async () => {
    const p = person();
    const readsBefore = registrantReads();
    const r = sim.store.addRegistrant(webinarKey, p);
    await settle();
    expect(await participant(p.email)).toMatchObject({
      registrant_key: r.registrantKey,
      registration_status: 'approved',
      join_url: r.joinUrl,
    });
    expect(Number((await participant(p.email))!.status_id)).toBe(1);
    expect(await groupMembers('registered')).toContain(p.email);

    sim.store.markAttendance(webinarKey, { registrantKey: r.registrantKey });
    await settle();
    expect(Number((await participant(p.email))!.status_id)).toBe(2);
    expect(await groupMembers('attended')).toContain(p.email);
    expect(registrantReads()).toBe(readsBefore);
    attendedByWebhook = p.email;
    expect((await organizerView()).realTimeUpdates.lastEventAt).not.toBeNull();
  });

  it('duplicates are stored once; a join delivered before its registration keeps attendance', async () => {
    const before = await eventCount();
    sim.webhooks.setFaults({ duplicate: 1 });
    const a = person();
    sim.store.addRegistrant(webinarKey, a);
    await settle();
    const last = sim.webhooks.deliveries.slice(-2);
    expect(last.map((d) => d.result)).toEqual([200, 200]);
    expect(last[0].eventKey).toBe(last[1].eventKey);
    expect(await eventCount()).toBe(before + 1);

    sim.webhooks.setFaults({ reorder: 2 });
    const b = person();
    const rb = sim.store.addRegistrant(webinarKey, b);
    sim.store.markAttendance(webinarKey, { registrantKey: rb.registrantKey });
    await settle();
    const order = sim.webhooks.deliveries.slice(-2).map((d) => d.eventName);
    expect(order).toEqual(['registrant.joined', 'registrant.added']);
    expect(await participant(b.email)).toMatchObject({
      registrant_key: rb.registrantKey,
      join_url: rb.joinUrl,
    });
    expect(Number((await participant(b.email))!.status_id)).toBe(2);

    // A registrant.added that arrives late, after its join was processed, must not erase attendance.
    sim.webhooks.setFaults({ drop: 1 });
    const c = person();
    const registeredAt = new Date().toISOString();
    const rc = sim.store.addRegistrant(webinarKey, c);
    await settle();
    sim.store.markAttendance(webinarKey, { registrantKey: rc.registrantKey });
    await settle();
    expect(Number((await participant(c.email))!.status_id)).toBe(2);
    expect((await participant(c.email))!.join_url).toBeNull();
    const late = `{"eventName":"registrant.added","eventVersion":"1.0.0","product":"g2w","eventKey":"late-${seq}","firstName":"${c.firstName}","lastName":"Hook","email":"${c.email}","status":"APPROVED","webinarKey":${webinarKey},"registrantKey":${rc.registrantKey},"joinUrl":"${rc.joinUrl}","registrationDate":"${registeredAt}","timestamp":"${registeredAt}"}`;
    const ts = String(Math.floor(Date.now() / 1000));
    await t
      .http()
      .post(CALLBACK)
      .set('Content-Type', 'application/json')
      .set(TIMESTAMP_HEADER, ts)
      .set(
        SIGNATURE_HEADER,
        hmacSha256Signature(sim.webhooks.currentSecret()!, ts, Buffer.from(late)),
      )
      .send(late)
      .expect(200);
    await settle();
    expect(await participant(c.email)).toMatchObject({
      registrant_key: rc.registrantKey,
      join_url: rc.joinUrl,
    });
    expect(Number((await participant(c.email))!.status_id)).toBe(2);
  });

  it('a dropped event is healed by the next reconciliation (a participant sync)', async () => {
    sim.webhooks.setFaults({ drop: 1 });
    const c = person();
    sim.store.addRegistrant(webinarKey, c);
    await settle();
    expect(sim.webhooks.deliveries.at(-1)?.result).toBe('dropped');
    expect(await participant(c.email)).toBeUndefined();
    await t.http().post(`/api/v1/webinars/${webinarId}/sync`).set(account.auth).expect(202);
    await settle();
    expect(await participant(c.email)).toMatchObject({ registration_status: 'approved' });
    // before any session ended, the poll does not reset attendance a join event brought
    expect(Number((await participant(attendedByWebhook))!.status_id)).toBe(2);
  });

  it('webhook changes are in the history: one row per processed batch and webinar, source webhook', async () => {
    type Change = { count: number; samples: string[] };
    type Entry = Record<'added' | 'cancelled' | 'attended' | 'statusChanged', Change> & {
      id: number;
      source: string;
      jobId: number | null;
    };
    const history = async (): Promise<Entry[]> =>
      (
        await t
          .http()
          .get(`/api/v1/webinars/${webinarId}/history?pageSize=200`)
          .set(account.auth)
          .expect(200)
      ).body.items;
    const before = await history();

    // Three registrations and a join delivered by the simulator, processed as one batch.
    const people = [person(), person(), person()];
    const added = people.map((p) => sim.store.addRegistrant(webinarKey, p));
    sim.store.markAttendance(webinarKey, { registrantKey: added[0].registrantKey });
    await settle();
    const afterAdds = await history();
    const fresh = afterAdds.filter((e) => !before.some((b) => b.id === e.id));
    expect(fresh).toHaveLength(1);
    expect(fresh[0]).toMatchObject({
      source: 'webhook',
      jobId: expect.any(Number),
      // Samples in event order; these three carry GoTo's same time, so any arrival order.
      added: { count: 3, samples: expect.arrayContaining(people.map((p) => p.email)) },
      attended: { count: 1, samples: [people[0].email] },
      cancelled: { count: 0, samples: [] },
      statusChanged: { count: 0, samples: [] },
    });
    expect(afterAdds[0].id).toBe(fresh[0].id); // newest first

    // GoTo's registrant.added with status CANCELLED (newer than the row): a cancellation.
    const at = new Date(t.app.get(Clock).now().getTime() + HOUR).toISOString();
    const cancel = `{"eventName":"registrant.added","eventVersion":"1.0.0","product":"g2w","eventKey":"cancel-${seq}","firstName":"${people[1].firstName}","lastName":"Hook","email":"${people[1].email}","status":"CANCELLED","webinarKey":${webinarKey},"registrantKey":${added[1].registrantKey},"timestamp":"${at}"}`;
    const ts = String(Math.floor(Date.now() / 1000));
    await t
      .http()
      .post(CALLBACK)
      .set('Content-Type', 'application/json')
      .set(TIMESTAMP_HEADER, ts)
      .set(
        SIGNATURE_HEADER,
        hmacSha256Signature(sim.webhooks.currentSecret()!, ts, Buffer.from(cancel)),
      )
      .send(cancel)
      .expect(200);
    await settle();
    expect(await participant(people[1].email)).toMatchObject({ registration_status: 'cancelled' });
    const [latest] = await history();
    expect(latest).toMatchObject({
      source: 'webhook',
      added: { count: 0 },
      cancelled: { count: 1, samples: [people[1].email] },
    });

    // A duplicate of an applied event changes nothing, so it writes no history.
    const n = (await history()).length;
    const dup = cancel.replace(`cancel-${seq}`, `cancel-again-${seq}`);
    const ts2 = String(Math.floor(Date.now() / 1000));
    await t
      .http()
      .post(CALLBACK)
      .set('Content-Type', 'application/json')
      .set(TIMESTAMP_HEADER, ts2)
      .set(
        SIGNATURE_HEADER,
        hmacSha256Signature(sim.webhooks.currentSecret()!, ts2, Buffer.from(dup)),
      )
      .send(dup)
      .expect(200);
    await settle();
    expect(await history()).toHaveLength(n);
  });

  it('when one event of a batch fails, the history still records the events that were applied', async () => {
    type Entry = { id: number; source: string; added: { count: number; samples: string[] } };
    const history = async (): Promise<Entry[]> =>
      (
        await t
          .http()
          .get(`/api/v1/webinars/${webinarId}/history?pageSize=200`)
          .set(account.auth)
          .expect(200)
      ).body.items;
    const before = await history();
    const people = [person(), person(), person()];
    // The middle person's event fails once with a non-payload error (the job retries it).
    const processor = t.app.get(WebhookEventProcessor);
    const original = processor.process.bind(processor);
    let failed = 0;
    const spy = jest.spyOn(processor, 'process').mockImplementation(async (event, allowed) => {
      if ('email' in event && event.email === people[1].email && failed++ === 0)
        throw new Error('connection lost');
      return original(event, allowed);
    });
    try {
      for (const p of people) sim.store.addRegistrant(webinarKey, p);
      await settle();
    } finally {
      spy.mockRestore();
    }
    expect(failed).toBeGreaterThan(0);
    for (const p of people) expect(await participant(p.email)).toBeDefined();
    const fresh = (await history()).filter((e) => !before.some((b) => b.id === e.id));
    expect(fresh.every((e) => e.source === 'webhook')).toBe(true);
    expect(fresh.reduce((n, e) => n + e.added.count, 0)).toBe(3);
    expect(fresh.flatMap((e) => e.added.samples).sort()).toEqual(people.map((p) => p.email).sort());
  });

  it('a bad or missing signature is refused with 401 and nothing is stored', async () => {
    const before = await eventCount();
    sim.webhooks.setFaults({ badSignature: 1 });
    const d = person();
    sim.store.addRegistrant(webinarKey, d);
    await settle();
    expect(sim.webhooks.deliveries.at(-1)).toMatchObject({ result: 401, badSignature: true });
    expect(await eventCount()).toBe(before);
    expect(await participant(d.email)).toBeUndefined();

    const body = JSON.stringify({
      eventName: 'registrant.added',
      eventKey: 'forged-1',
      webinarKey: webinarKey,
      registrantKey: '1',
      email: 'x@example.com',
    });
    await t.http().post(CALLBACK).set('Content-Type', 'application/json').send(body).expect(401);
    expect(await eventCount()).toBe(before);
  });

  it('signed but malformed → 400, unknown event → 200 ignored, oversized → 413', async () => {
    const secret = sim.webhooks.currentSecret()!;
    const signed = (text: string) => {
      const ts = String(Math.floor(Date.now() / 1000));
      return t
        .http()
        .post(CALLBACK)
        .set('Content-Type', 'application/json')
        .set(TIMESTAMP_HEADER, ts)
        .set(SIGNATURE_HEADER, hmacSha256Signature(secret, ts, Buffer.from(text)));
    };
    await signed('{"eventName":').send('{"eventName":').expect(400);
    const noKey = '{"eventName":"registrant.added","webinarKey":1}';
    const res400 = await signed(noKey).send(noKey).expect(400);
    expect(res400.body.errors[0].field).toBe('eventKey');
    const unknown = '{"eventName":"survey.submitted","eventKey":"s1","webinarKey":1}';
    const ok = await signed(unknown).send(unknown).expect(200);
    expect(ok.body).toEqual({ received: 0, duplicates: 0, ignored: 1 });
    const big = JSON.stringify({ eventName: 'x', pad: 'a'.repeat(200_000) });
    await signed(big).send(big).expect(413);
  });

  it('webinar.created / webinar.changed upsert the webinar and its groups; DELETED cancels it', async () => {
    const start = Date.now() + 72 * HOUR;
    const w = sim.store.addWebinar(orgKey, {
      subject: 'Pushed webinar',
      times: [
        { startTime: new Date(start).toISOString(), endTime: new Date(start + HOUR).toISOString() },
      ],
    });
    await settle();
    const [row] = await ds.query(
      'SELECT id, subject, status FROM webinar WHERE account_id = ? AND webinar_key = ?',
      [account.id, w.webinarKey],
    );
    expect(row).toMatchObject({ subject: 'Pushed webinar', status: 'scheduled' });
    const groups = await ds.query('SELECT kind FROM target_group WHERE webinar_id = ?', [row.id]);
    expect(groups.map((g: Row) => g.kind).sort()).toEqual([
      'attended',
      'not_attended',
      'registered',
    ]);
    sim.store.cancelWebinar(w.webinarKey);
    await settle();
    const [after] = await ds.query('SELECT status FROM webinar WHERE id = ?', [row.id]);
    expect(after.status).toBe('cancelled');
  });

  it('an event about a webinar we do not have queues the organizer sync that fills the gap', async () => {
    sim.webhooks.setFaults({ drop: 1 });
    const start = Date.now() + 96 * HOUR;
    const w = sim.store.addWebinar(orgKey, {
      subject: 'Missed creation',
      times: [
        { startTime: new Date(start).toISOString(), endTime: new Date(start + HOUR).toISOString() },
      ],
    });
    await sim.webhooks.idle();
    const p = person();
    sim.store.addRegistrant(w.webinarKey, p);
    await settle();
    const rows = await ds.query(
      `SELECT s.email FROM webinar_participant p JOIN subscriber s ON s.id = p.subscriber_id
         JOIN webinar w ON w.id = p.webinar_id WHERE w.account_id = ? AND w.webinar_key = ?`,
      [account.id, w.webinarKey],
    );
    expect(rows.map((r: Row) => r.email)).toContain(p.email);
  });

  it('deactivating the organizer switches its subscription off; reactivating switches it on', async () => {
    await t
      .http()
      .patch(`/api/v1/organizers/${organizerId}`)
      .set(account.auth)
      .send({ active: false })
      .expect(200);
    await settle();
    expect(orgSubs().every((s) => s.userSubscriptionState === 'INACTIVE')).toBe(true);
    expect((await organizerView()).realTimeUpdates).toMatchObject({
      state: 'off',
      reason: 'organizer is deactivated',
    });
    const delivered = sim.webhooks.deliveries.length;
    sim.store.addRegistrant(webinarKey, person());
    await settle();
    expect(sim.webhooks.deliveries.length).toBe(delivered);

    await t
      .http()
      .patch(`/api/v1/organizers/${organizerId}`)
      .set(account.auth)
      .send({ active: true })
      .expect(200);
    await settle();
    expect(orgSubs().every((s) => s.userSubscriptionState === 'ACTIVE')).toBe(true);
    expect((await organizerView()).realTimeUpdates.state).toBe('on');
  });

  it('the account switch turns real-time updates off and on', async () => {
    const put = (realTimeUpdates: boolean) =>
      t
        .http()
        .put('/api/v1/webinar-integration/settings')
        .set(account.auth)
        .send({ realTimeUpdates })
        .expect(200);
    expect((await put(false)).body.realTimeUpdates).toBe(false);
    await settle();
    expect(orgSubs().every((s) => s.userSubscriptionState === 'INACTIVE')).toBe(true);
    expect((await organizerView()).realTimeUpdates).toMatchObject({
      state: 'off',
      reason: 'real-time updates are switched off for this account',
    });
    await put(true);
    await settle();
    expect(orgSubs().every((s) => s.userSubscriptionState === 'ACTIVE')).toBe(true);
    expect((await organizerView()).realTimeUpdates.state).toBe('on');
  });

  // SQLite runs one process; on MySQL a second instance shares the database and the named lock.
  (dialect === 'mysql' ? it : it.skip)(
    'two instances setting up at once make one secret key and one set of webhooks',
    async () => {
      sim.webhooks.webhooks.clear();
      sim.webhooks.subscriptions.clear();
      sim.webhooks.secrets.length = 0;
      await ds.query('DELETE FROM goto_webhook_setup');
      const second = await Test.createTestingModule({ imports: [AppModule.forRoot(t.config)] })
        .overrideProvider(GOTO_WEBINAR_OPTIONS)
        .useValue({ baseDelayMs: 5, maxDelayMs: 20 })
        .compile();
      const app2 = second.createNestApplication({ logger: false });
      await app2.init();
      try {
        const auth1 = (await t.app.get(OrganizersService).getForSync(organizerId)).auth;
        const auth2 = (await app2.get(OrganizersService).getForSync(organizerId)).auth;
        const [k1, k2] = await Promise.all([
          t.app.get(WebhookDeveloperSetup).ensure(auth1, true),
          app2.get(WebhookDeveloperSetup).ensure(auth2, true),
        ]);
        expect(sim.webhooks.secrets).toHaveLength(1);
        expect(sim.webhooks.webhooks.size).toBe(4);
        expect(k2).toEqual(k1);
      } finally {
        await app2.close();
      }
    },
  );
});
