// Our own types for what GoTo Webinar returns. Nothing outside src/goto-webinar/ sees raw GoTo JSON.
// Every GoTo key (webinar, registrant, session, organizer, account) is a decimal string: they are
// 64-bit integers, above Number.MAX_SAFE_INTEGER, and must never pass through a JS number.

export type GotoAuthMethod = 'password' | 'personal_access_token' | 'oauth';

export type OrganizerCredentials =
  | { method: 'password'; email: string; password: string }
  | { method: 'personal_access_token'; email: string; personalAccessToken: string }
  | { method: 'oauth'; refreshToken: string };

/** What the client needs to act for one organizer. */
export interface OrganizerAuth {
  /** Stable cache key for the token cache and the refresh single-flight, e.g. `org:42`. */
  cacheKey: string;
  credentials: OrganizerCredentials;
  /** Called when GoTo issued a new refresh token, so the caller can persist it (encrypted). */
  onRefreshTokenRotated?: (refreshToken: string) => Promise<void>;
}

export interface GotoTokenSet {
  accessToken: string;
  refreshToken?: string;
  expiresAt: Date;
  /** Present only when an old-style token response still carries it. */
  organizerKey?: string;
  accountKey?: string;
  scope?: string;
}

export interface GotoIdentity {
  organizerKey: string;
  accountKey?: string;
  email?: string;
  displayName?: string;
}

export type GotoRecurrenceType = 'single_session' | 'series' | 'sequence';

export interface GotoWebinarTime {
  startTime: Date;
  endTime: Date;
}

export interface GotoWebinar {
  webinarKey: string;
  organizerKey?: string;
  accountKey?: string;
  subject: string;
  description?: string;
  times: GotoWebinarTime[];
  timeZone?: string;
  recurrenceType?: GotoRecurrenceType;
  registrationUrl?: string;
  /** Upper-cased: CLASSIC | BROADCAST | SIMULIVE (GoTo sends either case). */
  experienceType?: string;
  /** The 9-digit public webinar ID (`webinarID` / `webinarId` in GoTo's JSON). */
  webinarId?: string;
  organizerEmail?: string;
  organizerName?: string;
  numberOfRegistrants?: number;
  inSession?: boolean;
}

export type GotoRegistrantStatus = 'APPROVED' | 'WAITING' | 'DENIED';

export interface GotoRegistrant {
  registrantKey: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  status?: GotoRegistrantStatus;
  registrationDate?: Date;
  timeZone?: string;
  joinUrl?: string;
  /** GoTo's status as sent, upper-cased, when it is none of APPROVED/WAITING/DENIED (then `status` is undefined). */
  rawStatus?: string;
}

export interface GotoSession {
  sessionKey: string;
  webinarKey: string;
  startTime?: Date;
  endTime?: Date;
  registrantsAttended?: number;
  registrantCount?: number;
}

export interface GotoAttendanceInterval {
  joinTime?: Date;
  leaveTime?: Date;
}

export interface GotoAttendee {
  registrantKey?: string;
  sessionKey?: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  attendanceTimeInSeconds?: number;
  attendance: GotoAttendanceInterval[];
}

export interface GotoRegistrantInput {
  firstName: string;
  lastName: string;
  email: string;
}

export interface GotoRegistrantCreated {
  registrantKey: string;
  joinUrl?: string;
  /** True when GoTo answered 409 (email already registered) and named the existing registrant. */
  alreadyRegistered?: boolean;
}

/** API calls made by this process (token requests included), by endpoint pattern. */
export interface GotoClientStats {
  requests: number;
  byEndpoint: Record<string, number>;
}

export type GotoErrorCode =
  | 'RATE_LIMITED'
  | 'TEMPORARY'
  | 'AUTH_INVALID' // credentials definitively rejected (wrong password, revoked PAT/refresh token)
  | 'AUTH_EXPIRED' // access token expired and the one refresh did not help
  | 'GRANT_NOT_ALLOWED' // the OAuth client may not use this grant (e.g. password / Direct Login)
  | 'NOT_FOUND'
  | 'ACCOUNT_NOT_FOUND' // the organizer's GoTo account/user does not exist (any more)
  | 'FORBIDDEN'
  | 'INVALID_RESPONSE'
  | 'BAD_REQUEST';
