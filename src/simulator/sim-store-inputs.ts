// What the dataset is built from and what its changes take (the /_sim control endpoints' bodies).
import { SimRecurrenceType, SimRegistrantStatus, SimTime } from './sim-types';

export interface DatasetOptions {
  seed: number;
  organizers: number;
  webinars: number;
  registrants: number;
  now?: Date;
}

export interface AddRegistrantInput {
  firstName: string;
  lastName: string;
  email: string;
  status?: SimRegistrantStatus;
  timeZone?: string;
}

export interface MarkAttendanceInput {
  /** An existing registrant; otherwise firstName/lastName/email describe an unregistered attendee. */
  registrantKey?: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  /** An existing session, or the index of the webinar time whose session is used/created (default 0). */
  sessionKey?: string;
  timeIndex?: number;
  attendanceTimeInSeconds?: number;
}

export interface AddWebinarInput {
  subject?: string;
  description?: string;
  times: SimTime[];
  recurrenceType?: SimRecurrenceType;
  recurrenceKey?: string;
  /** Number of generated registrants (default 0). */
  registrants?: number;
  /** Seats (see SimWebinar.registrationLimit). */
  registrationLimit?: number;
  approvalType?: 'AUTOMATIC' | 'MANUAL';
  timeZone?: string;
  experienceType?: string;
}
