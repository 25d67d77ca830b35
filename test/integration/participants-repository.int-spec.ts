import 'reflect-metadata';
import { DataSource } from 'typeorm';
import {
  ParticipantWriteStats,
  ParticipantsRepository,
} from '../../src/participants/participants.repository';
import {
  buildMergedParticipant,
  buildMergedParticipants,
} from '../support/factories/participant.factory';
import {
  createTestDatabase,
  describeEachDialect,
  openMigratedDataSource,
  TestDatabase,
} from '../support/test-database';

const NOW = new Date('2026-11-29T12:00:00Z');

describeEachDialect('participants repository', (dialect) => {
  let db: TestDatabase;
  let ds: DataSource;
  let repo: ParticipantsRepository;
  let nextAccount = 1;

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    ds = await openMigratedDataSource(db);
    repo = new ParticipantsRepository(ds);
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  const participants = (webinarId: number) =>
    ds.query(
      `SELECT s.email, s.first_name, s.last_name, p.registrant_key, p.webinar_participant_status_id AS status,
              p.registration_status, p.attendance_seconds, p.sessions_attended, p.registered_at
         FROM webinar_participant p JOIN subscriber s ON s.id = p.subscriber_id
        WHERE p.webinar_id = ? ORDER BY s.email`,
      [webinarId],
    );
  const subscriberCount = async (accountId: number) =>
    Number(
      (await ds.query('SELECT COUNT(*) AS n FROM subscriber WHERE account_id = ?', [accountId]))[0]
        .n,
    );

  it('inserts subscribers and participants, then a re-sync with no change writes nothing', async () => {
    const account = nextAccount++;
    const merged = buildMergedParticipants(1203, 'a');
    const first = await repo.syncWebinarParticipants(account, 101, merged, NOW);
    expect(first).toEqual({
      subscribersInserted: 1203,
      subscribersUpdated: 0,
      participantsInserted: 1203,
      participantsUpdated: 0,
      participantsCancelled: 0,
      rowsWritten: 2406,
    });
    const rows = await participants(101);
    expect(rows).toHaveLength(1203);
    const attended = rows.filter((r: { status: number | string }) => Number(r.status) === 2);
    expect(attended).toHaveLength(merged.filter((m) => m.attended).length);
    // 64-bit keys exactly
    expect(rows.map((r: { registrant_key: string }) => r.registrant_key).sort()).toEqual(
      merged.map((m) => m.registrantKey).sort(),
    );

    const again = await repo.syncWebinarParticipants(
      account,
      101,
      merged,
      new Date(NOW.getTime() + 60_000),
    );
    expect(again.rowsWritten).toBe(0);
  });

  it('updates only changed rows; a registrant who disappears is cancelled (kept), and comes back', async () => {
    const account = nextAccount++;
    const merged = buildMergedParticipants(5, 'b');
    await repo.syncWebinarParticipants(account, 201, merged, NOW);

    const changed = merged.map((m, i) =>
      i === 1
        ? {
            ...m,
            attended: true,
            attendanceSeconds: 90,
            sessionsAttended: 1,
            firstJoinedAt: NOW,
            lastLeftAt: NOW,
          }
        : m,
    );
    const withoutLast = changed.slice(0, 4);
    const second = await repo.syncWebinarParticipants(account, 201, withoutLast, NOW);
    expect(second).toMatchObject({
      participantsUpdated: 1,
      participantsInserted: 0,
      participantsCancelled: 1,
      rowsWritten: 2,
    });
    const rows = await participants(201);
    expect(rows).toHaveLength(5);
    expect(
      rows.find((r: { email: string }) => r.email === 'b4@example.com').registration_status,
    ).toBe('cancelled');
    expect(Number(rows.find((r: { email: string }) => r.email === 'b1@example.com').status)).toBe(
      2,
    );

    expect((await repo.syncWebinarParticipants(account, 201, withoutLast, NOW)).rowsWritten).toBe(
      0,
    );
    const back = await repo.syncWebinarParticipants(account, 201, changed, NOW);
    expect(back).toMatchObject({ participantsUpdated: 1, rowsWritten: 1 });
    expect(
      (await participants(201)).find((r: { email: string }) => r.email === 'b4@example.com')
        .registration_status,
    ).toBe('approved');
  });

  it('one subscriber per (account, email) across webinars; another account gets its own', async () => {
    const account = nextAccount++;
    const other = nextAccount++;
    const p = buildMergedParticipant({ email: 'same@example.com' });
    await repo.syncWebinarParticipants(account, 301, [p], NOW);
    const second = await repo.syncWebinarParticipants(account, 302, [p], NOW);
    expect(second).toMatchObject({
      subscribersInserted: 0,
      participantsInserted: 1,
      rowsWritten: 1,
    });
    await repo.syncWebinarParticipants(other, 303, [p], NOW);
    expect(await subscriberCount(account)).toBe(1);
    expect(await subscriberCount(other)).toBe(1);
  });

  it('names: set on creation, filled in when empty, never overwritten', async () => {
    const account = nextAccount++;
    await repo.syncWebinarParticipants(
      account,
      401,
      [buildMergedParticipant({ email: 'n@example.com', firstName: null, lastName: 'Orig' })],
      NOW,
    );
    const res = await repo.syncWebinarParticipants(
      account,
      402,
      [buildMergedParticipant({ email: 'n@example.com', firstName: 'Filled', lastName: 'Other' })],
      NOW,
    );
    expect(res).toMatchObject({ subscribersUpdated: 1, participantsInserted: 1 });
    const [row] = await participants(402);
    expect([row.first_name, row.last_name]).toEqual(['Filled', 'Orig']);
  });

  it('stores dates to the second exactly (UTC)', async () => {
    const account = nextAccount++;
    await repo.syncWebinarParticipants(
      account,
      501,
      [buildMergedParticipant({ registeredAt: new Date('2026-03-29T01:30:05Z') })],
      NOW,
    );
    const [row] = await participants(501);
    const v =
      row.registered_at instanceof Date
        ? row.registered_at.toISOString()
        : `${String(row.registered_at).replace(' ', 'T')}Z`;
    expect(new Date(v).toISOString()).toBe('2026-03-29T01:30:05.000Z');
  });

  it('concurrent syncs of two webinars sharing people create each subscriber once', async () => {
    const account = nextAccount++;
    const shared = buildMergedParticipants(300, 'c');
    const [x, y] = await Promise.all([
      repo.syncWebinarParticipants(account, 601, shared, NOW),
      repo.syncWebinarParticipants(account, 602, shared, NOW),
    ]);
    expect(x.participantsInserted + y.participantsInserted).toBe(600);
    expect(await subscriberCount(account)).toBe(300);
  });

  // Regression: on MariaDB, `INSERT … ON DUPLICATE KEY UPDATE id = id` into subscriber, when rows
  // conflicted with a concurrent job's fresh inserts, silently counted a run of the following
  // rows as duplicates too without inserting them ("Could not resolve N subscriber(s)").
  it('several concurrent syncs of one account with overlapping people, into an empty account, 20 rounds', async () => {
    const pool = buildMergedParticipants(3000, 'r');
    const countOf = async (sql: string, params: unknown[]) =>
      Number((await ds.query(sql, params))[0].n);
    for (let round = 0; round < 20; round++) {
      const account = nextAccount++;
      const webinars = [0, 1, 2, 3].map((k) => 7000 + round * 10 + k);
      // Each job its own slice, overlapping its neighbours; odd jobs in reverse, so the chunks of
      // concurrent jobs hold different people.
      const inputs = webinars.map((_, k) => {
        const mine = pool.slice(k * 400, k * 400 + 1800);
        return k % 2 ? [...mine].reverse() : mine;
      });
      const results = await Promise.allSettled(
        webinars.map((w, k) => repo.syncWebinarParticipants(account, w, inputs[k], NOW)),
      );
      const failed = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
      expect({ round, failed }).toEqual({ round, failed: [] });
      const stats = results.map((r) => (r as PromiseFulfilledResult<ParticipantWriteStats>).value);
      expect(await subscriberCount(account)).toBe(3000);
      expect(stats.reduce((n, s) => n + s.subscribersInserted, 0)).toBe(3000);
      for (const [k, w] of webinars.entries()) {
        expect(stats[k].participantsInserted).toBe(1800);
        expect(
          await countOf('SELECT COUNT(*) AS n FROM webinar_participant WHERE webinar_id = ?', [w]),
        ).toBe(1800);
      }
    }
  }, 120_000);

  // Emails are one subscriber only when equal after normalization (trim, NFC, lower case), on
  // every database: MariaDB's utf8mb4_unicode_ci unique key used to merge these.
  it('emails differing in accents, ß/ss or a trailing character are separate subscribers; the id cache agrees', async () => {
    const account = nextAccount++;
    const emails = [
      'john@x.com',
      'jöhn@x.com',
      'strasse@x.com',
      'straße@x.com',
      'jose@x.com',
      'josé@x.com',
      'ae@x.com',
      'æ@x.com',
    ];
    const people = emails.map((email, i) =>
      buildMergedParticipant({ email, registrantKey: String(i + 1) }),
    );
    const first = await repo.syncWebinarParticipants(account, 801, people, NOW);
    expect(first).toMatchObject({ subscribersInserted: 8, participantsInserted: 8 });
    expect((await participants(801)).map((r: { email: string }) => r.email).sort()).toEqual(
      [...emails].sort(),
    );
    // Another webinar in reverse order: every person finds their own subscriber (cache or database).
    const second = await repo.syncWebinarParticipants(account, 802, [...people].reverse(), NOW);
    expect(second).toMatchObject({ subscribersInserted: 0, participantsInserted: 8 });
    expect(await subscriberCount(account)).toBe(8);
    const ids = await ds.query('SELECT id, email FROM subscriber WHERE account_id = ?', [account]);
    const idOf = new Map(ids.map((r: { id: unknown; email: string }) => [r.email, Number(r.id)]));
    expect(new Set(idOf.values()).size).toBe(8);
    for (const p of people) expect(repo.subscriberIds.idFor(account, p)).toBe(idOf.get(p.email));
    // The database path (cache cleared) resolves each exactly as well.
    repo.subscriberIds.evictAccount(account);
    const third = await repo.syncWebinarParticipants(account, 803, people, NOW);
    expect(third).toMatchObject({ subscribersInserted: 0, participantsInserted: 8 });
    for (const p of people) expect(repo.subscriberIds.idFor(account, p)).toBe(idOf.get(p.email));
  });
});
