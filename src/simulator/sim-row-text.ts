// The registrant list's and the attendee report's rows, written directly as byte strings (UTF-8
// bytes, one char each: sim-byte-strings.ts): the same bytes as stringify(shape.registrant(r)) /
// stringify(shape.attendee(a)) without building the shaped object, its int64 markers and their
// replace, nor a two-byte string to encode again per response.
//
// A row is written by the template when each of its text fields is plain: a string that
// JSON.stringify writes between quotes unchanged (plainBytes). Anything else (a quote, a backslash,
// a control character such as a marker's NUL, a surrogate, a field that is not a string or is
// absent, a key that is not an integer, a number JSON writes as null) goes through the shaper, so
// the bytes are the same in every case; the generated dataset never needs it.
import { byteString, plainBytes } from './sim-byte-strings';
import { stringify } from './sim-json';
import * as shape from './sim-shapes';
import { SimAttendance, SimAttendee, SimRegistrant } from './sim-types';

const INTEGER = /^-?\d+$/;

/** stringify(shape.registrant(r)) as a byte string. */
export function registrantBytes(r: SimRegistrant): string {
  const lastName = plainBytes(r.lastName);
  const email = plainBytes(r.email);
  const firstName = plainBytes(r.firstName);
  const { registrantKey } = r;
  const registrationDate = plainBytes(r.registrationDate);
  const status = plainBytes(r.status);
  const joinUrl = plainBytes(r.joinUrl);
  const timeZone = plainBytes(r.timeZone);
  const fast =
    lastName !== undefined &&
    email !== undefined &&
    firstName !== undefined &&
    INTEGER.test(registrantKey) &&
    registrationDate !== undefined &&
    status !== undefined &&
    joinUrl !== undefined &&
    timeZone !== undefined;
  if (!fast) return byteString(stringify(shape.registrant(r)));
  return (
    `{"lastName":"${lastName}","email":"${email}","firstName":"${firstName}",` +
    `"registrantKey":${registrantKey},"registrationDate":"${registrationDate}",` +
    `"status":"${status}","joinUrl":"${joinUrl}","timeZone":"${timeZone}"}`
  );
}

/** stringify(shape.attendee(a)) as a byte string. */
export function attendeeBytes(a: SimAttendee): string {
  const { registrantKey, attendanceTimeInSeconds, sessionKey } = a;
  const firstName = plainBytes(a.firstName);
  const lastName = plainBytes(a.lastName);
  const email = plainBytes(a.email);
  const attendance = attendanceBytes(a.attendance);
  const fast =
    INTEGER.test(registrantKey) &&
    firstName !== undefined &&
    lastName !== undefined &&
    email !== undefined &&
    typeof attendanceTimeInSeconds === 'number' &&
    Number.isFinite(attendanceTimeInSeconds) &&
    INTEGER.test(sessionKey) &&
    attendance !== undefined;
  if (!fast) return byteString(stringify(shape.attendee(a)));
  return (
    `{"registrantKey":${registrantKey},"firstName":"${firstName}","lastName":"${lastName}",` +
    `"email":"${email}","attendanceTimeInSeconds":${attendanceTimeInSeconds},` +
    `"sessionKey":${sessionKey},"attendance":[${attendance}]}`
  );
}

/** The attendance array's items, or undefined if one is not plain. */
function attendanceBytes(attendance: SimAttendance[]): string | undefined {
  if (!Array.isArray(attendance)) return undefined;
  let out = '';
  for (let i = 0; i < attendance.length; i++) {
    const joinTime = plainBytes(attendance[i].joinTime);
    const leaveTime = plainBytes(attendance[i].leaveTime);
    if (joinTime === undefined || leaveTime === undefined) return undefined;
    out += `${i > 0 ? ',' : ''}{"joinTime":"${joinTime}","leaveTime":"${leaveTime}"}`;
  }
  return out;
}

const text = (bytes: string) => Buffer.from(bytes, 'latin1').toString('utf8');

/** stringify(shape.registrant(r)). */
export const registrantText = (r: SimRegistrant): string => text(registrantBytes(r));

/** stringify(shape.attendee(a)). */
export const attendeeText = (a: SimAttendee): string => text(attendeeBytes(a));
