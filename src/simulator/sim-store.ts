// The dataset: generated organizers and webinars plus an in-memory overlay of every change.
// The reads (and the memo every change invalidates) are in SimStoreReads (sim-store-reads.ts); the
// records a change adds are built in sim-records.ts.
import { SimConflictError, SimInputError, SimNotFoundError } from './sim-errors';
import {
  AttendeePerson,
  checkRegistrantInput,
  newAttendance,
  newRegistrant,
  newSession,
  newWebinar,
  normalizeTimes,
  unregisteredKey,
} from './sim-records';
import { AddRegistrantInput, AddWebinarInput, MarkAttendanceInput } from './sim-store-inputs';
import { SimStoreReads } from './sim-store-reads';
import {
  SimAttendee,
  SimOrganizer,
  SimRegistrant,
  SimRegistrantStatus,
  SimSession,
  SimSessionTimes,
  SimTime,
  SimWebinar,
} from './sim-types';

/** A change GoTo would announce by webhook (sim-webhooks.ts listens). */
export type SimChange =
  | { kind: 'registrant.added'; webinar: SimWebinar; registrant: SimRegistrant }
  | { kind: 'registrant.joined'; webinar: SimWebinar; attendee: SimAttendee }
  | { kind: 'webinar.created' | 'webinar.changed'; webinar: SimWebinar; status: string };

/** The dataset with its changes (the same operations as the /_sim control endpoints). */
export class SimStore extends SimStoreReads {
  /** Numbers the records changes add (their keys derive from it). */
  private mutations = 0;
  /** Called after each change GoTo has a webhook event for. */
  readonly listeners = new Set<(change: SimChange) => void>();

  private announce(change: SimChange): void {
    for (const l of this.listeners) l(change);
  }

  addRegistrant(webinarKey: string, input: AddRegistrantInput): SimRegistrant {
    const w = this.requireWebinar(webinarKey);
    checkRegistrantInput(input);
    const existing = this.registrants(w).find(
      (r) => r.email.toLowerCase() === input.email.toLowerCase(),
    );
    if (existing)
      throw new SimConflictError(
        'The registrant has already registered for this webinar.',
        existing,
      );
    const r = newRegistrant(this.seed, w, ++this.mutations, input, this.nowMs());
    this.overlay(webinarKey).added.push(r);
    this.changed();
    this.announce({ kind: 'registrant.added', webinar: w, registrant: r });
    return r;
  }

  removeRegistrant(webinarKey: string, registrantKey: string): void {
    const w = this.requireWebinar(webinarKey);
    if (!this.registrants(w).some((r) => r.registrantKey === registrantKey)) {
      throw new SimNotFoundError(`registrant ${registrantKey} not found`);
    }
    this.overlay(webinarKey).removed.add(registrantKey);
    this.changed();
  }

  setRegistrantStatus(
    webinarKey: string,
    registrantKey: string,
    status: SimRegistrantStatus,
  ): SimRegistrant {
    const w = this.requireWebinar(webinarKey);
    const r = this.registrants(w).find((x) => x.registrantKey === registrantKey);
    if (!r) throw new SimNotFoundError(`registrant ${registrantKey} not found`);
    this.overlay(webinarKey).statuses.set(registrantKey, status);
    this.changed();
    return { ...r, status };
  }

  markAttendance(webinarKey: string, input: MarkAttendanceInput): SimAttendee {
    const w = this.requireWebinar(webinarKey);
    const person = this.attendingPerson(w, this.registrants(w), input);
    const session = this.sessionForAttendance(w, input);
    const a = newAttendance(person, session, input.attendanceTimeInSeconds);
    const o = this.overlay(webinarKey);
    o.extraAttendees = o.extraAttendees.filter(
      (x) => !(x.sessionKey === a.sessionKey && x.registrantKey === a.registrantKey),
    );
    o.extraAttendees.push(a);
    this.changed();
    this.announce({ kind: 'registrant.joined', webinar: w, attendee: a });
    return a;
  }

  /** The registrant `input` names, or the unregistered attendee it describes. */
  private attendingPerson(
    w: SimWebinar,
    registrants: SimRegistrant[],
    input: MarkAttendanceInput,
  ): AttendeePerson {
    if (input.registrantKey) {
      const r = registrants.find((x) => x.registrantKey === input.registrantKey);
      if (!r) throw new SimNotFoundError(`registrant ${input.registrantKey} not found`);
      return {
        registrantKey: r.registrantKey,
        firstName: r.firstName,
        lastName: r.lastName,
        email: r.email,
      };
    }
    if (!input.email) throw new SimInputError('registrantKey or email is required');
    return {
      registrantKey: unregisteredKey(this.seed, w, ++this.mutations),
      firstName: input.firstName ?? '',
      lastName: input.lastName ?? '',
      email: input.email,
    };
  }

