// The registrant list's and the attendee report's rows, written directly as UTF-8 bytes: the same
// bytes as stringify(shape.registrant(r)) / stringify(shape.attendee(a)) without building the
// shaped object, its int64 markers and their replace, nor a string per row (sim-byte-writer.ts).
//
// A row is written by the template when each of its text fields is plain: a string that
// JSON.stringify writes between quotes unchanged (ByteWriter.str checks while it encodes). Anything
// else (a quote, a backslash, a control character such as a marker's NUL, a surrogate, a field that
// is not a string or is absent, a key that is not an integer, a number JSON writes as null) rewinds
// the row and writes the shaper's text instead, so the bytes are the same in every case; the
// generated dataset never needs it.
import { ByteWriter } from './sim-byte-writer';
import { stringify } from './sim-json';
import * as shape from './sim-shapes';
import { SimAttendee, SimRegistrant } from './sim-types';

/** Appends stringify(shape.registrant(r)) as UTF-8. */
export function writeRegistrant(out: ByteWriter, r: SimRegistrant): void {
  const start = out.pos;
  out.ascii('{"lastName":');
  if (
    out.str(r.lastName) &&
    (out.ascii(',"email":'), out.str(r.email)) &&
    (out.ascii(',"firstName":'), out.str(r.firstName)) &&
    (out.ascii(',"registrantKey":'), out.int(r.registrantKey)) &&
    (out.ascii(',"registrationDate":'), out.str(r.registrationDate)) &&
    (out.ascii(',"status":'), out.str(r.status)) &&
    (out.ascii(',"joinUrl":'), out.str(r.joinUrl)) &&
    (out.ascii(',"timeZone":'), out.str(r.timeZone))
  ) {
    out.ascii('}');
    return;
  }
  out.pos = start;
  out.utf8(stringify(shape.registrant(r)));
}

/** Appends stringify(shape.attendee(a)) as UTF-8. */
export function writeAttendee(out: ByteWriter, a: SimAttendee): void {
  const start = out.pos;
  const seconds = a.attendanceTimeInSeconds;
  out.ascii('{"registrantKey":');
  if (
    out.int(a.registrantKey) &&
    (out.ascii(',"firstName":'), out.str(a.firstName)) &&
    (out.ascii(',"lastName":'), out.str(a.lastName)) &&
    (out.ascii(',"email":'), out.str(a.email)) &&
    typeof seconds === 'number' &&
    Number.isFinite(seconds) &&
    (out.ascii(`,"attendanceTimeInSeconds":${seconds},"sessionKey":`), out.int(a.sessionKey)) &&
    (out.ascii(',"attendance":['), writeAttendance(out, a.attendance))
  ) {
    out.ascii(']}');
    return;
  }
  out.pos = start;
  out.utf8(stringify(shape.attendee(a)));
}

function writeAttendance(out: ByteWriter, attendance: SimAttendee['attendance']): boolean {
  if (!Array.isArray(attendance)) return false;
  for (let i = 0; i < attendance.length; i++) {
    const x = attendance[i];
    out.ascii(i === 0 ? '{"joinTime":' : ',{"joinTime":');
    if (!out.str(x.joinTime)) return false;
    out.ascii(',"leaveTime":');
    if (!out.str(x.leaveTime)) return false;
    out.ascii('}');
  }
  return true;
}

/** stringify(shape.registrant(r)), through the byte writer. */
export function registrantText(r: SimRegistrant): string {
  const out = new ByteWriter();
  writeRegistrant(out, r);
  return out.finish().toString('utf8');
}

/** stringify(shape.attendee(a)), through the byte writer. */
export function attendeeText(a: SimAttendee): string {
  const out = new ByteWriter();
  writeAttendee(out, a);
  return out.finish().toString('utf8');
}
