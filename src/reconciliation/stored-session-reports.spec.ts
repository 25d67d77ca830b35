import { storedSessionReports } from './stored-session-reports';

describe('storedSessionReports', () => {
  const at = new Date('2026-11-30T10:00:00Z');

  it('is null until a sync read the sessions', () => {
    const none = { sessions: null, registrantsAttended: null, registrantCount: null, at: null };
    expect(storedSessionReports(none)).toBeNull();
  });

  it('reads the entity and a raw row (SQLite text time, string counts) alike', () => {
    const expected = { sessions: 2, registrantsAttended: 7, registrantCount: 9, at: at.getTime() };
    expect(
      storedSessionReports({ sessions: 2, registrantsAttended: 7, registrantCount: 9, at }),
    ).toEqual(expected);
    expect(
      storedSessionReports({
        sessions: '2',
        registrantsAttended: '7',
        registrantCount: '9',
        at: '2026-11-30 10:00:00',
      }),
    ).toEqual(expected);
  });

  it('keeps a missing registrant count as null and missing sums as 0', () => {
    expect(
      storedSessionReports({
        sessions: null,
        registrantsAttended: null,
        registrantCount: null,
        at,
      }),
    ).toEqual({ sessions: 0, registrantsAttended: 0, registrantCount: null, at: at.getTime() });
  });
});
