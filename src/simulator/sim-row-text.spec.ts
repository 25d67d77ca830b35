// The registrant and attendee rows written directly (sim-row-text.ts) are exactly what serializing
// the shaped objects gives: every row of a seeded dataset, rows changed through the control
// operations, and hand-made rows with the fields the template cannot write as they are.
import { num, stringify } from './sim-json';
import { attendeeText, registrantText } from './sim-row-text';
import * as shape from './sim-shapes';
import { SimStore } from './sim-store';
import { SimAttendee, SimRegistrant } from './sim-types';

const slowRegistrant = (r: SimRegistrant) => stringify(shape.registrant(r));
const slowAttendee = (a: SimAttendee) => stringify(shape.attendee(a));

function expectSameRows(registrants: SimRegistrant[], attendees: SimAttendee[]): void {
  for (const r of registrants) expect(registrantText(r)).toBe(slowRegistrant(r));
  for (const a of attendees) expect(attendeeText(a)).toBe(slowAttendee(a));
}

/** Texts that JSON escapes, or that stringify reads as an int64 marker. */
const ODD = [
  'O"Brien',
  'back\\slash',
  'tab\there',
  'line\nbreak',
  '\u0000#12\u0000#',
  'a"\u0000#5\u0000#',
  '\u0000',
  '\u001f\u007f',
  'emoji 😀',
  'lone \ud83d surrogate',
  'lone \ude00 low',
  'Zoë 李 Дмитрий \u2028\u2029',
  '',
  ' ',
  '</script>',
];

