import Database from 'better-sqlite3';
import { countOf, memberOf, memberOfGroup, MembershipKind } from './participant-membership';

// The rule, evaluated by a real SQL engine on one row per interesting case.
describe('participant membership rule', () => {
  const db = new Database(':memory:');
  db.exec(`CREATE TABLE wp (id INTEGER PRIMARY KEY, webinar_participant_status_id INTEGER,
    registration_status TEXT, attendance_seconds INTEGER);
    CREATE TABLE tg (kind TEXT, engagement_minutes INTEGER);`);
  const rows: Array<[number, number, string, number]> = [
    [1, 1, 'approved', 0], // registered, not attended
    [2, 2, 'approved', 600], // attended 10 min
    [3, 2, 'approved', 1800], // attended 30 min
    [4, 1, 'waiting', 0], // registered (waiting), not in not_attended
    [5, 1, 'cancelled', 0], // nobody
    [6, 2, 'cancelled', 3600], // attended after cancelling: attended and engaged, not registered
    [7, 1, 'denied', 0], // nobody
  ];
  const insert = db.prepare('INSERT INTO wp VALUES (?, ?, ?, ?)');
  for (const r of rows) insert.run(...r);
  const ids = (kind: MembershipKind, minutes?: number) =>
    db
      .prepare(
        `SELECT id FROM wp WHERE ${memberOf(kind, 'wp', String(minutes ?? 'NULL'))} ORDER BY id`,
      )
      .all()
      .map((r) => (r as { id: number }).id);

  it.each<[MembershipKind, number | undefined, number[]]>([
    ['registered', undefined, [1, 2, 3, 4]],
    ['attended', undefined, [2, 3, 6]],
    ['not_attended', undefined, [1]],
    ['engaged', 10, [2, 3, 6]],
    ['engaged', 11, [3, 6]],
    ['engaged', 60, [6]],
    ['engaged', undefined, []],
  ])('%s (N=%s) → %j', (kind, minutes, expected) => {
    expect(ids(kind, minutes)).toEqual(expected);
  });

  it('a group applies its own kind and its frozen threshold', () => {
    const members = (kind: string, minutes: number | null) => {
      db.exec('DELETE FROM tg');
      db.prepare('INSERT INTO tg VALUES (?, ?)').run(kind, minutes);
      return db
        .prepare(`SELECT wp.id FROM tg JOIN wp ON ${memberOfGroup('tg', 'wp')} ORDER BY wp.id`)
        .all()
        .map((r) => (r as { id: number }).id);
    };
    expect(members('registered', null)).toEqual([1, 2, 3, 4]);
    expect(members('not_attended', null)).toEqual([1]);
    expect(members('engaged', 30)).toEqual([3, 6]);
    expect(members('engaged', 10)).toEqual([2, 3, 6]);
    expect(members('unknown', 30)).toEqual([]);
  });

  it('counts agree with the conditions', () => {
    const row = db
      .prepare(
        `SELECT ${countOf('registered', 'wp')} AS r, ${countOf('engaged', 'wp', '?')} AS e FROM wp`,
      )
      .get(20) as { r: number; e: number };
    expect(row).toEqual({ r: 4, e: 2 });
  });
});
