// GoTo's URLs as this client writes them: the endpoint patterns named in errors, logs and metrics
// (never a key or a token), path segments, and the time format of a listing's window.

export const GOTO_ENDPOINTS = {
  identity: 'GET /identity/v1/Users/me',
  webinars: 'GET /organizers/{organizerKey}/webinars',
  webinar: 'GET /organizers/{organizerKey}/webinars/{webinarKey}',
  registrants: 'GET /organizers/{organizerKey}/webinars/{webinarKey}/registrants',
  createRegistrant: 'POST /organizers/{organizerKey}/webinars/{webinarKey}/registrants',
  sessions: 'GET /organizers/{organizerKey}/webinars/{webinarKey}/sessions',
  sessionAttendees:
    'GET /organizers/{organizerKey}/webinars/{webinarKey}/sessions/{sessionKey}/attendees',
  webinarAttendees: 'GET /organizers/{organizerKey}/webinars/{webinarKey}/attendees',
} as const;

/** A path segment: keys are digit strings, but never let a value change the path. */
export function seg(value: string): string {
  return encodeURIComponent(value);
}

/** ISO 8601 UTC without milliseconds, as GoTo's examples use (`2020-03-13T10:00:00Z`); the window only widens. */
export function isoSeconds(d: Date, round: 'floor' | 'ceil'): string {
  const ms = d.getTime();
  const s = round === 'floor' ? Math.floor(ms / 1000) : Math.ceil(ms / 1000);
  return new Date(s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