  private sessionForAttendance(w: SimWebinar, input: MarkAttendanceInput): SimSession {
    const sessions = this.sessions(w);
    if (input.sessionKey) {
      const s = sessions.find((x) => x.sessionKey === input.sessionKey);
      if (!s) throw new SimNotFoundError(`session ${input.sessionKey} not found`);
      return s;
    }
    const k = input.timeIndex ?? 0;
    const t = w.times[k];
    if (!t) throw new SimInputError(`webinar has no time #${k}`);
    const existing = sessions.find((s) => s.timeIndex === k);
    if (existing) return existing;
    if (this.overlay(w.webinarKey).sessionTimes.has(k))
      throw new SimInputError(`the session of time #${k} is still running`);
    // The session did not happen (yet): create it as completed at the scheduled time.
    const s = newSession(this.seed, w, k, t);
    this.overlay(w.webinarKey).extraSessions.push(s);
    this.changed();
    return s;
  }

  /**
   * The actual times of the session of `times[timeIndex]`: `endTime` null (or later than now)
   * means it started and is still running, so GoTo lists no completed session for it yet.
   */
  setSessionTimes(webinarKey: string, timeIndex: number, actual: SimSessionTimes): SimSession[] {
    const w = this.requireWebinar(webinarKey);
    if (!Number.isInteger(timeIndex) || !w.times[timeIndex])
      throw new SimInputError(`webinar has no time #${timeIndex}`);
    const start = Date.parse(actual.startTime);
    const end = actual.endTime === null ? null : Date.parse(actual.endTime);
    if (Number.isNaN(start) || (end !== null && !(end > start)))
      throw new SimInputError('startTime must be a date before endTime (endTime null: running)');
    const iso = (ms: number) => new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
    this.overlay(webinarKey).sessionTimes.set(timeIndex, {
      startTime: iso(start),
      endTime: end === null ? null : iso(end),
    });
    this.changed();
    return this.sessions(w);
  }

  /** Another organizer of the account co-organizes the webinar (sees it in its list, may read it). */
  addCoorganizer(webinarKey: string, organizerKey: string): SimWebinar {
    const w = this.requireWebinar(webinarKey);
    const org = this.organizer(organizerKey);
    if (!org) throw new SimNotFoundError(`organizer ${organizerKey} not found`);
    if (org.accountKey !== w.accountKey)
      throw new SimInputError('a co-organizer must belong to the same account');
    if (organizerKey !== w.organizerKey && !w.coorganizerKeys?.includes(organizerKey))
      w.coorganizerKeys = [...(w.coorganizerKeys ?? []), organizerKey];
    this.changed();
    return w;
  }

  removeCoorganizer(webinarKey: string, organizerKey: string): SimWebinar {
    const w = this.requireWebinar(webinarKey);
    w.coorganizerKeys = (w.coorganizerKeys ?? []).filter((k) => k !== organizerKey);
    this.changed();
    return w;
  }

  /** The webinar moves to another organizer of the account (GoTo's organizerKey changes). */
  transferWebinar(webinarKey: string, organizerKey: string): SimWebinar {
    const w = this.requireWebinar(webinarKey);
    const org = this.organizer(organizerKey);
    if (!org) throw new SimNotFoundError(`organizer ${organizerKey} not found`);
    if (org.accountKey !== w.accountKey)
      throw new SimInputError('the new organizer must belong to the same account');
    const from = this.webinarsByOrg.get(w.organizerKey) ?? [];
    this.webinarsByOrg.set(
      w.organizerKey,
      from.filter((x) => x !== w),
    );
    w.organizerKey = organizerKey;
    w.coorganizerKeys = (w.coorganizerKeys ?? []).filter((k) => k !== organizerKey);
    this.webinarsByOrg.get(organizerKey)?.push(w);
    this.changed();
    return w;
  }

  rescheduleWebinar(webinarKey: string, times: SimTime[]): SimWebinar {
    const w = this.requireWebinar(webinarKey);
    w.times = normalizeTimes(times);
    this.changed();
    this.announce({ kind: 'webinar.changed', webinar: w, status: 'UPDATED' });
    return w;
  }

  cancelWebinar(webinarKey: string): SimWebinar {
    const w = this.requireWebinar(webinarKey);
    w.status = 'cancelled';
    this.changed();
    this.announce({ kind: 'webinar.changed', webinar: w, status: 'DELETED' });
    return w;
  }

  deleteWebinar(webinarKey: string): SimWebinar {
    const w = this.requireWebinar(webinarKey);
    w.status = 'deleted';
    this.changed();
    this.announce({ kind: 'webinar.changed', webinar: w, status: 'DELETED' });
    return w;
  }

  addWebinar(organizerKey: string, input: AddWebinarInput): SimWebinar {
    const org = this.organizer(organizerKey);
    if (!org) throw new SimNotFoundError(`organizer ${organizerKey} not found`);
    const w = newWebinar(this.seed, org, ++this.mutations, input, this.nowMs());
    this.webinarsByKey.set(w.webinarKey, w);
    this.webinarsByOrg.get(organizerKey)?.push(w);
    this.changed();
    this.announce({ kind: 'webinar.created', webinar: w, status: 'NEW' });
    return w;
  }

  updateOrganizer(
    organizerKey: string,
    change: { email?: string; password?: string },
  ): SimOrganizer {
    const org = this.organizer(organizerKey);
    if (!org) throw new SimNotFoundError(`organizer ${organizerKey} not found`);
    if (change.email !== undefined) org.email = change.email;
    if (change.password !== undefined) org.password = change.password;
    return org;
  }
}
