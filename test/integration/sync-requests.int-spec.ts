import { DataSource } from 'typeorm';
import { IntegrationSettingsService } from '../../src/integration-settings/integration-settings.service';
import { Organizer } from '../../src/organizers/organizer.entity';
import { SyncJob } from '../../src/sync/sync-job.entity';
import { SYNC_JOB_TYPES, SYNC_PRIORITY } from '../../src/sync/sync-job-types';
import { SyncRequestsService } from '../../src/sync/sync-requests.service';
import { Webinar } from '../../src/webinars/webinar.entity';
import { createTestApp, TestApp } from '../support/test-app';
import { describeEachDialect } from '../support/test-database';

// The one door for sync requests: skip rules, job types and priorities, typed outcomes. No worker
// runs here (testConfig), so queued jobs stay queued and nothing calls GoTo.
describeEachDialect('sync requests', (dialect) => {
  let t: TestApp;
  let ds: DataSource;
  let requests: SyncRequestsService;
  let seq = 0;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    ds = t.app.get(DataSource);
    requests = t.app.get(SyncRequestsService);
  });
  afterAll(async () => t?.close());

  const organizer = (accountId: number, active = true) =>
    ds.getRepository(Organizer).save({
      accountId,
      email: `o${++seq}@example.com`,
      authMethod: 'password',
      credentialsEncrypted: 'not used here',
      organizerKey: String(7_000_000 + ++seq),
      active,
    });
  const webinar = (o: Organizer, status: Webinar['status'] = 'scheduled') =>
    ds.getRepository(Webinar).save({
      accountId: o.accountId,
      organizerId: o.id,
      webinarKey: String(9_000_000 + ++seq),
      subject: 'W',
      startsAt: new Date('2026-12-20T15:00:00Z'),
      endsAt: new Date('2026-12-20T16:00:00Z'),
      sessions: [],
      status,
    });
  const jobsOf = (accountId: number) => ds.getRepository(SyncJob).findBy({ accountId });

  it('an organizer sync: queued with the priority of its kind, typed job id', async () => {
    const a = await t.createAccount();
    const o = await organizer(a.id);
    const initial = await requests.syncOrganizer(o, 'initial');
    expect(initial).toEqual({ queued: true, jobId: expect.any(Number) });
    // The same target while queued: the same job, raised to on-demand.
    const onDemand = await requests.syncOrganizer(o, 'on_demand');
    expect(onDemand).toEqual(initial);
    expect(await jobsOf(a.id)).toEqual([
      expect.objectContaining({
        type: SYNC_JOB_TYPES.ORGANIZER_FULL_SYNC,
        organizerId: o.id,
        priority: SYNC_PRIORITY.ON_DEMAND,
      }),
    ]);
  });

  it('skip rules: deactivated organizer, inactive integration, cancelled or missing webinar queue nothing', async () => {
    const a = await t.createAccount();
    const off = await organizer(a.id, false);
    expect(await requests.syncOrganizer(off, 'on_demand')).toEqual({
      queued: false,
      skip: { reason: 'organizer_inactive', message: 'organizer is deactivated' },
    });
    const on = await organizer(a.id);
    const cancelled = await webinar(on, 'cancelled');
    expect(await requests.syncWebinar(cancelled, on)).toMatchObject({
      queued: false,
      skip: { reason: 'webinar_cancelled' },
    });
    expect(await requests.skipFor(on, null)).toMatchObject({ reason: 'not_found' });

    await t.app.get(IntegrationSettingsService).update(a.id, { active: false });
    expect(await requests.syncOrganizer(on, 'initial')).toMatchObject({
      queued: false,
      skip: { reason: 'integration_inactive', message: expect.stringMatching(/integration/) },
    });
    expect(await requests.syncWebinar(await webinar(on), on)).toMatchObject({
      queued: false,
      skip: { reason: 'integration_inactive' },
    });
    expect(await jobsOf(a.id)).toEqual([]);
  });

  it('a webinar sync: participants job at on-demand priority', async () => {
    const a = await t.createAccount();
    const o = await organizer(a.id);
    const w = await webinar(o);
    const out = await requests.syncWebinar(w, o);
    expect(out).toEqual({ queued: true, jobId: expect.any(Number) });
    expect(await jobsOf(a.id)).toEqual([
      expect.objectContaining({
        type: SYNC_JOB_TYPES.WEBINAR_PARTICIPANTS_SYNC,
        webinarId: w.id,
        organizerId: o.id,
        priority: SYNC_PRIORITY.ON_DEMAND,
      }),
    ]);
  });

  it('skipsFor: many organizers of several accounts in one call', async () => {
    const a = await t.createAccount();
    const b = await t.createAccount();
    const c = await t.createAccount(); // no settings row: active
    await t.app.get(IntegrationSettingsService).update(b.id, { active: false });
    const [a1, a2, b1, c1] = [
      await organizer(a.id),
      await organizer(a.id, false),
      await organizer(b.id),
      await organizer(c.id),
    ];
    const skips = await requests.skipsFor([a1, a2, b1, c1]);
    expect([...skips.entries()].sort(([x], [y]) => x - y)).toEqual([
      [a2.id, expect.objectContaining({ reason: 'organizer_inactive' })],
      [b1.id, expect.objectContaining({ reason: 'integration_inactive' })],
    ]);
  });

  it('before a mailing: typed outcome per webinar (skipped with its reason, unfinished at the deadline)', async () => {
    const a = await t.createAccount();
    const on = await organizer(a.id);
    const off = await organizer(a.id, false);
    const [open, cancelled, ofInactive] = [
      await webinar(on),
      await webinar(on, 'cancelled'),
      await webinar(off),
    ];
    const outcomes = await requests.syncBeforeMailing(
      [
        { webinarId: open.id, webinar: open, organizer: on },
        { webinarId: cancelled.id, webinar: cancelled, organizer: on },
        { webinarId: ofInactive.id, webinar: ofInactive, organizer: off },
        { webinarId: 424242, webinar: null, organizer: null },
      ],
      new Date(Date.now() - 1000), // no time left: the queued job cannot finish
    );
    const [job] = await jobsOf(a.id);
    expect(job).toMatchObject({ webinarId: open.id, priority: SYNC_PRIORITY.MAILING });
    expect(outcomes).toEqual([
      {
        webinarId: open.id,
        outcome: 'unfinished',
        jobId: job.id,
        message: expect.stringContaining('time budget'),
      },
      {
        webinarId: cancelled.id,
        outcome: 'skipped',
        reason: 'the webinar was cancelled in GoTo Webinar',
      },
      { webinarId: ofInactive.id, outcome: 'skipped', reason: 'organizer is deactivated' },
      { webinarId: 424242, outcome: 'skipped', reason: 'webinar not found' },
    ]);
  });

  it('POST /organizers/:id/sync (organizers controller): 202 {jobId}; 409 naming why it may not sync', async () => {
    const a = await t.createAccount();
    const o = await organizer(a.id);
    const ok = await t.http().post(`/api/v1/organizers/${o.id}/sync`).set(a.auth).expect(202);
    expect(ok.body).toEqual({ jobId: expect.any(Number) });
    const off = await organizer(a.id, false);
    const r1 = await t.http().post(`/api/v1/organizers/${off.id}/sync`).set(a.auth).expect(409);
    expect(r1.body.code).toBe('ORGANIZER_INACTIVE');
    await t.app.get(IntegrationSettingsService).update(a.id, { active: false });
    const r2 = await t.http().post(`/api/v1/organizers/${o.id}/sync`).set(a.auth).expect(409);
    expect(r2.body.code).toBe('INTEGRATION_INACTIVE');
    // Another account's organizer: 404, as before.
    const other = await t.createAccount();
    await t.http().post(`/api/v1/organizers/${o.id}/sync`).set(other.auth).expect(404);
  });
});
