// The dataset's reads: generated organizers and webinars, and registrants, sessions and attendees
// regenerated from the seed on each read and merged with the overlay of changes (sim-overlay.ts).
// What the routes build from them (a webinar's serialized rows) is memoized in a small LRU that
// every change invalidates (sim-memo.ts). The changes themselves: SimStore (sim-store.ts).
import { LRUCache } from 'lru-cache';
import { generateOrganizers, generateWebinars } from './sim-dataset';
import { generateRegistrants } from './sim-dataset-registrants';
import {
  countGeneratedRegistrantAttendees,
  generateAttendees,
  generateSessions,
  sessionRunning,
} from './sim-dataset-sessions';
import { SimNotFoundError } from './sim-errors';
import { SimMemo } from './sim-memo';
import {
  Overlay,
  emptyOverlay,
  mergeAttendees,
  mergeRegistrants,
  mergeSessions,
} from './sim-overlay';
import { DatasetOptions } from './sim-store-inputs';
import { SimAttendee, SimOrganizer, SimRegistrant, SimSession, SimWebinar } from './sim-types';

const CACHE_SIZE = 16;
/** Memoized per-webinar results (serialized rows): 16 webinars of 10,000 rows are ~100 MB at most. */
const MEMO_SIZE = 16;

/** Lookups, reads and the clock; SimStore adds the changes. */
export class SimStoreReads {
  readonly organizers: SimOrganizer[];
  protected readonly webinarsByKey = new Map<string, SimWebinar>();
  protected readonly webinarsByOrg = new Map<string, SimWebinar[]>();
  private readonly overlays = new Map<string, Overlay>();
  private readonly fixedNowMs: number | null;
  private offsetMs = 0;
  /** Generation anchor (now, floored to the hour): registration dates never move with the clock. */
  private readonly anchorMs: number;
  /** Generated registrants (never the whole dataset: 1M registrants must fit). */
  private readonly cache = new LRUCache<string, SimRegistrant[], SimWebinar>({
    max: CACHE_SIZE,
    memoMethod: (_key, _stale, { context }) =>
      generateRegistrants(this.seed, context, this.anchorMs),
  });
  private readonly memo = new SimMemo(MEMO_SIZE);
  /**
   * How long after a session's end its attendees appear in the reports (GoTo's reporting lag,
   * UNVERIFIED; 0 by default). Until then the session is listed with no attendees.
   */
  private attendeeReportDelayMs = 0;

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

  get attendeeReportDelaySeconds(): number {
    return this.attendeeReportDelayMs / 1000;
  }

  set attendeeReportDelaySeconds(seconds: number) {
    this.attendeeReportDelayMs = Math.max(0, seconds) * 1000;
    this.changed();
  }

  /**
   * Whether the attendees of this completed session are in the reports yet (always without a delay,
   * also for a session the control API created ahead of its time).
   */
  attendeesReported(session: SimSession): boolean {
    if (this.attendeeReportDelayMs === 0) return true;
    return Date.parse(session.endTime) + this.attendeeReportDelayMs <= this.nowMs();
  }

  protected changed(): void {
    this.memo.invalidate();
  }

  organizer(key: string): SimOrganizer | undefined {
    return this.organizers.find((o) => o.organizerKey === key);
  }

  activeOrganizer(key: string): SimOrganizer | undefined {
    const o = this.organizer(key);
    return o && !o.removed ? o : undefined;
  }

  /** Webinars an organizer sees in GoTo: its own and those it co-organizes, by first start time. */
  webinarsVisibleTo(organizerKey: string): SimWebinar[] {
    const co = [...this.webinarsByKey.values()].filter((w) =>
      w.coorganizerKeys?.includes(organizerKey),
    );
    if (co.length === 0) return this.webinarsOf(organizerKey);
    return [...this.webinarsOf(organizerKey), ...co].sort(
      (a, b) =>
        a.times[0].startTime.localeCompare(b.times[0].startTime) ||
        a.webinarKey.localeCompare(b.webinarKey),
    );
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

  protected overlay(webinarKey: string): Overlay {
    let o = this.overlays.get(webinarKey);
    if (!o) {
      o = emptyOverlay();
      this.overlays.set(webinarKey, o);
    }
    return o;
  }

  private generated(w: SimWebinar): SimRegistrant[] {
    const key = `${w.webinarKey}:${w.times[0].startTime}:${w.approvalType}`;
    return this.cache.memo(key, { context: w });
  }

  registrantCount(w: SimWebinar): number {
    return this.overlays.has(w.webinarKey) ? this.registrants(w).length : w.generatedRegistrants;
  }

  /**
   * GoTo's `registrantsAttended` of a session: its attendees who are registrants of the webinar
   * (unregistered attendees are not counted), 0 until the attendee report is in.
   */
  registrantAttendeeCount(w: SimWebinar, session: SimSession): number {
    const o = this.overlays.get(w.webinarKey);
    if (!this.attendeesReported(session)) return 0;
    const generatedOnly = !o || !o.extraAttendees.some((a) => a.sessionKey === session.sessionKey);
    if (generatedOnly && this.generatedSession(session)) {
      return countGeneratedRegistrantAttendees(this.seed, w, session.timeIndex);
    }
    // Generated registrants attend even after their registration is removed (see attendees()).
    const keys = new Set(this.generated(w).map((r) => r.registrantKey));
    for (const r of this.registrants(w)) keys.add(r.registrantKey);
    return this.attendees(w, session).filter((a) => keys.has(a.registrantKey)).length;
  }

  registrants(w: SimWebinar): SimRegistrant[] {
    const o = this.overlays.get(w.webinarKey);
    const generated = this.generated(w).slice();
    return o ? mergeRegistrants(generated, o) : generated;
  }

  /** One of its sessions is running now (by the actual times: late starts and overruns count). */
  inSession(w: SimWebinar): boolean {
    const o = this.overlays.get(w.webinarKey);
    return sessionRunning(this.seed, w, this.nowMs(), o?.sessionTimes);
  }

  /** Completed sessions, ordered by start time. */
  sessions(w: SimWebinar): SimSession[] {
    const o = this.overlays.get(w.webinarKey);
    const generated = generateSessions(this.seed, w, this.nowMs(), o?.sessionTimes);
    return mergeSessions(generated, this.overlays.get(w.webinarKey)?.extraSessions ?? []);
  }

  /** Attendees of one completed session; generated attendance stays even if a registration is removed later. */
  attendees(w: SimWebinar, session: SimSession): SimAttendee[] {
    if (!this.attendeesReported(session)) return [];
    const o = this.overlays.get(w.webinarKey);
    const extra = (o?.extraAttendees ?? []).filter((a) => a.sessionKey === session.sessionKey);
    const generated = this.generatedSession(session)
      ? generateAttendees(this.seed, w, session, this.generated(w))
      : [];
    return mergeAttendees(generated, extra);
  }

  /**
   * A session of a scheduled time that has really ended gets generated attendees; one the control
   * API created ahead of its time (markAttendance on a future time) has only the added ones.
   */
  private generatedSession(session: SimSession): boolean {
    return session.timeIndex >= 0 && Date.parse(session.endTime) <= this.nowMs();
  }
}
