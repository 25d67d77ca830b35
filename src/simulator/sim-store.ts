// The dataset: generated organizers and webinars plus an in-memory overlay of every change.
// Registrants and attendees are regenerated from the seed on each read and merged with the overlay
// (sim-overlay.ts); what the routes build from them (a webinar's serialized rows) is memoized in a
// small LRU that every change invalidates (sim-memo.ts). The records a change adds: sim-records.ts.
import {
  countGeneratedAttendees,
  generateAttendees,
  generateOrganizers,
  generateRegistrants,
  generateSessions,
  generateWebinars,
} from './sim-dataset';
import { SimConflictError, SimInputError, SimNotFoundError } from './sim-errors';
import { Lru, SimMemo } from './sim-memo';
import {
  Overlay,
  emptyOverlay,
  mergeAttendees,
  mergeRegistrants,
  mergeSessions,
} from './sim-overlay';
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
import {
  AddRegistrantInput,
  AddWebinarInput,
  DatasetOptions,
  MarkAttendanceInput,
} from './sim-store-inputs';
import {
  SimAttendee,
  SimOrganizer,
  SimRegistrant,
  SimRegistrantStatus,
  SimSession,
  SimTime,
  SimWebinar,
} from './sim-types';

const CACHE_SIZE = 16;
/** Memoized per-webinar results (serialized rows): 16 webinars of 10,000 rows are ~100 MB at most. */
const MEMO_SIZE = 16;

export class SimStore {
  readonly organizers: SimOrganizer[];
  private readonly webinarsByKey = new Map<string, SimWebinar>();
  private readonly webinarsByOrg = new Map<string, SimWebinar[]>();
  private readonly overlays = new Map<string, Overlay>();
  private readonly fixedNowMs: number | null;
  private offsetMs = 0;
  /** Generation anchor (now, floored to the hour): registration dates never move with the clock. */
  private readonly anchorMs: number;
  private mutations = 0;
  /** Generated registrants (never the whole dataset: 1M registrants must fit). */
  private readonly cache = new Lru<SimRegistrant[]>(CACHE_SIZE);
  private readonly memo = new SimMemo(MEMO_SIZE);
  /** Organizer that /oauth/authorize consents as when no login_hint is given. */
  authorizeAs: string | null = null;

  constructor(readonly options: DatasetOptions) {
    this.fixedNowMs = options.now ? options.now.getTime() : null;
    // Generation is anchored on the hour, so two runs within the same hour produce the same data.
    const anchor = Math.floor(this.nowMs() / 3_600_000) * 3_600_000;
    this.anchorMs = anchor;
    this.organizers = generateOrganizers(options.seed, options.organizers);
    this.organizers.forEach((org, i) => {
      const list = generateWebinars(
        options.seed,
        org,
        i,
        options.webinars,
        options.registrants,
        anchor,
      );
      this.webinarsByOrg.set(org.organizerKey, list);
      list.forEach((w) => this.webinarsByKey.set(w.webinarKey, w));
    });
  }

  get seed(): number {
    return this.options.seed;
  }

  nowMs(): number {
    return (this.fixedNowMs ?? Date.now()) + this.offsetMs;
  }

  advanceClock(seconds: number): void {
    this.offsetMs += seconds * 1000;
    this.changed();
  }

  /**
   * `build()` of one webinar, kept (LRU, MEMO_SIZE webinars) until the dataset changes or `sig`
   * differs. `sig` names whatever else the result depends on (e.g. the completed sessions, which
   * move with a running clock). Lets a paged endpoint build all rows once, not once per page.
   */
  memoize<T>(kind: string, w: SimWebinar, sig: string, build: () => T): T {
    return this.memo.memoize(kind, w, sig, build);
  }

  private changed(): void {
    this.memo.invalidate();
  }

  organizer(key: string): SimOrganizer | undefined {
    return this.organizers.find((o) => o.organizerKey === key);
  }

  activeOrganizer(key: string): SimOrganizer | undefined {
    const o = this.organizer(key);
    return o && !o.removed ? o : undefined;
  }

