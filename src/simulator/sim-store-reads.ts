// The dataset's reads: generated organizers and webinars, and registrants, sessions and attendees
// regenerated from the seed on each read and merged with the overlay of changes (sim-overlay.ts).
// What the routes build from them (a webinar's serialized rows) is memoized in a small LRU that
// every change invalidates (sim-memo.ts). The changes themselves: SimStore (sim-store.ts).
import { LRUCache } from 'lru-cache';
import { generateOrganizers, generateWebinars } from './sim-dataset';
import { generateRegistrants } from './sim-dataset-registrants';
import {
  countGeneratedAttendees,
  generateAttendees,
  generateSessions,
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
}
