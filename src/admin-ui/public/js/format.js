// @ts-check
import { state } from './state.js';

/** The account's displayed zone, or the server's default before the settings are loaded. */
export function displayedZone() {
  return state.settings?.displayedTimeZone || state.config.defaultTimeZone;
}

/**
 * A date and time in the displayed zone, e.g. "Dec 3, 2026, 2:00 PM EST".
 * @param {string | null | undefined} value ISO 8601
 */
export function formatDate(value) {
  if (!value) return '';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  try {
    return new Intl.DateTimeFormat('en-US', {
      timeZone: displayedZone(),
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      timeZoneName: 'short',
    }).format(d);
  } catch {
    return d.toISOString();
  }
}

/** @type {Record<import('./api.js').AuthMethod, string>} */
export const AUTH_METHOD_LABELS = {
  password: 'Email & password',
  personal_access_token: 'Access token',
  oauth: 'GoTo (OAuth)',
};
