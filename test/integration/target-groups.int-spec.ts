import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { AccountsModule } from '../../src/accounts/accounts.module';
import { AccountsService } from '../../src/accounts/accounts.service';
import { CommonModule } from '../../src/common/common.module';
import { ConfigModule } from '../../src/config/config.module';
import { DatabaseModule } from '../../src/database/database.module';
import { LoggingModule } from '../../src/logging/logging.module';
import { TargetGroupsModule } from '../../src/target-groups/target-groups.module';
import { IntegrationSettingsService } from '../../src/integration-settings/integration-settings.service';
import { Subscriber } from '../../src/participants/subscriber.entity';
import {
  RegistrationStatus,
  WebinarParticipant,
} from '../../src/participants/webinar-participant.entity';
import { TargetGroupFolder } from '../../src/target-group-folders/target-group-folder.entity';
import { TargetGroup } from '../../src/target-groups/target-group.entity';
import { TargetGroupCreationService } from '../../src/target-groups/target-group-creation.service';
import { TargetGroupsService } from '../../src/target-groups/target-groups.service';
import { Webinar } from '../../src/webinars/webinar.entity';
import { testConfig } from '../support/test-config';
import { createTestDatabase, describeEachDialect, Dialect } from '../support/test-database';

// The target-groups slice of the app (its module and what it imports, on a real, migrated database),
// so this suite does not depend on unrelated modules being complete.
async function createSliceApp(dialect: Dialect) {
  const db = await createTestDatabase(dialect);
  const config = testConfig({ database: db.config });
  const moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(config),
      LoggingModule,
      DatabaseModule,
      CommonModule,
      AccountsModule,
      TargetGroupsModule,
    ],
  }).compile();
  const app: INestApplication = moduleRef.createNestApplication({ logger: false });
  await app.init();
  let seq = 0;
  return {
    app,
    createAccount: async () => ({
      id: (await app.get(AccountsService).create(`TG account ${++seq}`)).id,
    }),
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}

