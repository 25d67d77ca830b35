// The JSON GoTo posts to a callback for each change (goto-webinar-api.md §6.2), keys as bare numbers.
import { createHash } from 'node:crypto';
import { num, stringify } from './sim-json';
import { SimChange } from './sim-store';
import { SimOrganizer } from './sim-types';

/** A UUID-shaped id, deterministic per seed and serial. */
export function simUuid(seed: number, kind: string, n: number): string {
  const h = createHash('sha1').update(`${seed}:${kind}:${n}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The event's JSON text. `eventKey` unique per event; `timestamp` the simulator's clock. */
export function webhookPayload(
  change: SimChange,
  organizer: SimOrganizer | undefined,
  eventKey: string,
  nowMs: number,
): string {
  const w = change.webinar;
  const common = {
    eventName: change.kind,
    eventVersion: '1.0.0',
    product: 'g2w',
    eventKey,
  };
  const webinar = {
    webinarKey: num(w.webinarKey),
    webinarTitle: w.subject,
    experienceType: w.experienceType,
    recurrenceType: w.recurrenceType,
    webinarCreatorKey: num(w.organizerKey),
  };
  const timestamp = new Date(nowMs).toISOString();
  if (change.kind === 'registrant.added') {
    const r = change.registrant;
    return stringify({
      ...common,
      firstName: r.firstName,
      lastName: r.lastName,
      email: r.email,
      responses: [],
      registrationDate: r.registrationDate,
      status: r.status,
      ...webinar,
      registrantKey: num(r.registrantKey),
      ...(r.status === 'APPROVED' ? { joinUrl: r.joinUrl } : {}),
      timestamp,
    });
  }
  if (change.kind === 'registrant.joined') {
    const a = change.attendee;
    return stringify({
      ...common,
      firstName: a.firstName,
      lastName: a.lastName,
      email: a.email,
      ...webinar,
      sessionKey: num(a.sessionKey),
      registrantKey: num(a.registrantKey),
      joinTime: Date.parse(a.attendance[0]?.joinTime ?? timestamp),
      timestamp,
    });
  }
  return stringify({
    ...common,
    webinarKey: num(w.webinarKey),
    webinarTitle: w.subject,
    ...(w.description ? { description: w.description } : {}),
    experienceType: w.experienceType,
    recurrenceType: w.recurrenceType,
    ...(w.recurrenceKey ? { recurrenceKey: num(w.recurrenceKey) } : {}),
    times: w.times,
    status: change.status,
    timeZone: w.timeZone,
    organizerKey: num(w.organizerKey),
    accountKey: num(organizer?.accountKey ?? w.accountKey),
    ...(change.kind === 'webinar.created' ? { webinarCreationDate: w.createTime } : {}),
    timestamp,
  });
}
