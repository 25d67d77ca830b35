import { DataSource } from 'typeorm';
import { credentialsContext } from '../../src/organizers/organizer-credentials';
import { CredentialCipher } from '../../src/common/credential-cipher';
import { DomainError } from '../../src/common/errors/domain-error';
import {
  BeforeSendHook,
  emptyReport,
  MAILING_BEFORE_SEND_HOOKS,
} from '../../src/mailings/before-send-hook';
import { BeforeSendHooks } from '../../src/mailings/before-send-hooks';
import { MAIL_TRANSPORT, MailTransport } from '../../src/mailings/mail-transport';
import {
  insertRecipients,
  MailingSendService,
  RECIPIENT_INSERT_CHUNK,
  STALE_CLAIM_MARGIN_MS,
} from '../../src/mailings/mailing-send.service';
import { Mailing, MailingRecipient } from '../../src/mailings/mailing.entity';
import { MailingsService } from '../../src/mailings/mailings.service';
import { WebinarParticipantSyncHook } from '../../src/mailings/webinar-participant-sync.hook';
import { Organizer } from '../../src/organizers/organizer.entity';
import { Subscriber } from '../../src/participants/subscriber.entity';
import { PARTICIPANT_STATUS } from '../../src/participants/webinar-participant-status.entity';
import { WebinarParticipant } from '../../src/participants/webinar-participant.entity';
import { SyncJob } from '../../src/sync/sync-job.entity';
import { SYNC_JOB_TYPES, SYNC_PRIORITY } from '../../src/sync/sync-job-types';
import { SyncQueue } from '../../src/sync/sync-queue.service';
import { TargetGroupFolder } from '../../src/target-group-folders/target-group-folder.entity';
import { TargetGroup } from '../../src/target-groups/target-group.entity';
import { TargetGroupCreationService } from '../../src/target-groups/target-group-creation.service';
import { TargetGroupsService } from '../../src/target-groups/target-groups.service';
import { Webinar } from '../../src/webinars/webinar.entity';
import { eventually } from '../support/eventually';
import { createTestApp, TestApp } from '../support/test-app';
import { describeEachDialect } from '../support/test-database';

// The mailing services on the real modules and both databases, with data seeded directly and the
// queue worker off: jobs stay queued unless the test finishes them, so every path is deterministic.
const BUDGET_MS = 600;

