import { parse } from 'csv-parse/sync';
import { DataSource } from 'typeorm';
import { RunningSimulator, startSimulator } from '../../src/simulator/simulator';
import { createOrganizerTestApp, linkOrganizer } from '../support/factories/organizer.factory';
import { drainQueue } from '../support/sync/drain-queue';
import { TestApp } from '../support/test-app';
import { describeEachDialect } from '../support/test-database';

// CSV exports: RFC 4180 (parsed back with csv-parse), named columns, a filename, formula cells
// neutralised, every row across several keyset batches, and the usual 404/400 rules.
describeEachDialect('CSV exports', (dialect) => {
  let sim: RunningSimulator;
  let t: TestApp;
  let ds: DataSource;
  let account: Awaited<ReturnType<TestApp['createAccount']>>;
  let webinarId: number;
  const BIG = 4600; // more than two export batches (2000)
  const nasty = [
    { firstName: '=HYPERLINK("http://evil")', lastName: '+1', email: 'formula1@example.com' },
    { firstName: '-2', lastName: '@SUM(A1)', email: 'formula2@example.com' },
    { firstName: 'Zoë, "the"', lastName: 'Ünïcode 🎉', email: 'unicode@example.com' },
    { firstName: '\tTab', lastName: 'Line\nBreak', email: 'whitespace@example.com' },
  ];

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, organizers: 1, webinars: 1, registrants: 3 });
    const org = sim.store.listOrganizers()[0];
    const start = new Date(sim.store.now().getTime() + 3 * 86_400_000);
    const w = sim.store.addWebinar(org.organizerKey, {
      subject: 'Export me',
      times: [
        {
          startTime: start.toISOString(),
          endTime: new Date(start.getTime() + 3600_000).toISOString(),
        },
      ],
      registrants: BIG,
    });
    for (const n of nasty) sim.store.addRegistrant(w.webinarKey, n);
    t = await createOrganizerTestApp(dialect, sim);
    ds = t.app.get(DataSource);
    account = await t.createAccount();
    expect((await linkOrganizer(t, account, org)).status).toBe(201);
    await drainQueue(t.app, { advanceClock: true });
    const [row] = await ds.query('SELECT id FROM webinar WHERE account_id = ? AND subject = ?', [
      account.id,
      'Export me',
    ]);
    webinarId = Number(row.id);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

  const get = (path: string, auth = account.auth) =>
    t
      .http()
      .get(path)
      .set(auth)
      .buffer(true)
      .parse((res, cb) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => cb(null, text));
      });

  it('GET /webinars/:id/participants/export streams every participant as RFC 4180 CSV', async () => {
    const res = await get(`/api/v1/webinars/${webinarId}/participants/export`).expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="webinar-${webinarId}-participants.csv"`,
    );
    const text = res.body as string;
    expect(text.startsWith('email,first_name,last_name,status,registration_status,')).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    const rows: Record<string, string>[] = parse(text, { columns: true });
    const stored: { email: string }[] = await ds.query(
      'SELECT s.email AS email FROM webinar_participant p JOIN subscriber s ON s.id = p.subscriber_id WHERE p.webinar_id = ?',
      [webinarId],
    );
    expect(stored.length).toBeGreaterThan(4000); // the simulator's data has duplicates and bad emails
    expect(rows.map((r) => r.email).sort()).toEqual(stored.map((s) => s.email).sort());
    const by = new Map(rows.map((r) => [r.email, r]));
    expect(by.get('formula1@example.com')).toMatchObject({
      first_name: `'=HYPERLINK("http://evil")`,
      last_name: "'+1",
      status: 'not_attended',
      registration_status: 'approved',
    });
    expect(by.get('formula2@example.com')).toMatchObject({
      first_name: "'-2",
      last_name: "'@SUM(A1)",
    });
    expect(by.get('unicode@example.com')).toMatchObject({
      first_name: 'Zoë, "the"',
      last_name: 'Ünïcode 🎉',
    });
    // Names are trimmed at the merge; an embedded line break survives, quoted.
    expect(by.get('whitespace@example.com')).toMatchObject({
      first_name: 'Tab',
      last_name: 'Line\nBreak',
    });
    expect(text).toContain('"Line\nBreak"');
  });

  it('GET /target-groups/:id/members/export streams the current members', async () => {
    const groups = await t
      .http()
      .get(`/api/v1/target-groups?webinarId=${webinarId}`)
      .set(account.auth)
      .expect(200);
    const registered = groups.body.items.find((g: { kind: string }) => g.kind === 'registered');
    expect(registered.memberCount).toBeGreaterThan(4000);
    const res = await get(`/api/v1/target-groups/${registered.id}/members/export`).expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="target-group-${registered.id}-registered.csv"`,
    );
    const rows: Record<string, string>[] = parse(res.body as string, { columns: true });
    expect(Object.keys(rows[0])).toEqual(['email', 'first_name', 'last_name', 'subscriber_id']);
    expect(rows).toHaveLength(registered.memberCount);
    expect(new Set(rows.map((r) => r.subscriber_id)).size).toBe(rows.length);
    const ids = rows.map((r) => Number(r.subscriber_id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));

    const attended = groups.body.items.find((g: { kind: string }) => g.kind === 'attended');
    const none = await get(`/api/v1/target-groups/${attended.id}/members/export`).expect(200);
    expect(none.body).toBe('email,first_name,last_name,subscriber_id\r\n');
  });

  it("another account's webinar or group is a 404, a bad id a 400 naming it", async () => {
    const other = await t.createAccount();
    await get(`/api/v1/webinars/${webinarId}/participants/export`, other.auth).expect(404);
    const [g] = await ds.query('SELECT id FROM target_group WHERE account_id = ?', [account.id]);
    await get(`/api/v1/target-groups/${g.id}/members/export`, other.auth).expect(404);
    const bad = await t
      .http()
      .get('/api/v1/webinars/abc/participants/export')
      .set(account.auth)
      .expect(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'id' })]);
    await t.http().get(`/api/v1/webinars/${webinarId}/participants/export`).expect(401);
  });
});
