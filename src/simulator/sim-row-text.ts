// The registrant list's and the attendee report's rows, written directly as text: the same bytes
// as stringify(shape.registrant(r)) / stringify(shape.attendee(a)) without building the shaped
// object, its int64 markers and their replace (a list of 1000 rows cost ~2 ms that way).
//
// A row is written by the template when each of its text fields is `plain`: a string that
// JSON.stringify writes between quotes unchanged. Anything else (a quote, a backslash, a control
// character such as a marker's NUL, a surrogate, a field that is not a string or is absent, a key
// that is not an integer, a number JSON writes as null) goes through the shaper, so the text is
// the same in every case; the generated dataset never needs it.
import { stringify } from './sim-json';
import * as shape from './sim-shapes';
import { SimAttendee, SimRegistrant } from './sim-types';

const INTEGER = /^-?\d+$/;

/** A string JSON.stringify writes as `"${s}"`: no quote, backslash, control char or surrogate. */
function plain(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return false;
  }
  return true;
}

/** stringify(shape.registrant(r)). */
export function registrantText(r: SimRegistrant): string {
  const { lastName, email, firstName, registrantKey, registrationDate, status, joinUrl, timeZone } =
    r;
  const fast =
    plain(lastName) &&
    plain(email) &&
    plain(firstName) &&
    INTEGER.test(registrantKey) &&
    plain(registrationDate) &&
    plain(status) &&
    plain(joinUrl) &&
    plain(timeZone);
  if (!fast) return stringify(shape.registrant(r));
  return (
    `{"lastName":"${lastName}","email":"${email}","firstName":"${firstName}",` +
    `"registrantKey":${registrantKey},"registrationDate":"${registrationDate}",` +
    `"status":"${status}","joinUrl":"${joinUrl}","timeZone":"${timeZone}"}`
  );
}

/** stringify(shape.attendee(a)). */
export function attendeeText(a: SimAttendee): string {
  const { registrantKey, firstName, lastName, email, attendanceTimeInSeconds, sessionKey } = a;
  const fast =
    INTEGER.test(registrantKey) &&
    plain(firstName) &&
    plain(lastName) &&
    plain(email) &&
    typeof attendanceTimeInSeconds === 'number' &&
    Number.isFinite(attendanceTimeInSeconds) &&
    INTEGER.test(sessionKey) &&
    a.attendance.every((x) => plain(x.joinTime) && plain(x.leaveTime));
  if (!fast) return stringify(shape.attendee(a));
  const attendance = a.attendance
    .map((x) => `{"joinTime":"${x.joinTime}","leaveTime":"${x.leaveTime}"}`)
    .join(',');
  return (
    `{"registrantKey":${registrantKey},"firstName":"${firstName}","lastName":"${lastName}",` +
    `"email":"${email}","attendanceTimeInSeconds":${attendanceTimeInSeconds},` +
    `"sessionKey":${sessionKey},"attendance":[${attendance}]}`
  );
}