describe('registrant and attendee rows as text', () => {
  const store = new SimStore({
    seed: 42,
    organizers: 2,
    webinars: 12,
    registrants: 150,
    now: new Date('2026-06-15T12:00:00Z'),
  });
  const webinars = store.organizers.flatMap((o) => store.webinarsOf(o.organizerKey));
  const attendeesOf = (w: (typeof webinars)[number]) =>
    store.sessions(w).flatMap((s) => store.attendees(w, s));

  it('writes every generated row as the shaper does', () => {
    const attendees = webinars.flatMap(attendeesOf);
    expect(webinars.filter((w) => store.sessions(w).length > 1).length).toBeGreaterThan(0);
    expect(attendees.filter((a) => a.email.includes('.walkin')).length).toBeGreaterThan(0);
    expect(attendees.filter((a) => a.attendance.length > 1).length).toBeGreaterThan(0);
    expect(attendees.filter((a) => !/^[\x20-\x7e]*$/.test(a.firstName)).length).toBeGreaterThan(0);
    expectSameRows(
      webinars.flatMap((w) => store.registrants(w)),
      attendees,
    );
  });

  it('writes rows added and changed through the control operations as the shaper does', () => {
    const w = webinars.find((x) => store.sessions(x).length > 0)!;
    ODD.forEach((text, i) => {
      const r = store.addRegistrant(w.webinarKey, {
        firstName: `${text}f`,
        lastName: `${text}l`,
        email: `odd${i}${text}@example.com`,
        timeZone: text,
      });
      store.markAttendance(w.webinarKey, { registrantKey: r.registrantKey });
      store.markAttendance(w.webinarKey, {
        firstName: text,
        lastName: text,
        email: `walkin${i}${text}@example.com`,
        attendanceTimeInSeconds: i * 61,
      });
    });
    const [first, second] = store.registrants(w);
    // Bodies are not validated: a status left out, values that are not strings.
    store.setRegistrantStatus(w.webinarKey, first.registrantKey, undefined as never);
    store.setRegistrantStatus(w.webinarKey, second.registrantKey, 'a"b' as never);
    store.addRegistrant(w.webinarKey, {
      firstName: 'N',
      lastName: 'Umber',
      email: 'number@example.com',
      status: 3 as never,
      timeZone: { zone: 'UTC' } as never,
    });
    const weird = [7, true, null, ['x'], { a: 'b' }, 1e9, -0, 1.5];
    weird.forEach((value, i) =>
      store.markAttendance(w.webinarKey, {
        firstName: value as never,
        email: `weird${i}@example.com`,
        attendanceTimeInSeconds: (typeof value === 'number' ? value : undefined) as never,
      }),
    );
    const registrants = store.registrants(w);
    const attendees = attendeesOf(w);
    expect(registrants.some((r) => r.status === undefined)).toBe(true);
    expect(attendees.filter((a) => a.email.startsWith('weird'))).toHaveLength(weird.length);
    expectSameRows(registrants, attendees);
  });

  it('writes hand-made rows as the shaper does, odd, absent and extra fields included', () => {
    const registrant: SimRegistrant = {
      registrantKey: '3992125636143048966',
      firstName: 'Renée',
      lastName: "O'Brien",
      email: 'renee@example.org',
      status: 'APPROVED',
      registrationDate: '2026-01-26T14:38:53.626Z',
      joinUrl: 'https://global.gotowebinar.com/join/1/2',
      timeZone: 'Europe/Berlin',
    };
    const attendee: SimAttendee = {
      registrantKey: '6268061073157789215',
      sessionKey: '-6763375336452077122',
      firstName: 'Дмитрий',
      lastName: '王',
      email: 'user@example.org',
      attendanceTimeInSeconds: 2553,
      attendance: [{ joinTime: '2026-02-08T12:30:35Z', leaveTime: '2026-02-08T13:13:08Z' }],
    };
    const registrants: SimRegistrant[] = [
      registrant,
      { ...registrant, source: 'api', organization: '', jobTitle: 'Engineer' },
      { ...registrant, email: undefined as never, timeZone: undefined as never },
      { ...registrant, status: null as never, joinUrl: 5 as never },
    ];
    const attendees: SimAttendee[] = [
      attendee,
      { ...attendee, attendance: [] },
      { ...attendee, attendance: [...attendee.attendance, ...attendee.attendance] },
      {
        ...attendee,
        attendance: [{ joinTime: 'j', leaveTime: 'l', extra: 1 } as never, { joinTime: 'j' }],
      } as SimAttendee,
      ...[0, -0, 1.25, -3, 1e21, 5e-7, NaN, Infinity, -Infinity].map((n) => ({
        ...attendee,
        attendanceTimeInSeconds: n,
      })),
      { ...attendee, attendanceTimeInSeconds: '12' as never },
      { ...attendee, attendanceTimeInSeconds: undefined as never },
      { ...attendee, email: undefined as never, firstName: 1 as never },
    ];
    for (const text of ODD) {
      for (const field of ['firstName', 'lastName', 'email'] as const) {
        registrants.push({ ...registrant, [field]: text });
        attendees.push({ ...attendee, [field]: text });
      }
      for (const field of ['status', 'registrationDate', 'joinUrl', 'timeZone'] as const)
        registrants.push({ ...registrant, [field]: text as never });
      attendees.push({ ...attendee, attendance: [{ joinTime: text, leaveTime: text }] });
    }
    expectSameRows(registrants, attendees);
    expect(registrantText(registrant)).toBe(
      '{"lastName":"O\'Brien","email":"renee@example.org","firstName":"Renée","registrantKey":3992125636143048966,"registrationDate":"2026-01-26T14:38:53.626Z","status":"APPROVED","joinUrl":"https://global.gotowebinar.com/join/1/2","timeZone":"Europe/Berlin"}',
    );
    expect(attendeeText({ ...attendee, attendanceTimeInSeconds: NaN })).toContain(
      '"attendanceTimeInSeconds":null,',
    );
    expect(registrantText({ ...registrant, firstName: num('12') })).toContain('"firstName":12,');
  });

  it('rejects a key that is not an integer as the shaper does', () => {
    const r = { registrantKey: '12a' } as SimRegistrant;
    const a = { registrantKey: '1', sessionKey: 'x', attendance: [] } as unknown as SimAttendee;
    expect(() => slowRegistrant(r)).toThrow('not an integer');
    expect(() => registrantText(r)).toThrow('not an integer');
    expect(() => slowAttendee(a)).toThrow('not an integer');
    expect(() => attendeeText(a)).toThrow('not an integer');
  });
});
