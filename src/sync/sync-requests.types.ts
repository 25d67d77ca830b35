// The typed surface of SyncRequestsService: what feature modules send and get back.

/** Why a sync is not started (or ended without doing anything). */
export type SyncSkipReason =
  'organizer_inactive' | 'integration_inactive' | 'webinar_cancelled' | 'not_found';

export interface SyncSkip {
  reason: SyncSkipReason;
  /** For people: shown in mailing reports and job results. */
  message: string;
}

/** The organizer facts the skip rules read (an `Organizer` row satisfies it). */
export interface OrganizerSyncTarget {
  id: number;
  accountId: number;
  active: boolean;
}

/** The webinar facts the skip rules read (a `Webinar` row satisfies it). */
export interface WebinarSyncTarget {
  id: number;
  accountId: number;
  organizerId: number;
  status: string;
}

/** `initial`: just linked or new credentials; `on_demand`: a user asked (or reconnected). */
export type OrganizerSyncKind = 'initial' | 'on_demand';

export type SyncRequestOutcome =
  { queued: true; jobId: number } | { queued: false; skip: SyncSkip };

/** One webinar of a mailing, after the before-send sync. */
export type MailingSyncOutcome =
  | { webinarId: number; outcome: 'synced'; jobId: number }
  | { webinarId: number; outcome: 'skipped'; reason: string }
  | { webinarId: number; outcome: 'failed' | 'unfinished'; jobId: number; message: string }
  | { webinarId: number; outcome: 'not_started'; message: string };

export const SKIP_MESSAGES: Record<SyncSkipReason, string> = {
  organizer_inactive: 'organizer is deactivated',
  integration_inactive: 'the webinar integration of the account is inactive',
  webinar_cancelled: 'the webinar was cancelled in GoTo Webinar',
  not_found: 'webinar not found',
};

export const skipOf = (reason: SyncSkipReason): SyncSkip => ({
  reason,
  message: SKIP_MESSAGES[reason],
});
