// The simulator's internal records. Keys are decimal strings, times are ISO-8601 UTC strings exactly
// as the API emits them (some with milliseconds, some without).

export type SimRecurrenceType = 'single_session' | 'sequence' | 'series';
export type SimRegistrantStatus = 'APPROVED' | 'WAITING' | 'DENIED';
export type SimWebinarStatus = 'active' | 'cancelled' | 'deleted';

export interface SimTime {
  startTime: string;
  endTime: string;
}

export interface SimOrganizer {
  organizerKey: string;
  accountKey: string;
  accountName: string;
  email: string;
  password: string;
  personalAccessToken: string;
  firstName: string;
  lastName: string;
  locale: string;
  timeZone: string;
  removed: boolean;
}

export interface SimWebinar {
  webinarKey: string;
  webinarId: string;
  organizerKey: string;
  accountKey: string;
  subject: string;
  description: string;
  times: SimTime[];
  timeZone: string;
  locale: string;
  approvalType: 'AUTOMATIC' | 'MANUAL';
  recurrenceType: SimRecurrenceType;
  recurrenceKey?: string;
  experienceType: string;
  status: SimWebinarStatus;
  /** Other organizers of the account who see and manage it too (GoTo co-organizers). */
  coorganizerKeys?: string[];
  /** Number of generated registrants (before the overlay of added/removed ones). */
  generatedRegistrants: number;
  /** Seats: registering beyond this many (not denied) registrants is refused. None = unlimited. */
  registrationLimit?: number;
  /** Seed parts for lazily generated children. */
  genId: number;
  createTime: string;
}

export interface SimRegistrant {
  registrantKey: string;
  firstName: string;
  lastName: string;
  email: string;
  status: SimRegistrantStatus;
  registrationDate: string;
  joinUrl: string;
  timeZone: string;
  source?: string;
  organization?: string;
  jobTitle?: string;
}

export interface SimSession {
  sessionKey: string;
  webinarKey: string;
  /** Index into the webinar's times, or -1 for a session added through the control API. */
  timeIndex: number;
  startTime: string;
  endTime: string;
}

/** The actual times of the session for one scheduled time (set through the control API). */
export interface SimSessionTimes {
  startTime: string;
  /** null: started and still running (no completed session yet). */
  endTime: string | null;
}

export interface SimAttendance {
  joinTime: string;
  leaveTime: string;
}

export interface SimAttendee {
  registrantKey: string;
  sessionKey: string;
  firstName: string;
  lastName: string;
  email: string;
  attendanceTimeInSeconds: number;
  attendance: SimAttendance[];
}
