// The typed control handle: read the dataset (to compute test expectations) and change it. The
// /_sim HTTP endpoints call exactly these methods.
import { SimContext } from './sim-context';
import { SimNotFoundError } from './sim-errors';
import { AddRegistrantInput, AddWebinarInput, MarkAttendanceInput } from './sim-store-inputs';
import {
  SimAttendee,
  SimOrganizer,
  SimRegistrant,
  SimRegistrantStatus,
  SimSession,
  SimSessionTimes,
  SimTime,
  SimWebinar,
  SimWebinarStatus,
} from './sim-types';

export interface OrganizerInfo {
  organizerKey: string;
  accountKey: string;
  email: string;
  password: string;
  personalAccessToken: string;
  firstName: string;
  lastName: string;
  timeZone: string;
  locale: string;
  removed: boolean;
}

export interface WebinarInfo {
  webinarKey: string;
  webinarId: string;
  organizerKey: string;
  accountKey: string;
  subject: string;
  recurrenceType: SimWebinar['recurrenceType'];
  recurrenceKey?: string;
  times: SimTime[];
  timeZone: string;
  approvalType: string;
  status: SimWebinarStatus;
  /** Other organizers who see it (co-organizers). */
  coorganizerKeys: string[];
  /** Completed sessions (what GoTo reports), in start order. */
  sessions: SimSession[];
}

export interface SimSettingsPatch {
  passwordGrant?: boolean;
  tokenTtlSeconds?: number;
  rotateRefreshTokens?: boolean;
  rateLimitRps?: number | null;
  pageSizeOverflow?: 'clamp' | 'reject';
  /** Seconds after a session's end before its attendees appear in the reports (default 0). */
  attendeeReportDelaySeconds?: number;
}

export class SimControl {
  constructor(private readonly ctx: SimContext) {}

  get clientId(): string {
    return this.ctx.settings.clientId;
  }

  get clientSecret(): string {
    return this.ctx.settings.clientSecret;
  }

  /** The simulator's clock (the `now` option plus any advance). */
  now(): Date {
    return new Date(this.ctx.store.nowMs());
  }

  advanceClock(seconds: number): Date {
    this.ctx.store.advanceClock(seconds);
    return this.now();
  }

  listOrganizers(): OrganizerInfo[] {
    return this.ctx.store.organizers.map(organizerInfo);
  }

  getOrganizer(organizerKey: string): OrganizerInfo {
    const o = this.ctx.store.organizer(organizerKey);
    if (!o) throw new SimNotFoundError(`organizer ${organizerKey} not found`);
    return organizerInfo(o);
  }

  /** Webinars of an organizer in start order; cancelled/deleted ones only with includeCancelled. */
  listWebinars(organizerKey: string, options: { includeCancelled?: boolean } = {}): WebinarInfo[] {
    this.getOrganizer(organizerKey);
    return this.ctx.store
      .webinarsOf(organizerKey)
      .filter((w) => options.includeCancelled || w.status === 'active')
      .map((w) => this.webinarInfo(w));
  }

  getWebinar(webinarKey: string): WebinarInfo {
    return this.webinarInfo(this.ctx.store.requireWebinar(webinarKey));
  }

  listRegistrants(webinarKey: string): SimRegistrant[] {
    return this.ctx.store.registrants(this.ctx.store.requireWebinar(webinarKey));
  }

  listSessions(webinarKey: string): SimSession[] {
    return this.ctx.store.sessions(this.ctx.store.requireWebinar(webinarKey));
  }

  /** Attendees of one session, or of all sessions (one row per registrant and session). */
  listAttendees(webinarKey: string, sessionKey?: string): SimAttendee[] {
    const w = this.ctx.store.requireWebinar(webinarKey);
    const sessions = this.ctx.store
      .sessions(w)
      .filter((s) => !sessionKey || s.sessionKey === sessionKey);
    if (sessionKey && sessions.length === 0)
      throw new SimNotFoundError(`session ${sessionKey} not found`);
    return sessions.flatMap((s) => this.ctx.store.attendees(w, s));
  }

  addRegistrant(webinarKey: string, input: AddRegistrantInput): SimRegistrant {
    return this.ctx.store.addRegistrant(webinarKey, input);
  }

  removeRegistrant(webinarKey: string, registrantKey: string): void {
    this.ctx.store.removeRegistrant(webinarKey, registrantKey);
  }

  setRegistrantStatus(
    webinarKey: string,
    registrantKey: string,
    status: SimRegistrantStatus,
  ): SimRegistrant {
    return this.ctx.store.setRegistrantStatus(webinarKey, registrantKey, status);
  }

  markAttendance(webinarKey: string, input: MarkAttendanceInput): SimAttendee {
    return this.ctx.store.markAttendance(webinarKey, input);
  }

  /** Actual times of the session of `times[timeIndex]`; `endTime: null` = still running. */
  setSessionTimes(webinarKey: string, timeIndex: number, actual: SimSessionTimes): WebinarInfo {
    this.ctx.store.setSessionTimes(webinarKey, timeIndex, actual);
    return this.getWebinar(webinarKey);
  }

  addCoorganizer(webinarKey: string, organizerKey: string): WebinarInfo {
    return this.webinarInfo(this.ctx.store.addCoorganizer(webinarKey, organizerKey));
  }

