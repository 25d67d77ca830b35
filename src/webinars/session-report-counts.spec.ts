import { GotoSession } from '../goto-webinar/goto-webinar.types';
import { sessionReportCounts } from './session-report-counts';

const session = (
  k: number,
  end: string,
  registrantsAttended?: number,
  registrantCount?: number,
): GotoSession => ({
  sessionKey: String(k),
  webinarKey: '1',
  startTime: new Date(Date.parse(end) - 3_600_000),
  endTime: new Date(end),
  registrantsAttended,
  registrantCount,
});

describe('sessionReportCounts', () => {
  it('no completed session: zero attended, no registrant count', () => {
    expect(sessionReportCounts([])).toEqual({
      sessions: 0,
      registrantsAttended: 0,
      registrantCount: null,
    });
  });

  it("sums attendance over sessions; takes the latest session's registrant count, never a sum", () => {
    const counts = sessionReportCounts([
      session(2, '2026-12-02T20:00:00Z', 30, 97),
      session(1, '2026-12-01T20:00:00Z', 41, 90),
    ]);
    expect(counts).toEqual({ sessions: 2, registrantsAttended: 71, registrantCount: 97 });
  });

  it('a session without the fields counts as none attended and does not name the count', () => {
    const counts = sessionReportCounts([
      session(1, '2026-12-01T20:00:00Z', 5, 12),
      session(2, '2026-12-02T20:00:00Z'),
    ]);
    expect(counts).toEqual({ sessions: 2, registrantsAttended: 5, registrantCount: 12 });
  });
});
