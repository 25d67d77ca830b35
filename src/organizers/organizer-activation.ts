// When an organizer is active. One rule for every path that brings new credentials (PATCH with a
// password / token / email, reconnecting through "Connect with GoTo").

/** Set when a user deactivates; any other reason was set by Test Connection. */
export const USER_DEACTIVATED_REASON = 'Deactivated by a user';

export interface ActivationState {
  active: boolean;
  deactivatedReason: string | null;
}

/**
 * Whether the organizer is active once GoTo accepted new credentials for it. New credentials never
 * undo a user's deactivation; an organizer that Test Connection deactivated (GoTo account gone,
 * credentials refused) is reactivated by them. An explicit `active` sent with the credentials
 * (PATCH) is the user's own decision and wins.
 */
export function activeAfterNewCredentials(o: ActivationState, requested?: boolean): boolean {
  if (requested !== undefined) return requested;
  return Boolean(o.active) || !deactivatedByUser(o);
}

/** Deactivated by a user (PATCH active=false), as opposed to by Test Connection. */
export function deactivatedByUser(o: ActivationState): boolean {
  return !o.active && o.deactivatedReason === USER_DEACTIVATED_REASON;
}

/** The rule's hint beside a deactivated organizer's reason on the admin page, by who deactivated it. */
export const REACTIVATION_HINTS = {
  byUser: 'New credentials keep it deactivated; switch Active on to sync again.',
  byTestConnection:
    'Valid new credentials (a new password or token, or Connect with GoTo) reactivate it and queue a sync.',
};

/** The rule as the API docs state it. */
export const REACTIVATION_RULE =
  'New credentials (PATCH or reconnecting with GoTo) never undo a deactivation made by a user; an organizer that Test Connection deactivated (GoTo account gone, credentials refused) is reactivated by valid new credentials, and a full sync is queued.';
