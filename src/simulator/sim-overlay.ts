// A webinar's changes on top of the generated data, and how a read merges the two.
import {
  SimAttendee,
  SimRegistrant,
  SimRegistrantStatus,
  SimSession,
  SimSessionTimes,
} from './sim-types';

export interface Overlay {
  added: SimRegistrant[];
  removed: Set<string>;
  extraSessions: SimSession[];
  extraAttendees: SimAttendee[];
  statuses: Map<string, SimRegistrantStatus>;
  /** Actual session times by index into the webinar's times (late start, overrun, running). */
  sessionTimes: Map<number, SimSessionTimes>;
}

export const emptyOverlay = (): Overlay => ({
  added: [],
  removed: new Set(),
  extraSessions: [],
  extraAttendees: [],
  statuses: new Map(),
  sessionTimes: new Map(),
});

/** Generated plus added registrants, without the removed ones, with changed statuses applied. */
export function mergeRegistrants(generated: SimRegistrant[], o: Overlay): SimRegistrant[] {
  return [...generated, ...o.added]
    .filter((r) => !o.removed.has(r.registrantKey))
    .map((r) =>
      o.statuses.has(r.registrantKey) ? { ...r, status: o.statuses.get(r.registrantKey)! } : r,
    );
}

/** Generated plus extra sessions (an extra one replaces a generated one), by start time. */
export function mergeSessions(generated: SimSession[], extra: SimSession[]): SimSession[] {
  const keys = new Set(extra.map((s) => s.sessionKey));
  return [...generated.filter((s) => !keys.has(s.sessionKey)), ...extra].sort((a, b) =>
    a.startTime.localeCompare(b.startTime),
  );
}

/** Generated plus extra attendees of one session (an extra one replaces a generated one). */
export function mergeAttendees(generated: SimAttendee[], extra: SimAttendee[]): SimAttendee[] {
  const extraKeys = new Set(extra.map((a) => a.registrantKey));
  return [...generated.filter((a) => !extraKeys.has(a.registrantKey)), ...extra];
}
