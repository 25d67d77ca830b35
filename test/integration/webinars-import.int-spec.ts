import { DataSource } from 'typeorm';
import { GOTO_WEBINAR_OPTIONS } from '../../src/goto-webinar/goto-webinar.options';
import { OrganizerAuth } from '../../src/goto-webinar/goto-webinar.types';
import { RunningSimulator, startSimulator } from '../../src/simulator/simulator';
import { WebinarImportService } from '../../src/webinars/webinar-import.service';
import { WebinarsRepository } from '../../src/webinars/webinars.repository';
import { expectedWebinars } from '../support/factories/webinar-expectations';
import { createTestApp, TestApp } from '../support/test-app';
import { describeEachDialect } from '../support/test-database';

const DAY = 86_400_000;

describeEachDialect('webinar import', (dialect) => {
  let sim: RunningSimulator;
  let t: TestApp;
  let ds: DataSource;
  let importer: WebinarImportService;
  let auth: OrganizerAuth;
  let orgKey: string;
  let accountSeq = 1000;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, seed: 11, organizers: 1, webinars: 30, registrants: 1 });
    t = await createTestApp(dialect, {
      config: { goto: { apiUrl: sim.url, authUrl: sim.url, maxRps: 1000, maxRetries: 1 } },
      override: (b) =>
        b.overrideProvider(GOTO_WEBINAR_OPTIONS).useValue({ baseDelayMs: 5, maxDelayMs: 20 }),
    });
    ds = t.app.get(DataSource);
    importer = t.app.get(WebinarImportService);
    const org = sim.store.listOrganizers()[0];
    orgKey = org.organizerKey;
    auth = {
      cacheKey: `import-test:${dialect}`,
      credentials: { method: 'password', email: org.email, password: org.password },
    };
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

  const run = (accountId: number, organizerId: number, now = new Date()) =>
    importer.importOrganizer({ accountId, organizerId, organizerKey: orgKey, auth, now });
  const rows = (accountId: number) =>
    ds.query(
      'SELECT id, webinar_key, subject, status, starts_at, sessions FROM webinar WHERE account_id = ? ORDER BY id',
      [accountId],
    );

  it('imports exactly the webinars in the window; a second import writes nothing', async () => {
    const accountId = ++accountSeq;
    const expected = expectedWebinars(sim, orgKey, new Date());
    const first = await run(accountId, 1);
    expect(first).toMatchObject({
      webinarsSeen: expected.length,
      webinarsInserted: expected.length,
      webinarsCancelled: 0,
      rowsWritten: expected.length,
    });
    expect(first.webinars).toHaveLength(expected.length);
    const stored = await rows(accountId);
    expect(stored.map((r: { webinar_key: string }) => r.webinar_key).sort()).toEqual(
      expected.map((w) => w.webinarKey).sort(),
    );
    // the dataset has webinars outside the window (more than a year away): not imported
    expect(sim.store.listWebinars(orgKey).length).toBeGreaterThan(expected.length);

    const second = await run(accountId, 1);
    expect(second).toMatchObject({
      webinarsInserted: 0,
      webinarsUpdated: 0,
      webinarsUnchanged: expected.length,
      rowsWritten: 0,
    });
  });

  it('a rescheduled webinar is updated; status follows the last session end', async () => {
    const accountId = ++accountSeq;
    await run(accountId, 1);
    const w = expectedWebinars(sim, orgKey, new Date()).find(
      (x) => x.recurrenceType === 'single_session',
    )!;
    const start = Date.now() + 3 * DAY;
    // Its attendance was final by the old times: not any more once the times change.
    const [{ id }] = await ds.query(
      'SELECT id FROM webinar WHERE account_id = ? AND webinar_key = ?',
      [accountId, w.webinarKey],
    );
    await t.app.get(WebinarsRepository).recordParticipantRead(Number(id), {
      at: new Date(),
      changed: true,
      counts: { registrants: 0, walkIns: 0, attendees: 0 },
      attendanceFinal: true,
    });
    const finalAt = async () =>
      (await ds.query('SELECT attendance_final_at FROM webinar WHERE id = ?', [Number(id)]))[0]
        .attendance_final_at;
    expect(await finalAt()).not.toBeNull();
    sim.store.rescheduleWebinar(w.webinarKey, [
      {
        startTime: new Date(start).toISOString(),
        endTime: new Date(start + 3_600_000).toISOString(),
      },
    ]);
    const res = await run(accountId, 1);
    expect(res).toMatchObject({ webinarsUpdated: 1, rowsWritten: 1 });
    const row = (await rows(accountId)).find(
      (r: { webinar_key: string }) => r.webinar_key === w.webinarKey,
    );
    expect(row.status).toBe('scheduled');
    expect(await finalAt()).toBeNull();
    expect(JSON.parse(row.sessions)).toEqual([
      {
        startTime: new Date(Math.floor(start / 1000) * 1000).toISOString(),
        endTime: new Date(Math.floor(start / 1000) * 1000 + 3_600_000).toISOString(),
      },
    ]);
    // later, once it is over: ended
    const later = await run(accountId, 1, new Date(start + 2 * 3_600_000));
    expect(later.webinarsUpdated).toBeGreaterThanOrEqual(1);
    expect(
      (await rows(accountId)).find((r: { webinar_key: string }) => r.webinar_key === w.webinarKey)
        .status,
    ).toBe('ended');
  });

  it('cancelled in GoTo -> cancelled here (kept); a stored webinar outside the window is left alone', async () => {
    const accountId = ++accountSeq;
    const organizerId = 77;
    await run(accountId, organizerId);
    const w = expectedWebinars(sim, orgKey, new Date())[0];
    // an old webinar imported long ago, now outside the window: GoTo does not return it, it is not cancelled
    await ds.query(
      `INSERT INTO webinar (account_id, organizer_id, webinar_key, subject, starts_at, ends_at, recurrence_type, sessions, status, created_at, updated_at)
       VALUES (?, ?, '18446744073709551615', 'Old', ?, ?, 'single_session', ?, 'ended', ?, ?)`,
      [
        accountId,
        organizerId,
        ...(dialect === 'sqlite'
          ? ['2020-01-01 10:00:00.000', '2020-01-01 11:00:00.000']
          : [new Date('2020-01-01T10:00:00Z'), new Date('2020-01-01T11:00:00Z')]),
        JSON.stringify([
          { startTime: '2020-01-01T10:00:00.000Z', endTime: '2020-01-01T11:00:00.000Z' },
        ]),
        ...(dialect === 'sqlite'
          ? ['2020-01-01 10:00:00.000', '2020-01-01 10:00:00.000']
          : [new Date(), new Date()]),
      ],
    );
    sim.store.cancelWebinar(w.webinarKey);
    const res = await run(accountId, organizerId);
    expect(res).toMatchObject({ webinarsCancelled: 1 });
    const stored = await rows(accountId);
    expect(stored.find((r: { webinar_key: string }) => r.webinar_key === w.webinarKey).status).toBe(
      'cancelled',
    );
    expect(
      stored.find((r: { webinar_key: string }) => r.webinar_key === '18446744073709551615').status,
    ).toBe('ended');
    expect((await run(accountId, organizerId)).rowsWritten).toBe(0);
  });

  it('a page GoTo sends malformed fails the import without writing anything', async () => {
    const accountId = ++accountSeq;
    sim.faults.inject({ type: 'malformed-json', count: 1, path: '/webinars$' });
    await expect(run(accountId, 1)).rejects.toMatchObject({ code: 'INVALID_RESPONSE' });
    expect(await rows(accountId)).toHaveLength(0);
  });
});
