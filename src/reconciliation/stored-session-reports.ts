import { dbTime } from '../database/datetime';

/** GoTo's session-report counts as stored on the webinar (`at`: when they were read, epoch ms). */
export interface StoredSessionReports {
  sessions: number;
  registrantsAttended: number;
  registrantCount: number | null;
  at: number;
}

/**
 * The stored session-report columns of a webinar (the entity's fields, or a raw row's values as
 * either driver returns them) as one value; null until a sync read the sessions (no `at`).
 */
export function storedSessionReports(v: {
  sessions: unknown;
  registrantsAttended: unknown;
  registrantCount: unknown;
  at: unknown;
}): StoredSessionReports | null {
  const at = dbTime(v.at);
  if (at === null) return null;
  return {
    sessions: Number(v.sessions ?? 0),
    registrantsAttended: Number(v.registrantsAttended ?? 0),
    registrantCount: v.registrantCount == null ? null : Number(v.registrantCount),
    at,
  };
}
