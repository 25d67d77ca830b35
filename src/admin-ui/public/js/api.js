// @ts-check
// The same REST API every client uses. The API key lives in sessionStorage only (this tab).

const API = '/api/v1';
const KEY_STORAGE = 'webinar-sync.apiKey';

/**
 * @typedef {{ items: T[], page: number, pageSize: number, total: number }} Page
 * @template T
 */
/** @typedef {{ id: number, name: string }} Account */
/** @typedef {{ active: boolean, targetGroupFolderId: number, displayedTimeZone: string, realTimeUpdates: boolean }} Settings */
/** @typedef {{ id: number, name: string, isDefault: boolean }} Folder */
/** @typedef {'password' | 'personal_access_token' | 'oauth'} AuthMethod */
/**
 * @typedef {object} Organizer
 * @property {number} id
 * @property {string} email
 * @property {AuthMethod} authMethod
 * @property {boolean} active
 * @property {'unknown' | 'ok' | 'error'} connectionStatus
 * @property {string | null} deactivatedReason
 * @property {string | null} lastSyncedAt
 * @property {string | null} lastError
 * @property {{ state: 'unknown' | 'on' | 'off' | 'failing', reason: string | null, lastEventAt: string | null }} [realTimeUpdates]
 */
/**
 * @typedef {object} Webinar
 * @property {number} id
 * @property {number} organizerId
 * @property {string} subject
 * @property {string} startsAt
 * @property {'scheduled' | 'ended' | 'cancelled'} status
 * @property {string | null} participantsSyncedAt
 */
/** @typedef {Webinar & { counts: { registered: number, attended: number, notAttended: number } }} WebinarDetail */
/** @typedef {{ id: number, name: string, kind: string | null, folderId: number, memberCount: number, webinarId?: number | null }} TargetGroup */
/**
 * @typedef {object} WebinarStats GET /webinars/:id/stats
 * @property {string} timeZone
 * @property {Array<{ date: string, count: number }>} registrationsPerDay
 * @property {number} registrationsUndated
 * @property {Array<{ step: 'registered' | 'attended' | 'engaged', count: number }>} funnel
 * @property {number | null} engagementMinutes
 * @property {{ barMinutes: number, bars: Array<{ fromMinutes: number, toMinutes: number, count: number }> }} attendanceMinutes
 */
/** @typedef {{ count: number, samples: string[] }} ChangeCount */
/** @typedef {{ id: number, syncedAt: string, jobId: number | null, source: 'sync' | 'webhook', added: ChangeCount, cancelled: ChangeCount, attended: ChangeCount, statusChanged: ChangeCount }} HistoryEntry */
/** @typedef {{ added: number, cancelled: number, attended: number, statusChanged: number }} Changes */
/**
 * @typedef {object} ActivityEntry GET /activity
 * @property {number} jobId
 * @property {string} type
 * @property {'succeeded' | 'failed'} status
 * @property {string | null} organizerEmail
 * @property {number | null} webinarId
 * @property {string | null} webinarSubject
 * @property {string} finishedAt
 * @property {string | null} lastError
 * @property {Changes | null} changes
 */
/** @typedef {'pending' | 'registered' | 'already_registered' | 'refused' | 'invalid_email'} RegistrationOutcome */
/** @typedef {{ jobId: number, requested: number, queued: number, alreadyRequested: number, unknownSubscribers: number }} RegistrationsAccepted */
/**
 * @typedef {object} Reconciliation
 * @property {{ registrants: number, walkIns: number, attendees: number, observedAt: string } | null} goto
 * @property {Array<{ name: string, goto: number, stored: number, ok: boolean }>} checks
 * @property {boolean} drift
 * @property {{ method: 'POST', href: string } | null} repair
 */
/** @typedef {{ organizerId: number, ok: boolean, deactivated: boolean, error: string | null }} TestResult */
/**
 * @typedef {object} SyncJob
 * @property {number} id
 * @property {'queued' | 'running' | 'succeeded' | 'failed'} status
 * @property {Record<string, unknown> | null} progress
 * @property {string | null} lastError
 */
/** Constants the server owns (GET /admin-ui/config). */
/** @typedef {{ userDeactivatedReason: string, byUser: string, byTestConnection: string }} ReactivationHints */
/** @typedef {{ defaultTimeZone: string, targetGroupKindLabels: Record<string, string>, organizerReactivation?: ReactivationHints }} PageConfig */
/** @typedef {{ field?: string, message?: string }} FieldError */

export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {{ message?: string, errors?: FieldError[], code?: string } | null} body
   */
  constructor(status, body) {
    super(body?.message || `Request failed (${status})`);
    this.status = status;
    /** @type {FieldError[]} */
    this.errors = Array.isArray(body?.errors) ? body.errors : [];
    this.code = body?.code;
  }
}

/** @returns {string | null} */
export function storedKey() {
  return sessionStorage.getItem(KEY_STORAGE);
}

/** @param {string | null} key */
export function storeKey(key) {
  if (key) sessionStorage.setItem(KEY_STORAGE, key);
  else sessionStorage.removeItem(KEY_STORAGE);
}

/** @type {() => void} */
let onUnauthorized = () => undefined;

/**
 * What to do when a request made with the stored key is refused (the session ended).
 * @param {() => void} handler
 */
export function whenUnauthorized(handler) {
  onUnauthorized = handler;
}

/**
 * @template [T=unknown]
 * @param {'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'} method
 * @param {string} path under /api/v1
 * @param {unknown} [body]
 * @param {string | null} [key] defaults to the stored key
 * @returns {Promise<T>}
 */
export async function api(method, path, body, key = storedKey()) {
  /** @type {Record<string, string>} */
  const headers = { Accept: 'application/json' };
  if (key) headers.Authorization = `Bearer ${key}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(API + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, {
      message: 'The service could not be reached. Check your connection and try again.',
    });
  }
  const text = await res.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = { message: text.slice(0, 200) };
    }
  }
  if (res.status === 401 && key && key === storedKey()) onUnauthorized();
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

/**
 * A file the API streams (CSV exports), fetched with the key (a plain link cannot send it) and
 * saved under the name its Content-Disposition gives.
 * @param {string} path under /api/v1
 */
export async function download(path) {
  const key = storedKey();
  let res;
  try {
    res = await fetch(API + path, { headers: key ? { Authorization: `Bearer ${key}` } : {} });
  } catch {
    throw new ApiError(0, { message: 'The service could not be reached.' });
  }
  if (res.status === 401 && key) onUnauthorized();
  if (!res.ok) throw new ApiError(res.status, await res.json().catch(() => null));
  const disposition = res.headers.get('Content-Disposition') ?? '';
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? 'export.csv';
  const url = URL.createObjectURL(await res.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return name;
}
