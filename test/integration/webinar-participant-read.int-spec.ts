import { DataSource } from 'typeorm';
import { Webinar } from '../../src/webinars/webinar.entity';
import { WebinarsRepository } from '../../src/webinars/webinars.repository';
import { createTestApp, TestApp } from '../support/test-app';
import { describeEachDialect } from '../support/test-database';

// The one UPDATE of the webinar row after a participant read (recordParticipantRead): what each
// column does, as the three statements it replaced did.
describeEachDialect('webinar row after a participant read', (dialect) => {
  let t: TestApp;
  let ds: DataSource;
  let repo: WebinarsRepository;
  let seq = 0;
  const created = new Date('2026-11-01T08:00:00Z');
  const t1 = new Date('2026-11-10T12:00:00.700Z');
  const t2 = new Date('2026-11-10T13:00:00Z');
  const counts = { registrants: 5, walkIns: 2, attendees: 4 };

  beforeAll(async () => {
    t = await createTestApp(dialect);
    ds = t.app.get(DataSource);
    repo = t.app.get(WebinarsRepository);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function webinar(): Promise<number> {
    const start = new Date('2026-11-09T10:00:00Z');
    const end = new Date('2026-11-09T11:00:00Z');
    const { identifiers } = await ds.getRepository(Webinar).insert({
      accountId: 1,
      organizerId: 1,
      webinarKey: String(7_000_000_000 + ++seq),
      subject: 'read',
      startsAt: start,
      endsAt: end,
      sessions: [{ startTime: start.toISOString(), endTime: end.toISOString() }],
      status: 'ended',
      createdAt: created,
      updatedAt: created,
    });
    return Number(identifiers[0].id);
  }
  const row = async (id: number) => {
    const w = await ds.getRepository(Webinar).findOneByOrFail({ id });
    const ms = (d: Date | null) => (d === null ? null : new Date(d).getTime());
    return {
      synced: ms(w.participantsSyncedAt),
      checked: ms(w.participantsCheckedAt),
      final: ms(w.attendanceFinalAt),
      counts: [w.gotoRegistrantCount, w.gotoWalkInCount, w.gotoAttendeeCount],
      countsAt: ms(w.gotoCountsAt),
      reports: [w.gotoSessionsReported, w.gotoRegistrantsAttended, w.gotoSessionRegistrantCount],
      reportsAt: ms(w.gotoSessionsAt),
      updated: ms(w.updatedAt),
    };
  };

  it('a read that changed nothing: checked time and counts only, updated_at kept', async () => {
    const id = await webinar();
    await repo.recordParticipantRead(id, {
      at: t1,
      changed: false,
      counts,
      attendanceFinal: false,
    });
    expect(await row(id)).toEqual({
      synced: null,
      checked: Date.parse('2026-11-10T12:00:00Z'),
      final: null,
      counts: [5, 2, 4],
      countsAt: Date.parse('2026-11-10T12:00:00Z'),
      reports: [null, null, null],
      reportsAt: null,
      updated: created.getTime(),
    });
  });

  it("GoTo's session reports when the sync read them; a read without them keeps the stored ones", async () => {
    const id = await webinar();
    const sessionReports = { sessions: 2, registrantsAttended: 7, registrantCount: 9 };
    await repo.recordParticipantRead(id, {
      at: t1,
      changed: false,
      counts: { ...counts, sessionReports },
      attendanceFinal: false,
    });
    await repo.recordParticipantRead(id, {
      at: t2,
      changed: false,
      counts: { ...counts, sessionReports: null },
      attendanceFinal: false,
    });
    expect(await row(id)).toMatchObject({
      reports: [2, 7, 9],
      reportsAt: Date.parse('2026-11-10T12:00:00Z'),
      countsAt: t2.getTime(),
      updated: created.getTime(),
    });
  });

  it('a read that changed something: synced time too, updated_at moves', async () => {
    const id = await webinar();
    await repo.recordParticipantRead(id, { at: t1, changed: true, counts, attendanceFinal: false });
    const r = await row(id);
    expect(r).toMatchObject({ synced: Date.parse('2026-11-10T12:00:00Z'), final: null });
    expect(r.updated).not.toBe(created.getTime());
  });

  it('attendance final: set once (a later read keeps the first time), updated_at moves then only', async () => {
    const id = await webinar();
    await repo.recordParticipantRead(id, { at: t1, changed: false, counts, attendanceFinal: true });
    const first = await row(id);
    expect(first).toMatchObject({ synced: null, final: Date.parse('2026-11-10T12:00:00Z') });
    expect(first.updated).not.toBe(created.getTime());
    await ds.query('UPDATE webinar SET updated_at = ? WHERE id = ?', [
      dialect === 'sqlite' ? '2026-11-01 08:00:00.000' : created,
      id,
    ]);
    await repo.recordParticipantRead(id, { at: t2, changed: false, counts, attendanceFinal: true });
    expect(await row(id)).toMatchObject({
      final: Date.parse('2026-11-10T12:00:00Z'),
      checked: t2.getTime(),
      updated: created.getTime(),
    });
  });
});
