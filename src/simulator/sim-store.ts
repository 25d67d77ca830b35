// The dataset: generated organizers and webinars plus an in-memory overlay of every change.
// Registrants and attendees are regenerated from the seed on each read and merged with the overlay;
// what the routes build from them (a webinar's serialized rows) is memoized in a small LRU that
// every change invalidates (`revision`).
import {
  countGeneratedAttendees,
  generateAttendees,
  generateOrganizers,
  generateRegistrants,
  generateSessions,
  generateWebinars,
  iso,
  joinUrl,
  sessionKeyFor,
} from './sim-dataset';
import { makeDigits, makeKey } from './sim-random';
import {
  SimAttendee,
  SimOrganizer,
  SimRecurrenceType,
  SimRegistrant,
  SimRegistrantStatus,
  SimSession,
  SimTime,
  SimWebinar,
} from './sim-types';

export class SimNotFoundError extends Error {}
export class SimConflictError extends Error {
  constructor(
    message: string,
    readonly existing?: SimRegistrant,
  ) {
    super(message);
  }
}
export class SimInputError extends Error {}

interface Overlay {
  added: SimRegistrant[];
  removed: Set<string>;
  extraSessions: SimSession[];
  extraAttendees: SimAttendee[];
  statuses: Map<string, SimRegistrantStatus>;
}

export interface DatasetOptions {
  seed: number;
  organizers: number;
  webinars: number;
  registrants: number;
  now?: Date;
}

export interface AddRegistrantInput {
  firstName: string;
  lastName: string;
  email: string;
  status?: SimRegistrantStatus;
  timeZone?: string;
}

export interface MarkAttendanceInput {
  /** An existing registrant; otherwise firstName/lastName/email describe an unregistered attendee. */
  registrantKey?: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  /** An existing session, or the index of the webinar time whose session is used/created (default 0). */
  sessionKey?: string;
  timeIndex?: number;
  attendanceTimeInSeconds?: number;
}

export interface AddWebinarInput {
  subject?: string;
  description?: string;
  times: SimTime[];
  recurrenceType?: SimRecurrenceType;
  recurrenceKey?: string;
  /** Number of generated registrants (default 0). */
  registrants?: number;
  approvalType?: 'AUTOMATIC' | 'MANUAL';
  timeZone?: string;
  experienceType?: string;
}

