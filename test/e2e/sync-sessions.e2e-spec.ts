import { SyncJob } from '../../src/sync/sync-job.entity';
import { setUpClockedSimSuite } from '../support/factories/clocked-sim-suite';
import { drainQueue } from '../support/sync/drain-queue';
import { describeEachDialect } from '../support/test-database';

const NOW = new Date('2026-06-15T12:00:00Z');
const MIN = 60_000;
const DAY = 86_400_000;
const V2 = 'GET /G2W/rest/v2/organizers/{organizerKey}/webinars/{webinarKey}';
type Row = Record<string, unknown>;

// Attendance by what happened in GoTo (its completed sessions), not by the schedule; and a 404 from
// one endpoint is not a cancellation. The simulator's clock and the app's move together.
describeEachDialect('sync: real sessions and 404s (queue + simulator)', (dialect) => {
  const s = setUpClockedSimSuite(dialect, {
    now: NOW,
    webinars: 2,
    registrants: 4,
    account: 'Sessions',
  });

  const syncOrganizer = async () => {
    await s.t.http().post(`/api/v1/organizers/${s.organizerId}/sync`).set(s.auth).expect(202);
    await drainQueue(s.t.app);
  };
  const webinarIdOf = async (key: string): Promise<number> =>
    Number((await s.ds.query('SELECT id FROM webinar WHERE webinar_key = ?', [key]))[0].id);
  /** A participant sync of one webinar: the job, and the simulator's calls by endpoint. */
  const syncWebinar = async (id: number) => {
    s.sim.counters.reset();
    const res = await s.t.http().post(`/api/v1/webinars/${id}/sync`).set(s.auth).expect(202);
    await drainQueue(s.t.app);
    const job = await s.ds.getRepository(SyncJob).findOneByOrFail({ id: res.body.jobId });
    // Answered calls (a token that expired as the clocks moved is refreshed and the call repeated).
    const calls = (suffix: string) =>
      s.sim.counters.read().byEndpoint[`${V2}${suffix}`]?.['200'] ?? 0;
    return {
      job,
      result: (job.result ?? {}) as Row,
      calls: { sessions: calls('/sessions'), attendees: calls('/attendees') },
    };
  };
  const participants = async (id: number): Promise<Row[]> =>
    s.ds.query(
      `SELECT s.email, p.webinar_participant_status_id AS status_id, p.sessions_attended
         FROM webinar_participant p JOIN subscriber s ON s.id = p.subscriber_id
        WHERE p.webinar_id = ? ORDER BY s.email`,
      [id],
    );
  const webinarRow = async (id: number): Promise<Row> =>
    (await s.ds.query('SELECT status, attendance_final_at FROM webinar WHERE id = ?', [id]))[0];

  it('a late, overrunning session is read after it really ended, and final once settled', async () => {
    s.moveTo(0);
    const w = s.sim.store.addWebinar(s.orgKey, {
      subject: 'Late and long',
      times: [{ startTime: s.at(60 * MIN), endTime: s.at(120 * MIN) }],
      registrants: 3,
    });
    const ada = s.sim.store.addRegistrant(w.webinarKey, {
      firstName: 'Ada',
      lastName: 'Late',
      email: 'ada.late@example.com',
    });
    await syncOrganizer();
    const id = await webinarIdOf(w.webinarKey);

    // 14:10: the schedule says it is over, but it started at 13:20 and is still running.
    s.moveTo(130 * MIN);
    s.sim.store.setSessionTimes(w.webinarKey, 0, { startTime: s.at(80 * MIN), endTime: null });
    const running = await syncWebinar(id);
    expect(running.job.status).toBe('succeeded');
    expect(running.result).toMatchObject({
      sessionsCompleted: 0,
      attendeesFetched: false,
      attendanceFinal: false,
    });
    expect(running.calls).toEqual({ sessions: 1, attendees: 0 });
    expect((await webinarRow(id)).attendance_final_at).toBeNull();

    // It ends at 14:20; at 14:25 GoTo lists the completed session and its attendees.
    s.sim.store.setSessionTimes(w.webinarKey, 0, {
      startTime: s.at(80 * MIN),
      endTime: s.at(140 * MIN),
    });
    s.moveTo(145 * MIN);
    s.sim.store.markAttendance(w.webinarKey, { registrantKey: ada.registrantKey, timeIndex: 0 });
    const ended = await syncWebinar(id);
    expect(ended.result).toMatchObject({
      sessionsCompleted: 1,
      attendeesFetched: true,
      attendanceFinal: false, // not settled yet
    });
    const adaRow = (await participants(id)).find((p) => p.email === 'ada.late@example.com')!;
    expect(Number(adaRow.status_id)).toBe(2);
    expect((await webinarRow(id)).attendance_final_at).toBeNull();

    // 14:55, 35 minutes after the real end: settled, so final.
    s.moveTo(175 * MIN);
    const settled = await syncWebinar(id);
    expect(settled.result).toMatchObject({ attendanceFinal: true, attendanceFinalMarked: true });
    const finalAt = (await webinarRow(id)).attendance_final_at;
    expect(finalAt).not.toBeNull();
    const detail = await s.t.http().get(`/api/v1/webinars/${id}`).set(s.auth).expect(200);
    expect(detail.body.attendanceFinalAt).toBe(s.at(175 * MIN));

    // Final: the next read skips the sessions call and keeps the first final time.
    s.moveTo(200 * MIN);
    const again = await syncWebinar(id);
    expect(again.calls).toEqual({ sessions: 0, attendees: 1 });
    expect(again.result).toMatchObject({ attendanceFinal: true, attendanceFinalMarked: false });
    expect((await webinarRow(id)).attendance_final_at).toEqual(finalAt);
  });

  it('a completed session whose attendees are not in the report yet is not final', async () => {
    s.moveTo(DAY);
    const w = s.sim.store.addWebinar(s.orgKey, {
      subject: 'Slow report',
      times: [{ startTime: s.at(DAY - 3 * 60 * MIN), endTime: s.at(DAY - 2 * 60 * MIN) }],
      registrants: 3,
    });
    const bo = s.sim.store.addRegistrant(w.webinarKey, {
      firstName: 'Bo',
      lastName: 'Slow',
      email: 'bo.slow@example.com',
    });
    s.sim.store.setSessionTimes(w.webinarKey, 0, {
      startTime: s.at(DAY - 3 * 60 * MIN),
      endTime: s.at(DAY - 60 * MIN),
    });
    s.sim.store.markAttendance(w.webinarKey, { registrantKey: bo.registrantKey, timeIndex: 0 });
    s.sim.store.updateSettings({ attendeeReportDelaySeconds: 2 * 3600 });
    try {
      await syncOrganizer();
      const id = await webinarIdOf(w.webinarKey);
      const early = await syncWebinar(id);
      expect(early.result).toMatchObject({ sessionsCompleted: 1, attendanceFinal: false });
      expect((await participants(id)).every((p) => Number(p.status_id) === 1)).toBe(true);
      s.moveTo(DAY + 61 * MIN);
      const late = await syncWebinar(id);
      expect(late.result).toMatchObject({ attendanceFinal: true });
      const boRow = (await participants(id)).find((p) => p.email === 'bo.slow@example.com')!;
      expect(Number(boRow.status_id)).toBe(2);
    } finally {
      s.sim.store.updateSettings({ attendeeReportDelaySeconds: 0 });
    }
  });

  it('a sequence: final only once every session has really ended; attendance counts both', async () => {
    s.moveTo(2 * DAY);
    const w = s.sim.store.addWebinar(s.orgKey, {
      subject: 'Two parts',
      recurrenceType: 'sequence',
      times: [
        { startTime: s.at(DAY), endTime: s.at(DAY + 60 * MIN) },
        { startTime: s.at(2 * DAY + 60 * MIN), endTime: s.at(2 * DAY + 120 * MIN) },
      ],
    });
    const cy = s.sim.store.addRegistrant(w.webinarKey, {
      firstName: 'Cy',
      lastName: 'Both',
      email: 'cy.both@example.com',
    });
    s.sim.store.markAttendance(w.webinarKey, { registrantKey: cy.registrantKey, timeIndex: 0 });
    await syncOrganizer();
    const id = await webinarIdOf(w.webinarKey);
    const first = await syncWebinar(id);
    expect(first.result).toMatchObject({ sessionsCompleted: 1, attendanceFinal: false });

    s.sim.store.setSessionTimes(w.webinarKey, 1, {
      startTime: s.at(2 * DAY + 60 * MIN),
      endTime: s.at(2 * DAY + 130 * MIN),
    });
    s.moveTo(2 * DAY + 170 * MIN);
    s.sim.store.markAttendance(w.webinarKey, { registrantKey: cy.registrantKey, timeIndex: 1 });
    const both = await syncWebinar(id);
    expect(both.result).toMatchObject({ sessionsCompleted: 2, attendanceFinal: true });
    const cyRow = (await participants(id)).find((p) => p.email === 'cy.both@example.com')!;
    expect([Number(cyRow.status_id), Number(cyRow.sessions_attended)]).toEqual([2, 2]);
  });

  it('a 404 from the registrants or attendees endpoint alone fails the job and keeps the webinar', async () => {
    const w = s.sim.store
      .listWebinars(s.orgKey)
      .find((x) => x.sessions.length > 0 && s.sim.store.listRegistrants(x.webinarKey).length > 0)!;
    const id = await webinarIdOf(w.webinarKey);
    await syncWebinar(id);
    const before = await participants(id);
    expect(before.length).toBeGreaterThan(0);
    for (const path of ['/registrants$', '/attendees$']) {
      const fault = s.sim.faults.inject({
        type: 'status',
        status: 404,
        path: `webinars/${w.webinarKey}${path}`,
      });
      const { job } = await syncWebinar(id);
      s.sim.faults.clear(fault.id);
      expect(job.status).toBe('failed');
      expect(job.lastError).toMatch(/404 .*webinar itself exists.*not marked cancelled/);
      expect((await webinarRow(id)).status).not.toBe('cancelled');
      expect(await participants(id)).toEqual(before);
    }
    // The webinar itself gone (GET …/webinars/{key} → 404 too): cancelled, participants kept.
    s.sim.store.deleteWebinar(w.webinarKey);
    const { job, result } = await syncWebinar(id);
    expect(job.status).toBe('succeeded');
    expect(result).toMatchObject({ webinarsCancelled: 1 });
    expect((await webinarRow(id)).status).toBe('cancelled');
    expect(await participants(id)).toEqual(before);
  });
});