describeEachDialect('mailings', (dialect) => {
  let t: TestApp;
  let ds: DataSource;
  let mailings: MailingsService;
  let sender: MailingSendService;

  beforeAll(async () => {
    t = await createTestApp(dialect, { config: { mailingSyncTimeoutMs: BUDGET_MS } });
    ds = t.app.get(DataSource);
    mailings = t.app.get(MailingsService);
    sender = t.app.get(MailingSendService);
  });
  afterAll(async () => t?.close());

  async function seedOrganizer(accountId: number, active = true): Promise<Organizer> {
    const cipher = t.app.get(CredentialCipher);
    const organizerKey = String(1000 + accountId) + String(Date.now()).slice(-6);
    return ds.getRepository(Organizer).save({
      accountId,
      email: `org${accountId}@example.com`,
      authMethod: 'password',
      credentialsEncrypted: cipher.encryptJson(
        { method: 'password', email: `org${accountId}@example.com`, password: 'x' },
        credentialsContext(accountId, organizerKey),
      ),
      organizerKey,
      active,
    });
  }

  // A webinar with `emails` as registered participants (every other one attended), and its standard groups.
  async function seedWebinar(accountId: number, organizerId: number, emails: string[]) {
    const webinar = await ds.getRepository(Webinar).save({
      accountId,
      organizerId,
      webinarKey: String(Math.floor(Math.random() * 1e15)),
      subject: `Webinar ${Math.random().toString(36).slice(2, 8)}`,
      startsAt: new Date('2026-11-20T15:00:00Z'),
      endsAt: new Date('2026-11-20T16:00:00Z'),
      sessions: [],
      status: 'ended',
    });
    for (const [i, email] of emails.entries()) {
      let sub = await ds.getRepository(Subscriber).findOneBy({ accountId, email });
      sub ??= await ds
        .getRepository(Subscriber)
        .save({ accountId, email, firstName: `F${i}`, lastName: `L${i}` });
      await ds.getRepository(WebinarParticipant).save({
        webinarId: webinar.id,
        subscriberId: sub.id,
        webinarParticipantStatusId:
          i % 2 === 0 ? PARTICIPANT_STATUS.ATTENDED : PARTICIPANT_STATUS.NOT_ATTENDED,
        registrationStatus: 'approved',
      });
    }
    await t.app.get(TargetGroupCreationService).ensureForWebinars(accountId, [webinar.id]);
    const groups = await ds.getRepository(TargetGroup).findBy({ webinarId: webinar.id });
    const byKind = Object.fromEntries(groups.map((g) => [g.kind, g.id])) as Record<
      'registered' | 'attended' | 'not_attended',
      number
    >;
    return { webinar, groups: byKind };
  }

  async function seedPlainGroup(accountId: number): Promise<number> {
    const folder = await ds
      .getRepository(TargetGroupFolder)
      .save({ accountId, name: `Plain ${Math.random()}` });
    const g = await ds
      .getRepository(TargetGroup)
      .save({ accountId, folderId: folder.id, webinarId: null, kind: null, name: 'Plain group' });
    return g.id;
  }

  it('discovers the webinar participant sync as a before-send hook', () => {
    const hooks = t.app.get<BeforeSendHook[]>(MAILING_BEFORE_SEND_HOOKS);
    expect(hooks.some((h) => h instanceof WebinarParticipantSyncHook)).toBe(true);
  });

  it('records recipients set-based, in chunks, idempotently', async () => {
    const ids = Array.from({ length: RECIPIENT_INSERT_CHUNK * 2 + 500 }, (_, i) => i + 1);
    const mailingId = 900000 + (dialect === 'mysql' ? 1 : 2);
    await ds.transaction((m) => insertRecipients(m, mailingId, [...ids, ...ids.slice(0, 300)]));
    await ds.transaction((m) => insertRecipients(m, mailingId, ids.slice(1000)));
    expect(await ds.getRepository(MailingRecipient).countBy({ mailingId })).toBe(ids.length);
  });

  it('resolves the union of the groups, each subscriber once', async () => {
    const a = await t.createAccount();
    const org = await seedOrganizer(a.id, false);
    const w1 = await seedWebinar(a.id, org.id, ['a@x.com', 'b@x.com', 'c@x.com']);
    const w2 = await seedWebinar(a.id, org.id, ['c@x.com', 'd@x.com']);
    const m = await mailings.create(a.id, {
      subject: 'Hi',
      targetGroupIds: [w1.groups.registered, w1.groups.attended, w2.groups.registered],
    });
    const sent = await sender.send(a.id, m.id);
    expect(sent.recipientCount).toBe(4);
    const page = await mailings.listRecipients(a.id, m.id, 1, 50);
    expect(page.items.map((r) => r.email).sort()).toEqual([
      'a@x.com',
      'b@x.com',
      'c@x.com',
      'd@x.com',
    ]);
    expect(sent.sync.skipped.map((s) => s.webinarId).sort()).toEqual(
      [w1.webinar.id, w2.webinar.id].sort(),
    );
  });

  it('of concurrent sends exactly one proceeds; the others get a conflict', async () => {
    const a = await t.createAccount();
    const groupId = await seedPlainGroup(a.id);
    const m = await mailings.create(a.id, { subject: 'Once', targetGroupIds: [groupId] });
    const deliver = jest.spyOn(t.app.get<MailTransport>(MAIL_TRANSPORT), 'deliver');
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, () => sender.send(a.id, m.id)),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(deliver.mock.calls.filter(([x]) => x.mailingId === m.id)).toEqual([
      [{ accountId: a.id, mailingId: m.id, subject: 'Once', recipientCount: 0 }],
    ]);
    deliver.mockRestore();
    for (const r of results.filter((x): x is PromiseRejectedResult => x.status === 'rejected')) {
      expect(r.reason).toBeInstanceOf(DomainError);
      expect((r.reason as DomainError).kind).toBe('conflict');
    }
    await expect(sender.send(a.id, m.id)).rejects.toMatchObject({
      kind: 'conflict',
      code: 'MAILING_ALREADY_SENT',
    });
  });

  it('joins a queued participant sync (deduped, priority raised) and warns when it outlasts the budget', async () => {
    const a = await t.createAccount();
    const org = await seedOrganizer(a.id, true);
    const w = await seedWebinar(a.id, org.id, ['p@x.com', 'q@x.com']);
    const queue = t.app.get(SyncQueue);
    const periodic = await queue.enqueue({
      type: SYNC_JOB_TYPES.WEBINAR_PARTICIPANTS_SYNC,
      accountId: a.id,
      organizerId: org.id,
      webinarId: w.webinar.id,
      priority: SYNC_PRIORITY.PERIODIC,
    });
    const m = await mailings.create(a.id, {
      subject: 'Budget',
      targetGroupIds: [w.groups.registered],
    });

    // The send waits for the job until the mailing's budget (the deadline it asks the queue for);
    // the job stays queued (no worker here), so the send goes out with a warning.
    const waits = jest.spyOn(queue, 'waitForJobs');
    const sendAt = Date.now();
    const sent = await sender.send(a.id, m.id);
    expect(waits).toHaveBeenCalledTimes(1);
    expect(waits.mock.calls[0][0]).toEqual([periodic.id]);
    expect(waits.mock.calls[0][1].getTime() - sendAt).toBeGreaterThanOrEqual(BUDGET_MS);
    waits.mockRestore();
    expect(sent.recipientCount).toBe(2);
    expect(sent.sync.synced).toEqual([]);
    expect(sent.sync.warnings).toEqual([
      { webinarId: w.webinar.id, message: expect.stringContaining('time budget') },
    ]);
    const job = await ds.getRepository(SyncJob).findOneByOrFail({ id: periodic.id });
    expect(job.priority).toBe(SYNC_PRIORITY.MAILING);
    expect(await ds.getRepository(SyncJob).countBy({ accountId: a.id })).toBe(1);
    const stored = await ds.getRepository(Mailing).findOneByOrFail({ id: m.id });
    expect(stored.status).toBe('sent');
    expect(stored.sendReport).toEqual(sent.sync);
  });

  it('reports a failed sync with its error, a succeeded one as synced, one that found nothing to do as skipped', async () => {
    const a = await t.createAccount();
    const org = await seedOrganizer(a.id, true);
    const bad = await seedWebinar(a.id, org.id, ['f@x.com']);
    const good = await seedWebinar(a.id, org.id, ['g@x.com']);
    const idle = await seedWebinar(a.id, org.id, ['i@x.com']);
    const m = await mailings.create(a.id, {
      subject: 'Mixed',
      targetGroupIds: [bad.groups.registered, good.groups.registered, idle.groups.registered],
    });
    const jobs = ds.getRepository(SyncJob);
    // Play the worker: finish the three jobs the hook queued (polled until they are there).
    const finisher = (async () => {
      const queued = await eventually(async () => {
        const rows = await jobs.findBy({ accountId: a.id, status: 'queued' });
        expect(rows).toHaveLength(3);
        return rows;
      }, BUDGET_MS);
      for (const j of queued) {
        const failed = j.webinarId === bad.webinar.id;
        await jobs.update(
          { id: j.id },
          {
            status: failed ? 'failed' : 'succeeded',
            activeKey: null,
            lastError: failed ? 'GoTo said 500 twice' : null,
            // What the handler stores when the job had nothing to do (JobSkipped).
            result:
              j.webinarId === idle.webinar.id
                ? { skipped: true, reason: 'organizer is deactivated' }
                : { rowsWritten: 1 },
            finishedAt: new Date(),
          },
        );
      }
      return queued;
    })();
    const [sent, queued] = await Promise.all([sender.send(a.id, m.id), finisher]);
    expect(queued.every((j) => j.priority === SYNC_PRIORITY.MAILING)).toBe(true);
    const goodJob = queued.find((j) => j.webinarId === good.webinar.id)!;
    expect(sent.sync.synced).toEqual([{ webinarId: good.webinar.id, jobId: goodJob.id }]);
    expect(sent.sync.skipped).toEqual([
      { webinarId: idle.webinar.id, reason: 'organizer is deactivated' },
    ]);
    expect(sent.sync.warnings).toEqual([
      { webinarId: bad.webinar.id, message: expect.stringContaining('GoTo said 500 twice') },
    ]);
    expect(sent.recipientCount).toBe(3);
  });

  it('a mailing whose groups are not webinar groups queues no sync', async () => {
    const a = await t.createAccount();
    const m = await mailings.create(a.id, {
      subject: 'Plain',
      targetGroupIds: [await seedPlainGroup(a.id)],
    });
    const sent = await sender.send(a.id, m.id);
    expect(sent.sync).toEqual({ synced: [], skipped: [], warnings: [] });
    expect(await ds.getRepository(SyncJob).countBy({ accountId: a.id })).toBe(0);
  });

  it("refuses another account's groups with a 422 naming targetGroupIds", async () => {
    const a = await t.createAccount();
    const b = await t.createAccount();
    const groupId = await seedPlainGroup(a.id);
    await expect(
      mailings.create(b.id, { subject: 'No', targetGroupIds: [groupId] }),
    ).rejects.toMatchObject({
      kind: 'unprocessable',
      errors: [{ field: 'targetGroupIds', message: expect.stringContaining(String(groupId)) }],
    });
  });

  describe('the send claim', () => {
    afterEach(() => jest.restoreAllMocks());

    it('a mailing being sent answers 409 MAILING_SEND_IN_PROGRESS; a stale claim is taken over', async () => {
      const a = await t.createAccount();
      const org = await seedOrganizer(a.id, false);
      const w = await seedWebinar(a.id, org.id, ['s1@x.com', 's2@x.com']);
      const m = await mailings.create(a.id, {
        subject: 'Stale',
        targetGroupIds: [w.groups.registered],
      });
      const repo = ds.getRepository(Mailing);
      // A send in progress (claimed just now), with a partial recipient left over.
      await repo.update({ id: m.id }, { status: 'sending', sentAt: new Date() });
      await ds.getRepository(MailingRecipient).insert({ mailingId: m.id, subscriberId: 999999 });
      await expect(sender.send(a.id, m.id)).rejects.toMatchObject({
        kind: 'conflict',
        code: 'MAILING_SEND_IN_PROGRESS',
      });
      expect((await mailings.get(a.id, m.id)).sentAt).toBeNull();

      // The process that claimed it died long ago: the next send takes over and starts afresh.
      await repo.update(
        { id: m.id },
        { sentAt: new Date(Date.now() - BUDGET_MS - STALE_CLAIM_MARGIN_MS - 5000) },
      );
      const sent = await sender.send(a.id, m.id);
      expect(sent.recipientCount).toBe(2);
      const page = await mailings.listRecipients(a.id, m.id, 1, 50);
      expect(page.items.map((r) => r.email).sort()).toEqual(['s1@x.com', 's2@x.com']);
    });

    it('a failure after the claim gives the mailing back as a draft without recipients; a retry sends it', async () => {
      const a = await t.createAccount();
      const org = await seedOrganizer(a.id, false);
      const w = await seedWebinar(a.id, org.id, ['r1@x.com']);
      const m = await mailings.create(a.id, {
        subject: 'Retry',
        targetGroupIds: [w.groups.registered],
      });
      // One batch goes in, then the database fails: the partial recipients must not stay.
      jest
        .spyOn(t.app.get(TargetGroupsService), 'iterateMemberSubscriberIds')
        .mockImplementationOnce(async function* () {
          yield [123456, 123457];
          throw new Error('connection lost');
        });
      await expect(sender.send(a.id, m.id)).rejects.toThrow('connection lost');
      expect(await mailings.get(a.id, m.id)).toMatchObject({
        status: 'draft',
        sentAt: null,
        recipientCount: 0,
      });
      expect((await sender.send(a.id, m.id)).recipientCount).toBe(1);
    });

    it('a send whose claim was taken over meanwhile does not mark it sent or deliver', async () => {
      const a = await t.createAccount();
      const m = await mailings.create(a.id, {
        subject: 'Lost',
        targetGroupIds: [await seedPlainGroup(a.id)],
      });
      const deliver = jest.spyOn(t.app.get<MailTransport>(MAIL_TRANSPORT), 'deliver');
      jest.spyOn(t.app.get(BeforeSendHooks), 'run').mockImplementationOnce(async () => {
        // Another send took the (stale-looking) claim over while ours ran its hooks.
        await ds
          .getRepository(Mailing)
          .update({ id: m.id }, { sentAt: new Date(Date.now() + 3_600_000) });
        return emptyReport();
      });
      await expect(sender.send(a.id, m.id)).rejects.toMatchObject({ kind: 'conflict' });
      expect((await ds.getRepository(Mailing).findOneByOrFail({ id: m.id })).status).toBe(
        'sending',
      );
      expect(deliver).not.toHaveBeenCalled();
    });
  });
});