// Rows go in directly (webinar import and participant sync are other modules' business); the
// service under test is the real one, in the real app, on each database.
describeEachDialect('target groups', (dialect) => {
  let t: Awaited<ReturnType<typeof createSliceApp>>;
  let ds: DataSource;
  let svc: TargetGroupsService;
  let creation: TargetGroupCreationService;
  let settings: IntegrationSettingsService;
  let keySeq = 1000;

  beforeAll(async () => {
    t = await createSliceApp(dialect);
    ds = t.app.get(DataSource);
    svc = t.app.get(TargetGroupsService);
    creation = t.app.get(TargetGroupCreationService);
    settings = t.app.get(IntegrationSettingsService);
  });
  afterAll(async () => t?.close());

  async function webinar(accountId: number, over: Partial<Webinar> = {}): Promise<Webinar> {
    const startsAt = over.startsAt ?? new Date('2026-12-03T19:00:00Z');
    return ds.getRepository(Webinar).save(
      ds.getRepository(Webinar).create({
        accountId,
        organizerId: 1,
        webinarKey: String(++keySeq),
        subject: 'Q4 Product Update',
        startsAt,
        endsAt: new Date(startsAt.getTime() + 3600_000),
        sessions: [
          {
            startTime: startsAt.toISOString(),
            endTime: new Date(startsAt.getTime() + 3600_000).toISOString(),
          },
        ],
        ...over,
      }),
    );
  }

  type P = [email: string, statusId: 1 | 2, registration: RegistrationStatus];
  async function participants(
    accountId: number,
    webinarId: number,
    rows: P[],
  ): Promise<Record<string, number>> {
    const ids: Record<string, number> = {};
    for (const [email, statusId, registrationStatus] of rows) {
      let sub = await ds.getRepository(Subscriber).findOneBy({ accountId, email });
      sub ??= await ds
        .getRepository(Subscriber)
        .save({ accountId, email, firstName: email.split('@')[0], lastName: 'Test' });
      ids[email] = sub.id;
      await ds.getRepository(WebinarParticipant).save({
        webinarId,
        subscriberId: sub.id,
        webinarParticipantStatusId: statusId,
        registrationStatus,
      });
    }
    return ids;
  }

  const groupsOf = (webinarId: number) =>
    ds.getRepository(TargetGroup).find({ where: { webinarId }, order: { id: 'ASC' } });
  const byKind = async (webinarId: number) =>
    Object.fromEntries((await groupsOf(webinarId)).map((g) => [g.kind, g]));
  const memberEmails = async (accountId: number, groupId: number) =>
    (await svc.members(accountId, groupId, 1, 200)).items.map((m) => m.email).sort();

  it('creates Registered, Attended and Not Attended in the default folder, named in America/New_York', async () => {
    const a = await t.createAccount();
    const w = await webinar(a.id);
    expect(await creation.ensureForWebinars(a.id, [w.id])).toEqual({ created: 3 });
    const groups = await groupsOf(w.id);
    const folder = await ds
      .getRepository(TargetGroupFolder)
      .findOneByOrFail({ accountId: a.id, name: 'Webinars' });
    expect(groups.map((g) => [g.kind, g.name, g.folderId, g.accountId])).toEqual([
      ['registered', 'Q4 Product Update - Dec 3, 2026 2:00 PM EST - Registered', folder.id, a.id],
      ['attended', 'Q4 Product Update - Dec 3, 2026 2:00 PM EST - Attended', folder.id, a.id],
      [
        'not_attended',
        'Q4 Product Update - Dec 3, 2026 2:00 PM EST - Not Attended',
        folder.id,
        a.id,
      ],
    ]);
  });

  it('membership follows the participant rows (registered / attended / not attended rules)', async () => {
    const a = await t.createAccount();
    const w = await webinar(a.id);
    await creation.ensureForWebinars(a.id, [w.id]);
    await participants(a.id, w.id, [
      ['approved-absent@x.test', 1, 'approved'],
      ['approved-present@x.test', 2, 'approved'],
      ['waiting@x.test', 1, 'waiting'],
      ['denied@x.test', 1, 'denied'],
      ['cancelled@x.test', 1, 'cancelled'],
      ['cancelled-but-came@x.test', 2, 'cancelled'],
    ]);
    const g = await byKind(w.id);
    expect(await memberEmails(a.id, g.registered.id)).toEqual([
      'approved-absent@x.test',
      'approved-present@x.test',
      'waiting@x.test',
    ]);
    expect(await memberEmails(a.id, g.attended.id)).toEqual([
      'approved-present@x.test',
      'cancelled-but-came@x.test',
    ]);
    expect(await memberEmails(a.id, g.not_attended.id)).toEqual(['approved-absent@x.test']);
    expect((await svc.get(a.id, g.registered.id)).memberCount).toBe(3);

    // always current: a participant update shows at once, no sync step in between
    await ds
      .getRepository(WebinarParticipant)
      .update({ webinarId: w.id }, { webinarParticipantStatusId: 2 });
    expect(await memberEmails(a.id, g.not_attended.id)).toEqual([]);
    expect((await svc.get(a.id, g.attended.id)).memberCount).toBe(6);
  });

  it('members are paged in subscriber id order with the total', async () => {
    const a = await t.createAccount();
    const w = await webinar(a.id);
    await creation.ensureForWebinars(a.id, [w.id]);
    const ids = await participants(
      a.id,
      w.id,
      Array.from({ length: 7 }, (_, i): P => [`p${i}@x.test`, 2, 'approved']),
    );
    const g = await byKind(w.id);
    const p1 = await svc.members(a.id, g.attended.id, 1, 3);
    const p3 = await svc.members(a.id, g.attended.id, 3, 3);
    expect(p1).toMatchObject({ page: 1, pageSize: 3, total: 7 });
    expect(p1.items.map((m) => m.id)).toEqual(
      Object.values(ids)
        .sort((x, y) => x - y)
        .slice(0, 3),
    );
    expect(p1.items[0]).toEqual({
      id: ids['p0@x.test'],
      email: 'p0@x.test',
      firstName: 'p0',
      lastName: 'Test',
    });
    expect(p3.items).toHaveLength(1);
  });

  it('uses the configured folder and the current time zone; a zone change renames nothing', async () => {
    const a = await t.createAccount();
    const folder = await ds
      .getRepository(TargetGroupFolder)
      .save({ accountId: a.id, name: 'Events 2026' });
    await settings.update(a.id, { targetGroupFolderId: folder.id });
    const w1 = await webinar(a.id, {
      subject: 'Summer Kickoff',
      startsAt: new Date('2026-07-15T14:00:00Z'),
    });
    await creation.ensureForWebinars(a.id, [w1.id]);
    const before = await groupsOf(w1.id);
    expect(before.map((g) => g.name)).toEqual([
      'Summer Kickoff - Jul 15, 2026 10:00 AM EDT - Registered',
      'Summer Kickoff - Jul 15, 2026 10:00 AM EDT - Attended',
      'Summer Kickoff - Jul 15, 2026 10:00 AM EDT - Not Attended',
    ]);
    expect(before.every((g) => g.folderId === folder.id)).toBe(true);

    await settings.update(a.id, { displayedTimeZone: 'Europe/London' });
    // the subject and time change too: still nothing is renamed
    await ds
      .getRepository(Webinar)
      .update({ id: w1.id }, { subject: 'Renamed', startsAt: new Date('2026-08-01T10:00:00Z') });
    expect(await creation.ensureForWebinars(a.id, [w1.id])).toEqual({ created: 0 });
    expect(await groupsOf(w1.id)).toEqual(before);

    const w2 = await webinar(a.id, {
      subject: 'Summer Kickoff',
      startsAt: new Date('2026-07-15T14:00:00Z'),
    });
    await creation.ensureForWebinars(a.id, [w2.id]);
    expect((await groupsOf(w2.id)).map((g) => g.name)).toEqual([
      'Summer Kickoff - Jul 15, 2026 3:00 PM BST - Registered',
      'Summer Kickoff - Jul 15, 2026 3:00 PM BST - Attended',
      'Summer Kickoff - Jul 15, 2026 3:00 PM BST - Not Attended',
    ]);
  });

  it('a recurring webinar is named by its first session', async () => {
    const a = await t.createAccount();
    const w = await webinar(a.id, {
      subject: 'Weekly Office Hours',
      recurrenceType: 'series',
      startsAt: new Date('2026-12-10T15:00:00Z'),
      sessions: [
        { startTime: '2026-12-10T15:00:00Z', endTime: '2026-12-10T16:00:00Z' },
        { startTime: '2026-12-03T15:00:00Z', endTime: '2026-12-03T16:00:00Z' },
      ],
    });
    await creation.ensureForWebinars(a.id, [w.id]);
    expect((await byKind(w.id)).registered.name).toBe(
      'Weekly Office Hours - Dec 3, 2026 10:00 AM EST - Registered',
    );
  });

  it('two webinars with the same subject and start in one folder get distinct names: " (2)" before the kind', async () => {
    const a = await t.createAccount();
    const w1 = await webinar(a.id, { subject: 'Demo Day' });
    const w2 = await webinar(a.id, { subject: '  Demo   Day ' });
    const w3 = await webinar(a.id, { subject: 'Demo Day' });
    expect(await creation.ensureForWebinars(a.id, [w1.id, w2.id, w3.id])).toEqual({ created: 9 });
    expect((await groupsOf(w1.id)).map((g) => g.name)[0]).toBe(
      'Demo Day - Dec 3, 2026 2:00 PM EST - Registered',
    );
    expect((await groupsOf(w2.id)).map((g) => g.name)).toEqual([
      'Demo Day - Dec 3, 2026 2:00 PM EST (2) - Registered',
      'Demo Day - Dec 3, 2026 2:00 PM EST (2) - Attended',
      'Demo Day - Dec 3, 2026 2:00 PM EST (2) - Not Attended',
    ]);
    expect((await groupsOf(w3.id)).map((g) => g.name)[2]).toBe(
      'Demo Day - Dec 3, 2026 2:00 PM EST (3) - Not Attended',
    );
  });

  it('same-name webinars ensured concurrently still end with distinct names and one set each', async () => {
    const a = await t.createAccount();
    const ws = await Promise.all(
      Array.from({ length: 4 }, () => webinar(a.id, { subject: 'Race' })),
    );
    await Promise.all(ws.map((w) => creation.ensureForWebinars(a.id, [w.id])));
    const rows = await ds.getRepository(TargetGroup).find({ where: { accountId: a.id } });
    expect(rows).toHaveLength(12);
    expect(new Set(rows.map((g) => g.name)).size).toBe(12);
    for (const w of ws)
      expect((await groupsOf(w.id)).map((g) => g.kind).sort()).toEqual([
        'attended',
        'not_attended',
        'registered',
      ]);
  });

  it('names equal under the database collation (MySQL: case and accents) get an ordinal instead of failing', async () => {
    const a = await t.createAccount();
    const w1 = await webinar(a.id, { subject: 'Café Talk' });
    const w2 = await webinar(a.id, { subject: 'cafe talk' });
    expect(await creation.ensureForWebinars(a.id, [w1.id, w2.id])).toEqual({ created: 6 });
    const second = (await byKind(w2.id)).registered.name;
    expect(second).toBe(
      dialect === 'mysql'
        ? 'cafe talk - Dec 3, 2026 2:00 PM EST (2) - Registered'
        : 'cafe talk - Dec 3, 2026 2:00 PM EST - Registered',
    );
  });

  it('a long subject fits the column on the database', async () => {
    const a = await t.createAccount();
    const w = await webinar(a.id, { subject: '🚀 Launch '.repeat(49) });
    await creation.ensureForWebinars(a.id, [w.id]);
    const g = await byKind(w.id);
    expect([...g.not_attended.name].length).toBeLessThanOrEqual(255);
    expect(g.not_attended.name).toMatch(/… - Dec 3, 2026 2:00 PM EST - Not Attended$/);
  });

  it("re-running creates nothing new and ignores other accounts' webinars", async () => {
    const a = await t.createAccount();
    const b = await t.createAccount();
    const w = await webinar(a.id);
    const foreign = await webinar(b.id);
    expect(await creation.ensureForWebinars(a.id, [w.id, foreign.id, 999999])).toEqual({
      created: 3,
    });
    expect(await creation.ensureForWebinars(a.id, [w.id, w.id])).toEqual({ created: 0 });
    expect(await groupsOf(w.id)).toHaveLength(3);
    expect(await groupsOf(foreign.id)).toHaveLength(0);
    expect(await creation.ensureForWebinars(a.id, [])).toEqual({ created: 0 });
    const own = await groupsOf(w.id);
    expect((await svc.findByIds(a.id, [own[0].id, 999999])).map((g) => g.id)).toEqual([own[0].id]);
    expect(await svc.findByIds(b.id, [own[0].id])).toEqual([]);
  });

  it('handles more webinars than one IN list holds (initial sync of a busy organizer)', async () => {
    const a = await t.createAccount();
    const n = 520;
    const rows = Array.from({ length: n }, (_, i) => {
      const startsAt = new Date(Date.UTC(2026, 0, 1) + i * 3600_000);
      return ds.getRepository(Webinar).create({
        accountId: a.id,
        organizerId: 1,
        webinarKey: String(++keySeq),
        subject: `Bulk ${i}`,
        startsAt,
        endsAt: startsAt,
        sessions: [],
      });
    });
    for (let i = 0; i < n; i += 100) {
      await ds
        .createQueryBuilder()
        .insert()
        .into(Webinar)
        .values(rows.slice(i, i + 100))
        .updateEntity(false)
        .execute();
    }
    const ids = (
      await ds.getRepository(Webinar).find({ select: { id: true }, where: { accountId: a.id } })
    ).map((w) => w.id);
    expect(await creation.ensureForWebinars(a.id, ids)).toEqual({ created: 3 * n });
    expect(await creation.ensureForWebinars(a.id, ids)).toEqual({ created: 0 });
    expect(await ds.getRepository(TargetGroup).count({ where: { accountId: a.id } })).toBe(3 * n);
  });

  it('concurrent ensure calls create exactly one set per webinar', async () => {
    const a = await t.createAccount();
    const ws = await Promise.all([
      webinar(a.id),
      webinar(a.id, { subject: 'Other' }),
      webinar(a.id, { subject: 'Third' }),
    ]);
    const ids = ws.map((w) => w.id);
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        creation.ensureForWebinars(a.id, i % 2 ? ids : [...ids].reverse()),
      ),
    );
    const rows = await ds.getRepository(TargetGroup).find({ where: { accountId: a.id } });
    expect(rows).toHaveLength(9);
    expect(results.reduce((n, r) => n + r.created, 0)).toBe(9);
    for (const w of ws)
      expect((await groupsOf(w.id)).map((g) => g.kind).sort()).toEqual([
        'attended',
        'not_attended',
        'registered',
      ]);
  });

  it('deactivating the integration or an organizer, or cancelling the webinar, keeps the groups and their members', async () => {
    const a = await t.createAccount();
    const w = await webinar(a.id);
    await creation.ensureForWebinars(a.id, [w.id]);
    await participants(a.id, w.id, [['kept@x.test', 2, 'approved']]);
    const before = await groupsOf(w.id);

    await settings.update(a.id, { active: false });
    await ds.query('UPDATE organizer SET active = 0 WHERE account_id = ?', [a.id]);
    await ds.getRepository(Webinar).update({ id: w.id }, { status: 'cancelled' });
    expect(await creation.ensureForWebinars(a.id, [w.id])).toEqual({ created: 0 });

    expect(await groupsOf(w.id)).toEqual(before);
    expect(await memberEmails(a.id, (await byKind(w.id)).attended.id)).toEqual(['kept@x.test']);
  });

  describe('memberSubscriberIds', () => {
    it('returns distinct subscriber ids across groups, ascending, scoped to the account', async () => {
      const a = await t.createAccount();
      const w1 = await webinar(a.id);
      const w2 = await webinar(a.id, { subject: 'Second' });
      await creation.ensureForWebinars(a.id, [w1.id, w2.id]);
      const s1 = await participants(a.id, w1.id, [
        ['both@x.test', 2, 'approved'],
        ['one@x.test', 1, 'approved'],
        ['gone@x.test', 1, 'cancelled'],
      ]);
      const s2 = await participants(a.id, w2.id, [
        ['both@x.test', 2, 'approved'],
        ['two@x.test', 2, 'approved'],
      ]);
      const g1 = await byKind(w1.id);
      const g2 = await byKind(w2.id);
      const ids = await svc.memberSubscriberIds(a.id, [
        g1.registered.id,
        g1.attended.id,
        g2.attended.id,
      ]);
      expect(ids).toEqual(
        [s1['both@x.test'], s1['one@x.test'], s2['two@x.test']].sort((x, y) => x - y),
      );
      expect(await svc.memberSubscriberIds(a.id, [g1.not_attended.id])).toEqual([s1['one@x.test']]);
      expect(await svc.memberSubscriberIds(a.id, [])).toEqual([]);

      // keyset pages and batches agree with the full answer
      const paged = [
        ...(await svc.memberSubscriberIds(a.id, [g1.registered.id, g2.attended.id], { limit: 2 })),
      ];
      paged.push(
        ...(await svc.memberSubscriberIds(a.id, [g1.registered.id, g2.attended.id], {
          afterId: paged[1],
          limit: 2,
        })),
      );
      const batches: number[][] = [];
      for await (const batch of svc.iterateMemberSubscriberIds(
        a.id,
        [g1.registered.id, g2.attended.id],
        2,
      ))
        batches.push(batch);
      expect(paged).toEqual(ids);
      expect(batches.flat()).toEqual(ids);
      expect(batches.map((b) => b.length)).toEqual([2, 1]);

      const b = await t.createAccount();
      await expect(svc.memberSubscriberIds(b.id, [g1.registered.id])).rejects.toMatchObject({
        kind: 'not_found',
      });
    });

    it('handles 20k members in one statement', async () => {
      const a = await t.createAccount();
      const w = await webinar(a.id);
      await creation.ensureForWebinars(a.id, [w.id]);
      const n = 20_000;
      const chunk = 1000;
      for (let i = 0; i < n; i += chunk) {
        const subs = Array.from({ length: Math.min(chunk, n - i) }, (_, j) => ({
          accountId: a.id,
          email: `bulk${i + j}@x.test`,
        }));
        await ds
          .createQueryBuilder()
          .insert()
          .into(Subscriber)
          .values(subs)
          .updateEntity(false)
          .execute();
      }
      const subIds: number[] = (
        await ds.query('SELECT id FROM subscriber WHERE account_id = ? ORDER BY id', [a.id])
      ).map((r: { id: number | string }) => Number(r.id));
      for (let i = 0; i < n; i += chunk) {
        const rows = subIds.slice(i, i + chunk).map((subscriberId, j) => ({
          webinarId: w.id,
          subscriberId,
          webinarParticipantStatusId: (i + j) % 2 ? 2 : 1,
          registrationStatus: 'approved' as const,
        }));
        await ds
          .createQueryBuilder()
          .insert()
          .into(WebinarParticipant)
          .values(rows)
          .updateEntity(false)
          .execute();
      }
      const g = await byKind(w.id);
      const all = await svc.memberSubscriberIds(a.id, [
        g.attended.id,
        g.not_attended.id,
        g.registered.id,
      ]);
      expect(all).toHaveLength(n);
      expect(new Set(all).size).toBe(n);
      expect((await svc.get(a.id, g.attended.id)).memberCount).toBe(n / 2);
    });
  });
});
