// Every job type the queue knows. Each must have exactly one handler (checked at start).
export const SYNC_JOB_TYPES = {
  ORGANIZER_FULL_SYNC: 'organizer_full_sync',
  ORGANIZER_PERIODIC_SYNC: 'organizer_periodic_sync',
  WEBINAR_PARTICIPANTS_SYNC: 'webinar_participants_sync',
  /** One stored GoTo webhook event (src/webhooks/); account 0: events name no account. */
  WEBHOOK_EVENT: 'webhook_event',
  /** Bring one organizer's GoTo webhook subscription in line (src/webhooks/). */
  WEBHOOK_SUBSCRIPTION: 'webhook_subscription',
  WEBINAR_REGISTRATIONS: 'webinar_registrations',
} as const;

export type SyncJobType = (typeof SYNC_JOB_TYPES)[keyof typeof SYNC_JOB_TYPES];

/**
 * Types whose jobs of one organizer a worker may run side by side (SYNC_ORGANIZER_BATCH): each
 * touches one webinar only. Every other job runs alone for its organizer.
 */
export const ORGANIZER_BATCH_TYPES: ReadonlySet<string> = new Set([
  SYNC_JOB_TYPES.WEBINAR_PARTICIPANTS_SYNC,
]);

// Higher runs first. Mailing-triggered and on-demand jobs overtake the periodic ones.
export const SYNC_PRIORITY = {
  MAILING: 100,
  /** A webhook event: a person waits to see it in the groups within seconds. */
  WEBHOOK: 90,
  ON_DEMAND: 50,
  INITIAL: 40,
  PERIODIC: 0,
  /** Registering subscribers in GoTo: after mailings and every sync. */
  REGISTRATION: -10,
} as const;