  removeCoorganizer(webinarKey: string, organizerKey: string): WebinarInfo {
    return this.webinarInfo(this.ctx.store.removeCoorganizer(webinarKey, organizerKey));
  }

  /** The webinar moves to another organizer of the account (its organizerKey changes). */
  transferWebinar(webinarKey: string, organizerKey: string): WebinarInfo {
    return this.webinarInfo(this.ctx.store.transferWebinar(webinarKey, organizerKey));
  }

  rescheduleWebinar(webinarKey: string, times: SimTime[]): WebinarInfo {
    return this.webinarInfo(this.ctx.store.rescheduleWebinar(webinarKey, times));
  }

  cancelWebinar(webinarKey: string): WebinarInfo {
    return this.webinarInfo(this.ctx.store.cancelWebinar(webinarKey));
  }

  deleteWebinar(webinarKey: string): WebinarInfo {
    return this.webinarInfo(this.ctx.store.deleteWebinar(webinarKey));
  }

  addWebinar(organizerKey: string, input: AddWebinarInput): WebinarInfo {
    return this.webinarInfo(this.ctx.store.addWebinar(organizerKey, input));
  }

  /** Revoke every access/refresh token and pending code of an organizer. Returns how many. */
  revokeTokens(organizerKey: string): number {
    this.getOrganizer(organizerKey);
    return this.ctx.auth.revokeOrganizer(organizerKey);
  }

  /**
   * Remove the organizer's GoTo account: every grant (password, PAT, code, refresh) then fails with
   * 400 invalid_grant; access tokens already issued still pass the gateway, but Users/me answers 404
   * and every /G2W call 403 AccessDenied.
   */
  removeOrganizer(organizerKey: string): OrganizerInfo {
    const o = this.ctx.store.organizer(organizerKey);
    if (!o) throw new SimNotFoundError(`organizer ${organizerKey} not found`);
    o.removed = true;
    return organizerInfo(o);
  }

  updateOrganizer(
    organizerKey: string,
    change: { email?: string; password?: string },
  ): OrganizerInfo {
    return organizerInfo(this.ctx.store.updateOrganizer(organizerKey, change));
  }

  /** The organizer /oauth/authorize consents as when the request has no login_hint (null = first). */
  setAuthorizeAs(organizerKey: string | null): void {
    if (organizerKey !== null) this.getOrganizer(organizerKey);
    this.ctx.auth.authorizeAs = organizerKey;
  }

  /** Every access token issued so far answers 403 InvalidToken from now on. */
  expireTokens(): number {
    return this.ctx.auth.expireAll();
  }

  settings(): Required<SimSettingsPatch> & { clientId: string } {
    const s = this.ctx.settings;
    return {
      clientId: s.clientId,
      passwordGrant: s.passwordGrant,
      tokenTtlSeconds: s.tokenTtlSeconds,
      rotateRefreshTokens: s.rotateRefreshTokens,
      rateLimitRps: this.ctx.limiter.rps,
      pageSizeOverflow: s.pageSizeOverflow,
      attendeeReportDelaySeconds: this.ctx.store.attendeeReportDelaySeconds,
    };
  }

  updateSettings(patch: SimSettingsPatch): ReturnType<SimControl['settings']> {
    const s = this.ctx.settings;
    if (patch.passwordGrant !== undefined) s.passwordGrant = patch.passwordGrant;
    if (patch.tokenTtlSeconds !== undefined) s.tokenTtlSeconds = patch.tokenTtlSeconds;
    if (patch.rotateRefreshTokens !== undefined) s.rotateRefreshTokens = patch.rotateRefreshTokens;
    if (patch.rateLimitRps !== undefined) this.ctx.limiter.rps = patch.rateLimitRps;
    if (patch.pageSizeOverflow !== undefined) s.pageSizeOverflow = patch.pageSizeOverflow;
    if (patch.attendeeReportDelaySeconds !== undefined)
      this.ctx.store.attendeeReportDelaySeconds = patch.attendeeReportDelaySeconds;
    return this.settings();
  }

  private webinarInfo(w: SimWebinar): WebinarInfo {
    return {
      webinarKey: w.webinarKey,
      webinarId: w.webinarId,
      organizerKey: w.organizerKey,
      accountKey: w.accountKey,
      subject: w.subject,
      recurrenceType: w.recurrenceType,
      ...(w.recurrenceKey ? { recurrenceKey: w.recurrenceKey } : {}),
      times: w.times.map((t) => ({ ...t })),
      timeZone: w.timeZone,
      approvalType: w.approvalType,
      status: w.status,
      coorganizerKeys: [...(w.coorganizerKeys ?? [])],
      sessions: this.ctx.store.sessions(w),
    };
  }
}

function organizerInfo(o: SimOrganizer): OrganizerInfo {
  return {
    organizerKey: o.organizerKey,
    accountKey: o.accountKey,
    email: o.email,
    password: o.password,
    personalAccessToken: o.personalAccessToken,
    firstName: o.firstName,
    lastName: o.lastName,
    timeZone: o.timeZone,
    locale: o.locale,
    removed: o.removed,
  };
}
