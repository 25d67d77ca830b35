import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { ParticipantSqlDialect } from '../../src/participants/participant-sql-dialect';
import { ParticipantsRepository } from '../../src/participants/participants.repository';
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
const EMAIL_LOOKUP = /FROM subscriber WHERE account_id = \? AND email IN/;

// The (account, email) → subscriber id cache of ParticipantsRepository (subscriber-id-cache.ts).
describeEachDialect('participants repository: subscriber id cache', (dialect) => {
  let db: TestDatabase;
  let ds: DataSource;
  let repo: ParticipantsRepository;
  let nextAccount = 1;
  let statements: string[];

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    ds = await openMigratedDataSource(db);
    repo = new ParticipantsRepository(ds);
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });
  beforeEach(() => {
    statements = [];
    const query = ParticipantSqlDialect.prototype.query;
    jest.spyOn(ParticipantSqlDialect.prototype, 'query').mockImplementation(function (
      this: ParticipantSqlDialect,
      m,
      sql,
      params,
    ) {
      statements.push(sql);
      return query.call(this, m, sql, params);
    });
  });
  afterEach(() => jest.restoreAllMocks());

  const emailLookups = () => statements.filter((s) => EMAIL_LOOKUP.test(s)).length;
  const subscribers = async (accountId: number) =>
    (
      await ds.query(
        'SELECT id, email, first_name, last_name FROM subscriber WHERE account_id = ?',
        [accountId],
      )
    )
      .map((r: Record<string, unknown>) => ({ ...r, id: Number(r.id) }))
      .sort((a: { email: string }, b: { email: string }) => (a.email < b.email ? -1 : 1));
  const participantEmails = async (webinarId: number) =>
    (
      await ds.query(
        `SELECT s.email FROM webinar_participant p JOIN subscriber s ON s.id = p.subscriber_id
          WHERE p.webinar_id = ?`,
        [webinarId],
      )
    )
      .map((r: { email: string }) => r.email)
      .sort();
  const participantRows = async (webinarId: number) =>
    Number(
      (
        await ds.query('SELECT COUNT(*) AS n FROM webinar_participant WHERE webinar_id = ?', [
          webinarId,
        ])
      )[0].n,
    );

  it('a second webinar with the same people: no lookup by email, no duplicate subscriber', async () => {
    const account = nextAccount++;
    const people = buildMergedParticipants(1203, 'same'); // more than one chunk on both databases
    const first = await repo.syncWebinarParticipants(account, 1001, people, NOW);
    expect(first).toMatchObject({ subscribersInserted: 1203, participantsInserted: 1203 });
    expect(emailLookups()).toBeGreaterThan(0);

    statements = [];
    const second = await repo.syncWebinarParticipants(account, 1002, [...people].reverse(), NOW);
    expect(second).toEqual({
      subscribersInserted: 0,
      subscribersUpdated: 0,
      participantsInserted: 1203,
      participantsUpdated: 0,
      participantsCancelled: 0,
      rowsWritten: 1203,
    });
    expect(emailLookups()).toBe(0);
    expect(await subscribers(account)).toHaveLength(1203);
    const emails = people.map((p) => p.email).sort();
    expect(await participantEmails(1002)).toEqual(emails);
    expect(await participantEmails(1001)).toEqual(emails);
    // The cached ids are the database's.
    for (const s of await subscribers(account))
      expect(repo.subscriberIds.get(account, s.email as string)?.id).toBe(s.id);

    // Another account with the same addresses is not served from this account's entries.
    const other = nextAccount++;
    statements = [];
    const third = await repo.syncWebinarParticipants(other, 1003, people.slice(0, 10), NOW);
    expect(third).toMatchObject({ subscribersInserted: 10, participantsInserted: 10 });
    expect(emailLookups()).toBeGreaterThan(0);
  });

  it('a cached subscriber without a name gets it filled when a later webinar brings it', async () => {
    const account = nextAccount++;
    const person = (firstName: string | null, lastName: string | null, registrantKey: string) =>
      buildMergedParticipant({ email: 'n@example.com', firstName, lastName, registrantKey });
    const named = buildMergedParticipant({ email: 'named@example.com', registrantKey: '9' });
    await repo.syncWebinarParticipants(account, 2001, [person(null, 'Orig', '1'), named], NOW);

    // No first name stored, this webinar brings one: the database path fills it.
    statements = [];
    const filled = await repo.syncWebinarParticipants(
      account,
      2002,
      [person('Filled', 'Other', '2'), named],
      NOW,
    );
    expect(filled).toMatchObject({ subscribersUpdated: 1, participantsInserted: 2 });
    expect(emailLookups()).toBe(1);
    expect(statements.find((s) => EMAIL_LOOKUP.test(s))).toMatch(/IN \(\?\)$/); // only n@
    expect(await subscribers(account)).toMatchObject([
      { email: 'n@example.com', first_name: 'Filled', last_name: 'Orig' },
      { email: 'named@example.com', first_name: 'Ada', last_name: 'Lovelace' },
    ]);

    // Both names set now: served from the cache; names are never overwritten.
    statements = [];
    const later = await repo.syncWebinarParticipants(
      account,
      2003,
      [person(null, null, '3'), named],
      NOW,
    );
    expect(later).toMatchObject({ subscribersUpdated: 0, participantsInserted: 2 });
    expect(emailLookups()).toBe(0);
    const last = await repo.syncWebinarParticipants(
      account,
      2004,
      [person('Again', 'Different', '4')],
      NOW,
    );
    expect(last).toMatchObject({ subscribersUpdated: 0, participantsInserted: 1 });
    expect(emailLookups()).toBe(0);
    expect((await subscribers(account))[0]).toMatchObject({
      first_name: 'Filled',
      last_name: 'Orig',
    });
    expect(await subscribers(account)).toHaveLength(2);
  });

  it('a subscriber deleted behind the cache: the next webinar recreates it, no orphan participant', async () => {
    const account = nextAccount++;
    const people = buildMergedParticipants(5, 'del');
    await repo.syncWebinarParticipants(account, 3001, people, NOW);
    const gone = (await subscribers(account)).find(
      (s: { email: string }) => s.email === people[2].email,
    );
    await ds.query('DELETE FROM webinar_participant WHERE subscriber_id = ?', [gone.id]);
    await ds.query('DELETE FROM subscriber WHERE id = ?', [gone.id]);

    const next = await repo.syncWebinarParticipants(account, 3002, people, NOW);
    expect(next).toMatchObject({ subscribersInserted: 1, participantsInserted: 5 });
    const after = await subscribers(account);
    expect(after).toHaveLength(5);
    const recreated = after.find((s: { email: string }) => s.email === people[2].email);
    expect(recreated.id).not.toBe(gone.id);
    expect(await participantEmails(3002)).toEqual(people.map((p) => p.email).sort());
    expect(await participantRows(3002)).toBe(5);
    const orphans = await ds.query(
      `SELECT COUNT(*) AS n FROM webinar_participant p LEFT JOIN subscriber s ON s.id = p.subscriber_id
        WHERE s.id IS NULL`,
    );
    expect(Number(orphans[0].n)).toBe(0);
    expect(repo.subscriberIds.get(account, people[2].email)?.id).toBe(recreated.id);

    // The webinar synced before the delete gets its participant back too.
    const again = await repo.syncWebinarParticipants(account, 3001, people, NOW);
    expect(again).toMatchObject({ subscribersInserted: 0, participantsInserted: 1 });
    expect(await participantEmails(3001)).toEqual(people.map((p) => p.email).sort());
  });

  it('an attempt that rolls back leaves nothing in the cache', async () => {
    const account = nextAccount++;
    const people = buildMergedParticipants(20, 'rb');
    jest
      .spyOn(
        ParticipantsRepository.prototype as unknown as { upsertParticipants: () => Promise<void> },
        'upsertParticipants',
      )
      .mockRejectedValueOnce(new Error('boom'));
    await expect(repo.syncWebinarParticipants(account, 4001, people, NOW)).rejects.toThrow('boom');
    expect(await subscribers(account)).toHaveLength(0); // the attempt's subscribers rolled back
    for (const p of people) expect(repo.subscriberIds.get(account, p.email)).toBeUndefined();

    statements = [];
    const retried = await repo.syncWebinarParticipants(account, 4001, people, NOW);
    expect(retried).toMatchObject({ subscribersInserted: 20, participantsInserted: 20 });
    expect(emailLookups()).toBeGreaterThan(0);
    for (const s of await subscribers(account))
      expect(repo.subscriberIds.get(account, s.email as string)?.id).toBe(s.id);
  });

  if (dialect === 'mysql')
    it('a deadlocked attempt run again: only the committed ids are cached', async () => {
      const account = nextAccount++;
      const people = buildMergedParticipants(20, 'dl');
      const upsert = jest.spyOn(
        ParticipantsRepository.prototype as unknown as {
          upsertParticipants: (m: unknown, rows: unknown[][]) => Promise<void>;
        },
        'upsertParticipants',
      );
      let rolledBack: number[] = [];
      upsert.mockImplementationOnce(async (_m, rows) => {
        rolledBack = rows.map((r) => Number(r[1]));
        throw Object.assign(new Error('Deadlock found'), { errno: 1213 });
      });
      const res = await repo.syncWebinarParticipants(account, 5001, people, NOW);
      expect(res).toMatchObject({ subscribersInserted: 20, participantsInserted: 20 });
      expect(upsert).toHaveBeenCalledTimes(2);
      const stored = await subscribers(account);
      expect(stored).toHaveLength(20);
      // InnoDB does not give AUTO_INCREMENT values back: the rolled-back attempt's ids differ.
      expect(stored.some((s: { id: number }) => rolledBack.includes(s.id))).toBe(false);
      for (const s of stored)
        expect(repo.subscriberIds.get(account, s.email as string)?.id).toBe(s.id);
    });
});
