// The simulator's output is pinned byte for byte: texts and hashes recorded from the simulator
// before its serialization and generation were made cheaper (marker strings for int64 keys, iso
// without toISOString per call, no object spread per attendee). Any change to them is a bug.
import { createHash } from 'node:crypto';
import { iso } from './sim-dataset';
import { num, stringify } from './sim-json';
import * as shape from './sim-shapes';
import { SimStore } from './sim-store';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describe('simulator output', () => {
  it('writes int64 keys as bare numbers, also after a JSON round trip', () => {
    const body = { a: num('3992125636143048966'), b: 'x', c: [num('-5'), { d: num('0') }] };
    const text = '{"a":3992125636143048966,"b":"x","c":[-5,{"d":0}]}';
    expect(stringify(body)).toBe(text);
    expect(stringify(JSON.parse(JSON.stringify(body)))).toBe(text);
    expect(stringify({ s: '\u0000#12\u0000', t: '#1' })).toBe('{"s":"\\u0000#12\\u0000","t":"#1"}');
    expect(() => num('12a')).toThrow('not an integer');
    expect(() => num('')).toThrow('not an integer');
  });

  it('formats times exactly as toISOString does', () => {
    const reference = (ms: number, withMs: boolean) => {
      const s = new Date(ms).toISOString();
      return withMs ? s : s.replace(/\.\d{3}Z$/, 'Z');
    };
    const edges = [0, -0, 1, -1, 999, 1000, -1000, -1001, 86_399_999, 86_400_000, -86_400_000];
    const far = [8.64e15, -8.64e15, 253402300799999, 253402300800000, -62167219200001, 1.5, -1.5];
    const random = Array.from({ length: 20_000 }, (_, i) =>
      Math.floor(Math.sin(i + 1) * (i % 2 === 0 ? 8.64e15 : 5e12)),
    );
    for (const ms of [...edges, ...far, ...random]) {
      expect(iso(ms, true)).toBe(reference(ms, true));
      expect(iso(ms, false)).toBe(reference(ms, false));
    }
    for (const ms of [NaN, Infinity, 8.64e15 + 1, -8.64e15 - 1]) {
      expect(() => iso(ms, false)).toThrow(RangeError);
    }
  });

  describe('a seeded webinar of 1000 registrants', () => {
    const store = new SimStore({
      seed: 42,
      organizers: 1,
      webinars: 12,
      registrants: 1000,
      now: new Date('2026-06-15T12:00:00Z'),
    });
    const w = store
      .webinarsOf(store.organizers[0].organizerKey)
      .find((x) => store.sessions(x).length > 1)!;
    const registrants = store.registrants(w);
    const attendees = store.sessions(w).flatMap((s) => store.attendees(w, s));

    it('serializes the registrant list as before', () => {
      expect(w.webinarKey).toBe('6420955543033894989');
      expect(registrants).toHaveLength(1000);
      expect(stringify(shape.registrant(registrants[0]))).toBe(
        '{"lastName":"Nowak","email":"Renee.nowak65@Example.org","firstName":"Renée","registrantKey":3992125636143048966,"registrationDate":"2026-01-26T14:38:53.626Z","status":"WAITING","joinUrl":"https://global.gotowebinar.com/join/6420955543033894989/143048966","timeZone":"Europe/Berlin"}',
      );
      expect(sha256(stringify(registrants.map(shape.registrant)))).toBe(
        'b8b116cabbb4c466a496ae53f9dd3b978e3d01ce4221bbe576bca0f45cb87e6f',
      );
    });

    it('serializes the attendee report as before', () => {
      expect(attendees).toHaveLength(658);
      expect(stringify(shape.attendee(attendees[0]))).toBe(
        '{"registrantKey":6268061073157789215,"firstName":"Дмитрий","lastName":"Nowak","email":"user.nowak69@Example.org","attendanceTimeInSeconds":2553,"sessionKey":6763375336452077122,"attendance":[{"joinTime":"2026-02-08T12:30:35Z","leaveTime":"2026-02-08T13:13:08Z"}]}',
      );
      const rejoined = attendees.find((a) => a.attendance.length > 1)!;
      expect(stringify(shape.attendee(rejoined))).toBe(
        '{"registrantKey":5039559559580834013,"firstName":"李","lastName":"Nowak","email":"User.nowak70@mail.example.net","attendanceTimeInSeconds":2673,"sessionKey":6763375336452077122,"attendance":[{"joinTime":"2026-02-08T12:35:21.723Z","leaveTime":"2026-02-08T13:00:42.543Z"},{"joinTime":"2026-02-08T13:02:06.543Z","leaveTime":"2026-02-08T13:21:18.359Z"}]}',
      );
      expect(sha256(stringify(attendees.map(shape.attendee)))).toBe(
        'd321bbc91119a971d3d4fc1259240e4a7e5771020f090932524e325e6dafd541',
      );
    });

    it('keeps the attendee records (/_sim control output) as before', () => {
      expect(JSON.stringify(attendees[0])).toBe(
        '{"registrantKey":"6268061073157789215","firstName":"Дмитрий","lastName":"Nowak","email":"user.nowak69@Example.org","status":"APPROVED","registrationDate":"2026-02-07T22:50:20.746Z","joinUrl":"https://global.gotowebinar.com/join/6420955543033894989/157789215","timeZone":"Europe/London","source":"website","organization":"","jobTitle":"Engineer","sessionKey":"6763375336452077122","attendanceTimeInSeconds":2553,"attendance":[{"joinTime":"2026-02-08T12:30:35Z","leaveTime":"2026-02-08T13:13:08Z"}]}',
      );
      expect(sha256(JSON.stringify(attendees))).toBe(
        '625b6229aef5e35669286e083d9740dcd8d94ef87a4d80701faf554a1195191c',
      );
    });
  });
});
