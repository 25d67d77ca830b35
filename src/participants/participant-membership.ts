import { PARTICIPANT_STATUS } from './webinar-participant-status.entity';

// The one owner of "who is Registered / Attended / Not Attended / Engaged" for a webinar's
// participants. The webinar counts (participant-counts.repository.ts) and the standard target
// groups (target-group-members.repository.ts) both build their SQL from here, so the rule cannot
// drift between them. Plain SQL that runs unchanged on MySQL/MariaDB and SQLite.
//   registered    registration neither cancelled nor denied
//   attended      status 2 (Attended)
//   not_attended  status 1 (Not Attended) and registration approved
//   engaged       status 2 and summed attendance (attendance_seconds) ≥ N minutes

export type MembershipKind = 'registered' | 'attended' | 'not_attended' | 'engaged';

export const MEMBERSHIP_KINDS: readonly MembershipKind[] = [
  'registered',
  'attended',
  'not_attended',
  'engaged',
];

/**
 * The condition for one kind on participant alias `p`. `engagedMinutesSql` is a SQL expression
 * (a column such as `tg.engagement_minutes`, or a bound `?`) giving N for the engaged kind.
 */
export function memberOf(kind: MembershipKind, p: string, engagedMinutesSql = 'NULL'): string {
  switch (kind) {
    case 'registered':
      return `${p}.registration_status NOT IN ('cancelled', 'denied')`;
    case 'attended':
      return `${p}.webinar_participant_status_id = ${PARTICIPANT_STATUS.ATTENDED}`;
    case 'not_attended':
      return `(${p}.webinar_participant_status_id = ${PARTICIPANT_STATUS.NOT_ATTENDED} AND ${p}.registration_status = 'approved')`;
    case 'engaged':
      return `(${p}.webinar_participant_status_id = ${PARTICIPANT_STATUS.ATTENDED} AND ${p}.attendance_seconds >= 60 * ${engagedMinutesSql})`;
  }
}

/**
 * Membership of the group row `g` (columns `kind`, `engagement_minutes`) for participant `p`:
 * each kind's condition guarded by the group's kind. A group's engaged threshold is the one
 * frozen on the group when it was created.
 */
export function memberOfGroup(g: string, p: string): string {
  return `(${MEMBERSHIP_KINDS.map(
    (k) => `(${g}.kind = '${k}' AND ${memberOf(k, p, `${g}.engagement_minutes`)})`,
  ).join(' OR ')})`;
}

/** `SUM(CASE …)` of one kind over participant alias `p` (for per-webinar counts). */
export function countOf(kind: MembershipKind, p: string, engagedMinutesSql = 'NULL'): string {
  return `SUM(CASE WHEN ${memberOf(kind, p, engagedMinutesSql)} THEN 1 ELSE 0 END)`;
}