const DAY = 86_400_000;
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
  private readonly cache = new Map<string, SimRegistrant[]>();
  /** Bumped by every change (control endpoints, REST writes, the clock): memoized results expire. */
  private revision = 0;
  private readonly memo = new Map<string, { sig: string; value: unknown }>();
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
    const key = `${kind}:${w.webinarKey}`;
    const full = `${this.revision}|${w.status}|${JSON.stringify(w.times)}|${w.approvalType}|${w.generatedRegistrants}|${sig}`;
    const hit = this.memo.get(key);
    if (hit) {
      this.memo.delete(key);
      if (hit.sig === full) {
        this.memo.set(key, hit);
        return hit.value as T;
      }
    }
    const value = build();
    if (this.memo.size >= MEMO_SIZE) this.memo.delete(this.memo.keys().next().value!);
    this.memo.set(key, { sig: full, value });
    return value;
  }

  private changed(): void {
    this.revision++;
    this.memo.clear();
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
      o = {
        added: [],
        removed: new Set(),
        extraSessions: [],
        extraAttendees: [],
        statuses: new Map(),
      };
      this.overlays.set(webinarKey, o);
    }
    return o;
  }

  /** Generated registrants, with a small LRU cache (never the whole dataset: 1M registrants must fit). */
  private generated(w: SimWebinar): SimRegistrant[] {
    const key = `${w.webinarKey}:${w.times[0].startTime}:${w.approvalType}`;
    let list = this.cache.get(key);
    if (list) {
      this.cache.delete(key);
    } else {
      list = generateRegistrants(this.seed, w, this.anchorMs);
      if (this.cache.size >= CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    }
    this.cache.set(key, list);
    return list;
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
    if (!o) return generated;
    return [...generated, ...o.added]
      .filter((r) => !o.removed.has(r.registrantKey))
      .map((r) =>
        o.statuses.has(r.registrantKey) ? { ...r, status: o.statuses.get(r.registrantKey)! } : r,
      );
  }

  /** Completed sessions, ordered by start time. */
  sessions(w: SimWebinar): SimSession[] {
    const generated = generateSessions(this.seed, w, this.nowMs());
    const extra = this.overlays.get(w.webinarKey)?.extraSessions ?? [];
    const keys = new Set(extra.map((s) => s.sessionKey));
    return [...generated.filter((s) => !keys.has(s.sessionKey)), ...extra].sort((a, b) =>
      a.startTime.localeCompare(b.startTime),
    );
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
    const extraKeys = new Set(extra.map((a) => a.registrantKey));
    return [...generated.filter((a) => !extraKeys.has(a.registrantKey)), ...extra];
  }

  // ---- changes (the same operations as the /_sim control endpoints) ----

  addRegistrant(webinarKey: string, input: AddRegistrantInput): SimRegistrant {
    const w = this.requireWebinar(webinarKey);
    for (const f of ['firstName', 'lastName', 'email'] as const) {
      if (typeof input[f] !== 'string' || input[f].trim() === '')
        throw new SimInputError(`${f} is required`);
    }
    const existing = this.registrants(w).find(
      (r) => r.email.toLowerCase() === input.email.toLowerCase(),
    );
    if (existing)
      throw new SimConflictError(
        'The registrant has already registered for this webinar.',
        existing,
      );
    const n = ++this.mutations;
    const registrantKey = makeKey(this.seed, 60, w.genId, n);
    const r: SimRegistrant = {
      registrantKey,
      firstName: input.firstName,
      lastName: input.lastName,
      email: input.email,
      status: input.status ?? (w.approvalType === 'MANUAL' ? 'WAITING' : 'APPROVED'),
      registrationDate: iso(this.nowMs(), true),
      joinUrl: joinUrl(w, registrantKey),
      timeZone: input.timeZone ?? w.timeZone,
      source: 'api',
    };
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
    const registrants = this.registrants(w);
    let person: Pick<SimAttendee, 'registrantKey' | 'firstName' | 'lastName' | 'email'>;
    if (input.registrantKey) {
      const r = registrants.find((x) => x.registrantKey === input.registrantKey);
      if (!r) throw new SimNotFoundError(`registrant ${input.registrantKey} not found`);
      person = {
        registrantKey: r.registrantKey,
        firstName: r.firstName,
        lastName: r.lastName,
        email: r.email,
      };
    } else {
      if (!input.email) throw new SimInputError('registrantKey or email is required');
      person = {
        registrantKey: makeKey(this.seed, 61, w.genId, ++this.mutations),
        firstName: input.firstName ?? '',
        lastName: input.lastName ?? '',
        email: input.email,
      };
    }
    const session = this.sessionForAttendance(w, input);
    const start = Date.parse(session.startTime);
    const seconds =
      input.attendanceTimeInSeconds ??
      Math.max(60, Math.round((Date.parse(session.endTime) - start) / 2000));
    const a: SimAttendee = {
      ...person,
      sessionKey: session.sessionKey,
      attendanceTimeInSeconds: seconds,
      attendance: [
        {
          joinTime: iso(start + 60_000, false),
          leaveTime: iso(start + 60_000 + seconds * 1000, false),
        },
      ],
    };
    const o = this.overlay(webinarKey);
    o.extraAttendees = o.extraAttendees.filter(
      (x) => !(x.sessionKey === a.sessionKey && x.registrantKey === a.registrantKey),
    );
    o.extraAttendees.push(a);
    this.changed();
    return a;
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
    const s: SimSession = {
      sessionKey: sessionKeyFor(this.seed, w, k),
      webinarKey: w.webinarKey,
      timeIndex: k,
      ...t,
    };
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
    const n = ++this.mutations;
    const genId = 4_000_000_000 + n;
    const times = normalizeTimes(input.times ?? []);
    const w: SimWebinar = {
      webinarKey: makeKey(this.seed, 25, genId),
      webinarId: makeDigits(9, this.seed, 26, genId),
      organizerKey,
      accountKey: org.accountKey,
      subject: input.subject ?? `Added webinar ${n}`,
      description: input.description ?? '',
      times,
      timeZone: input.timeZone ?? org.timeZone,
      locale: org.locale,
      approvalType: input.approvalType ?? 'AUTOMATIC',
      recurrenceType: input.recurrenceType ?? (times.length > 1 ? 'sequence' : 'single_session'),
      recurrenceKey: input.recurrenceKey,
      experienceType: input.experienceType ?? 'CLASSIC',
      status: 'active',
      generatedRegistrants: input.registrants ?? 0,
      genId,
      createTime: iso(this.nowMs() - DAY, true),
    };
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

function normalizeTimes(times: SimTime[]): SimTime[] {
  if (!Array.isArray(times) || times.length === 0)
    throw new SimInputError('times must be a non-empty array');
  return times.map((t) => {
    const s = Date.parse(t.startTime);
    const e = Date.parse(t.endTime);
    if (Number.isNaN(s) || Number.isNaN(e) || e <= s)
      throw new SimInputError('each time needs startTime < endTime');
    return { startTime: iso(s, false), endTime: iso(e, false) };
  });
}
