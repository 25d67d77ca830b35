import { DataSource } from 'typeorm';
import { Subscriber } from '../../src/participants/subscriber.entity';
import { WebinarParticipant } from '../../src/participants/webinar-participant.entity';
import { TargetGroupCreationService } from '../../src/target-groups/target-group-creation.service';
import { Webinar } from '../../src/webinars/webinar.entity';
import { createTestApp, TestApp } from '../support/test-app';
import { describeEachDialect } from '../support/test-database';

// REST over HTTP with the API key guard, validation pipe and error filter of the real app.
describeEachDialect('target groups REST', (dialect) => {
  let t: TestApp;
  let ds: DataSource;
  let keySeq = 5000;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    ds = t.app.get(DataSource);
  });
  afterAll(async () => t?.close());

  // An account with one webinar, its groups (through the service the sync calls) and 3 participants.
  async function seeded() {
    const account = await t.createAccount();
    const startsAt = new Date('2026-12-03T19:00:00Z');
    const webinar = await ds.getRepository(Webinar).save(
      ds.getRepository(Webinar).create({
        accountId: account.id,
        organizerId: 1,
        webinarKey: String(++keySeq),
        subject: 'Q4 Product Update',
        startsAt,
        endsAt: new Date(startsAt.getTime() + 3600_000),
        sessions: [{ startTime: startsAt.toISOString(), endTime: '2026-12-03T20:00:00.000Z' }],
      }),
    );
    await t.app.get(TargetGroupCreationService).ensureForWebinars(account.id, [webinar.id]);
    const people: [string, string, 1 | 2][] = [
      ['Ada', 'ada@x.test', 2],
      ['Bob', 'bob@x.test', 1],
      ['Cy', 'cy@x.test', 2],
    ];
    for (const [firstName, email, statusId] of people) {
      const s = await ds
        .getRepository(Subscriber)
        .save({ accountId: account.id, email, firstName, lastName: 'Lovelace' });
      await ds.getRepository(WebinarParticipant).save({
        webinarId: webinar.id,
        subscriberId: s.id,
        webinarParticipantStatusId: statusId,
        registrationStatus: 'approved',
      });
    }
    return { account, webinar };
  }

  it('GET /target-groups lists the account groups with member counts, filtered and paginated', async () => {
    const { account, webinar } = await seeded();
    const res = await t
      .http()
      .get('/api/v1/target-groups')
      .query({ webinarId: webinar.id })
      .set(account.auth)
      .expect(200);
    expect(res.body).toMatchObject({ page: 1, pageSize: 50, total: 3 });
    expect(
      res.body.items.map((g: { kind: string; memberCount: number }) => [g.kind, g.memberCount]),
    ).toEqual([
      ['registered', 3],
      ['attended', 2],
      ['not_attended', 1],
    ]);
    const g = res.body.items[1];
    expect(g).toEqual({
      id: expect.any(Number),
      name: 'Q4 Product Update - Dec 3, 2026 2:00 PM EST - Attended',
      kind: 'attended',
      engagementMinutes: null,
      webinarId: webinar.id,
      folderId: expect.any(Number),
      memberCount: 2,
      createdAt: expect.any(String),
    });

    const byFolder = await t
      .http()
      .get('/api/v1/target-groups')
      .query({ folderId: g.folderId, page: 2, pageSize: 2 })
      .set(account.auth)
      .expect(200);
    expect(byFolder.body).toMatchObject({ page: 2, pageSize: 2, total: 3 });
    expect(byFolder.body.items).toHaveLength(1);
    const none = await t
      .http()
      .get('/api/v1/target-groups')
      .query({ folderId: g.folderId + 100000 })
      .set(account.auth)
      .expect(200);
    expect(none.body).toEqual({ items: [], page: 1, pageSize: 50, total: 0 });
  });

  it('GET /target-groups/:id and /:id/members', async () => {
    const { account, webinar } = await seeded();
    const list = await t
      .http()
      .get('/api/v1/target-groups')
      .query({ webinarId: webinar.id })
      .set(account.auth)
      .expect(200);
    const attended = list.body.items.find((g: { kind: string }) => g.kind === 'attended');

    const one = await t
      .http()
      .get(`/api/v1/target-groups/${attended.id}`)
      .set(account.auth)
      .expect(200);
    expect(one.body).toEqual(attended);

    const members = await t
      .http()
      .get(`/api/v1/target-groups/${attended.id}/members`)
      .set(account.auth)
      .expect(200);
    expect(members.body).toEqual({
      items: [
        { id: expect.any(Number), email: 'ada@x.test', firstName: 'Ada', lastName: 'Lovelace' },
        { id: expect.any(Number), email: 'cy@x.test', firstName: 'Cy', lastName: 'Lovelace' },
      ],
      page: 1,
      pageSize: 50,
      total: 2,
    });
    const page2 = await t
      .http()
      .get(`/api/v1/target-groups/${attended.id}/members?page=2&pageSize=1`)
      .set(account.auth)
      .expect(200);
    expect(page2.body).toMatchObject({
      page: 2,
      pageSize: 1,
      total: 2,
      items: [{ email: 'cy@x.test' }],
    });
  });

  it("another account's group answers 404, and its groups never appear in the list", async () => {
    const { account, webinar } = await seeded();
    const other = await t.createAccount();
    const list = await t
      .http()
      .get('/api/v1/target-groups')
      .query({ webinarId: webinar.id })
      .set(account.auth)
      .expect(200);
    const id = list.body.items[0].id;
    const res = await t.http().get(`/api/v1/target-groups/${id}`).set(other.auth).expect(404);
    expect(res.body).toMatchObject({
      statusCode: 404,
      message: expect.stringContaining(String(id)),
    });
    await t.http().get(`/api/v1/target-groups/${id}/members`).set(other.auth).expect(404);
    await t.http().get('/api/v1/target-groups/99999999').set(account.auth).expect(404);
    const theirs = await t
      .http()
      .get('/api/v1/target-groups')
      .query({ webinarId: webinar.id })
      .set(other.auth)
      .expect(200);
    expect(theirs.body.total).toBe(0);
  });

  it.each([
    ['page=0', 'page'],
    ['page=abc', 'page'],
    ['pageSize=0', 'pageSize'],
    ['pageSize=201', 'pageSize'],
    ['pageSize=1.5', 'pageSize'],
    ['webinarId=x', 'webinarId'],
    ['folderId=-1', 'folderId'],
    ['unknown=1', 'unknown'],
  ])('400 naming the parameter for ?%s', async (query, field) => {
    const { account } = await seeded();
    const res = await t.http().get(`/api/v1/target-groups?${query}`).set(account.auth).expect(400);
    expect(res.body.statusCode).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('400 on bad paging of members and on a non-numeric id', async () => {
    const { account } = await seeded();
    const res = await t
      .http()
      .get('/api/v1/target-groups/1/members?pageSize=500')
      .set(account.auth)
      .expect(400);
    expect(res.body.errors[0].field).toBe('pageSize');
    const bad = await t.http().get('/api/v1/target-groups/abc').set(account.auth).expect(400);
    expect(bad.body.errors[0].field).toBe('id');
  });

  it('401 without an API key', async () => {
    await t.http().get('/api/v1/target-groups').expect(401);
  });
});