  /** All webinars of an organizer (cancelled/deleted included), ordered by first start time. */
  webinarsOf(organizerKey: string): SimWebinar[] {
    const list = this.webinarsByOrg.get(organizerKey) ?? [];
    return [...list].sort(
      (a, b) =>
        a.times[0].startTime.localeCompare(b.times[0].startTime) ||
        a.webinarKey.localeCompare(b.webinarKey),
    );
  }

  webinar(key: string): SimWebinar | undefined {
    return this.webinarsByKey.get(key);
  }

  requireWebinar(key: string): SimWebinar {
    const w = this.webinarsByKey.get(key);
    if (!w) throw new SimNotFoundError(`webinar ${key} not found`);
    return w;
  }

  private overlay(webinarKey: string): Overlay {
    let o = this.overlays.get(webinarKey);
    if (!o) {
      o = emptyOverlay();
      this.overlays.set(webinarKey, o);
    }
    return o;
  }

  private generated(w: SimWebinar): SimRegistrant[] {
    const key = `${w.webinarKey}:${w.times[0].startTime}:${w.approvalType}`;
    return this.cache.get(key, () => generateRegistrants(this.seed, w, this.anchorMs));
  }

  registrantCount(w: SimWebinar): number {
    return this.overlays.has(w.webinarKey) ? this.registrants(w).length : w.generatedRegistrants;
  }

  attendeeCount(w: SimWebinar, session: SimSession): number {
    const o = this.overlays.get(w.webinarKey);
    const generatedOnly = !o || !o.extraAttendees.some((a) => a.sessionKey === session.sessionKey);
    const end = Date.parse(w.times[session.timeIndex]?.endTime ?? '');
    if (generatedOnly && session.timeIndex >= 0 && end <= this.nowMs()) {
      return countGeneratedAttendees(this.seed, w, session.timeIndex);
    }
    return this.attendees(w, session).length;
  }

  registrants(w: SimWebinar): SimRegistrant[] {
    const o = this.overlays.get(w.webinarKey);
    const generated = this.generated(w).slice();
    return o ? mergeRegistrants(generated, o) : generated;
  }

  /** Completed sessions, ordered by start time. */
  sessions(w: SimWebinar): SimSession[] {
    const generated = generateSessions(this.seed, w, this.nowMs());
    return mergeSessions(generated, this.overlays.get(w.webinarKey)?.extraSessions ?? []);
  }

  /** Attendees of one completed session; generated attendance stays even if a registration is removed later. */
  attendees(w: SimWebinar, session: SimSession): SimAttendee[] {
    const o = this.overlays.get(w.webinarKey);
    const extra = (o?.extraAttendees ?? []).filter((a) => a.sessionKey === session.sessionKey);
    const generatedSession =
      session.timeIndex >= 0 &&
      Date.parse(w.times[session.timeIndex]?.endTime ?? '') <= this.nowMs();
    const generated = generatedSession
      ? generateAttendees(this.seed, w, session, this.generated(w))
      : [];
    return mergeAttendees(generated, extra);
  }

  // ---- changes (the same operations as the /_sim control endpoints) ----

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
    // The session did not happen (yet): create it as completed at the scheduled time.
    const s = newSession(this.seed, w, k, t);
    this.overlay(w.webinarKey).extraSessions.push(s);
    this.changed();
    return s;
  }

  rescheduleWebinar(webinarKey: string, times: SimTime[]): SimWebinar {
    const w = this.requireWebinar(webinarKey);
    w.times = normalizeTimes(times);
    this.changed();
    return w;
  }

  cancelWebinar(webinarKey: string): SimWebinar {
    const w = this.requireWebinar(webinarKey);
    w.status = 'cancelled';
    this.changed();
    return w;
  }

  deleteWebinar(webinarKey: string): SimWebinar {
    const w = this.requireWebinar(webinarKey);
    w.status = 'deleted';
    this.changed();
    return w;
  }

  addWebinar(organizerKey: string, input: AddWebinarInput): SimWebinar {
    const org = this.organizer(organizerKey);
    if (!org) throw new SimNotFoundError(`organizer ${organizerKey} not found`);
    const w = newWebinar(this.seed, org, ++this.mutations, input, this.nowMs());
    this.webinarsByKey.set(w.webinarKey, w);
    this.webinarsByOrg.get(organizerKey)?.push(w);
    this.changed();
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
