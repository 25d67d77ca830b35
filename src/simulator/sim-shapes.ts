// GoTo's JSON shapes. Keys are strings where the spec types them `string` (Webinar, ReportingSession)
// and bare int64 numbers where it types them `integer/int64` (WebinarByKey, Registrant, Attendee).
import { RawNumber, num } from './sim-json';
import {
  SimAttendee,
  SimOrganizer,
  SimRegistrant,
  SimSession,
  SimTime,
  SimWebinar,
} from './sim-types';

const times = (ts: SimTime[]) => ts.map((t) => ({ startTime: t.startTime, endTime: t.endTime }));

export function registrationUrl(w: SimWebinar): string {
  return `https://attendee.gotowebinar.com/register/${w.webinarKey.slice(-19)}`;
}

/** `_embedded.webinars[]` of the reporting list (schema Webinar). */
export function webinarItem(w: SimWebinar): Record<string, unknown> {
  return {
    webinarKey: w.webinarKey,
    webinarID: w.webinarId,
    organizerKey: w.organizerKey,
    accountKey: w.accountKey,
    subject: w.subject,
    description: w.description,
    times: times(w.times),
    timeZone: w.timeZone,
    locale: w.locale,
    approvalType: w.approvalType,
    registrationUrl: registrationUrl(w),
    impromptu: false,
    isPasswordProtected: false,
    recurrenceType: w.recurrenceType,
    experienceType: w.experienceType,
  };
}

/** GET …/webinars/{webinarKey} (schema WebinarByKey). A sequence lists its future times only. */
export function webinarByKey(
  w: SimWebinar,
  org: SimOrganizer,
  registrants: number,
  nowMs: number,
  live: boolean,
): Record<string, unknown> {
  const future = w.times.filter((t) => Date.parse(t.endTime) > nowMs);
  const shown = w.recurrenceType === 'sequence' && future.length > 0 ? future : w.times;
  return {
    webinarKey: num(w.webinarKey),
    webinarID: w.webinarId,
    subject: w.subject,
    description: w.description,
    organizerKey: num(w.organizerKey),
    organizerEmail: org.email,
    organizerName: `${org.firstName} ${org.lastName}`,
    times: times(shown),
    registrationUrl: registrationUrl(w),
    inSession: live,
    impromptu: false,
    type: w.recurrenceType,
    timeZone: w.timeZone,
    numberOfRegistrants: registrants,
    registrationLimit: 3000,
    locale: w.locale,
    accountKey: w.accountKey,
    recurrencePeriod: w.recurrenceType,
    experienceType: w.experienceType,
    isPasswordProtected: false,
  };
}

/** In-session webinar (schema BrokerWebinar). */
export function brokerWebinar(
  w: SimWebinar,
  org: SimOrganizer,
  registrants: number,
  live: boolean,
): Record<string, unknown> {
  return {
    webinarKey: num(w.webinarKey),
    webinarID: w.webinarId,
    organizerKey: num(w.organizerKey),
    subject: w.subject,
    description: w.description,
    times: times(w.times),
    timeZone: w.timeZone,
    inSession: live,
    numberOfRegistrants: registrants,
    registrationUrl: registrationUrl(w),
    experienceType: w.experienceType,
    organizerEmail: org.email,
    organizerName: `${org.firstName} ${org.lastName}`,
    impromptu: false,
    isOndemand: false,
    coorganizers: [],
  };
}

export function registrant(r: SimRegistrant): Record<string, unknown> {
  return {
    lastName: r.lastName,
    email: r.email,
    firstName: r.firstName,
    registrantKey: num(r.registrantKey),
    registrationDate: r.registrationDate,
    status: r.status,
    joinUrl: r.joinUrl,
    timeZone: r.timeZone,
  };
}

export function registrantDetailed(r: SimRegistrant, w: SimWebinar): Record<string, unknown> {
  const late = Date.parse(r.registrationDate) > Date.parse(w.times[0].startTime);
  return {
    ...registrant(r),
    source: r.source ?? '',
    phone: '',
    state: '',
    city: '',
    organization: r.organization ?? '',
    zipCode: '',
    numberOfEmployees: '',
    industry: '',
    jobTitle: r.jobTitle ?? '',
    purchasingRole: '',
    implementationTimeFrame: '',
    purchasingTimeFrame: '',
    questionsAndComments: '',
    employeeCount: '',
    country: '',
    address: '',
    ...(w.recurrenceType === 'series' ? {} : { type: late ? 'LATE' : 'REGULAR' }),
    unsubscribed: false,
    responses: [],
  };
}

export interface SessionStats {
  attended: number;
  registrants: number;
}

/** `_embedded.sessionInfoResources[]` (schema ReportingSession): keys as strings. */
export function reportingSession(
  s: SimSession,
  w: SimWebinar,
  org: SimOrganizer,
  stats: SessionStats,
  seedHash: number,
): Record<string, unknown> {
  const name = `${org.firstName} ${org.lastName}`;
  return {
    sessionKey: s.sessionKey,
    webinarKey: w.webinarKey,
    webinarName: w.subject,
    startTime: s.startTime,
    endTime: s.endTime,
    registrantsAttended: stats.attended,
    registrantCount: stats.registrants,
    accountKey: w.accountKey,
    creatingOrganizerKey: w.organizerKey,
    creatingOrganizerName: name,
    startingOrganizerKey: w.organizerKey,
    startingOrganizerName: name,
    totalPollCount: seedHash % 4,
    timeZone: w.timeZone,
    experienceType: w.experienceType,
    webinarID: w.webinarId,
    webinarType: 0,
    numRegLinkClicks: stats.registrants + (seedHash % 50),
    numOpenedInvitations: Math.floor(stats.registrants * 0.8),
    includeCertificate: false,
    followupEmailTriggered: seedHash % 2 === 0,
  };
}

/** GET …/sessions/{sessionKey} (schema Session; the spec's array-of-Attendee typing looks wrong). */
export function sessionByKey(
  s: SimSession,
  w: SimWebinar,
  attended: number,
): Record<string, unknown> {
  return {
    startTime: s.startTime,
    registrantsAttended: attended,
    webinarKey: num(w.webinarKey),
    webinarID: w.webinarId,
    sessionKey: num(s.sessionKey),
    endTime: s.endTime,
  };
}

/** Attendee (session list) and ReportingAttendee (all sessions): int64 keys as numbers. */
export function attendee(a: SimAttendee): Record<string, RawNumber | string | number | object> {
  return {
    registrantKey: num(a.registrantKey),
    firstName: a.firstName,
    lastName: a.lastName,
    email: a.email,
    attendanceTimeInSeconds: a.attendanceTimeInSeconds,
    sessionKey: num(a.sessionKey),
    attendance: a.attendance.map((x) => ({ joinTime: x.joinTime, leaveTime: x.leaveTime })),
  };
}
