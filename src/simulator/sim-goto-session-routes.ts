// Sessions and attendees: an organizer's or webinar's sessions, one session, its attendees, and a
// webinar's attendees across sessions (memoized, then paged).
import { SimContext } from './sim-context';
import { SimReply, SimRequest, json } from './sim-http';
import { hashString } from './sim-random';
import { JoinedRows } from './sim-byte-strings';
import { reportingPage, reportingPageOfRows } from './sim-goto-paging';
import { fail, scope, sessionOf, timeRange, webinarOf } from './sim-goto-request';
import { attendeeBytes } from './sim-row-text';
import * as shape from './sim-shapes';
import { SimOrganizer, SimSession, SimWebinar } from './sim-types';

function sessionRows(
  ctx: SimContext,
  w: SimWebinar,
  org: SimOrganizer,
  sessions: SimSession[],
): unknown[] {
  const registrants = sessions.length > 0 ? ctx.store.registrantCount(w) : 0;
  return sessions.map((x) =>
    shape.reportingSession(
      x,
      w,
      org,
      { attended: ctx.store.registrantAttendeeCount(w, x), registrants },
      hashString(x.sessionKey),
    ),
  );
}

export function organizerSessions(ctx: SimContext, req: SimRequest): SimReply {
  const s = scope(ctx, req);
  const [from, to] = timeRange(req, true);
  const rows: { start: string; row: unknown }[] = [];
  for (const w of ctx.store.webinarsOf(s.org.organizerKey)) {
    if (w.status !== 'active') continue;
    const sessions = ctx.store
      .sessions(w)
      .filter((x) => Date.parse(x.startTime) >= from && Date.parse(x.startTime) <= to);
    sessionRows(ctx, w, s.org, sessions).forEach((row, i) =>
      rows.push({ start: sessions[i].startTime, row }),
    );
  }
  rows.sort((a, b) => a.start.localeCompare(b.start));
  return reportingPage(
    ctx,
    req,
    'sessionInfoResources',
    rows.map((r) => r.row),
  );
}

export function webinarSessions(ctx: SimContext, req: SimRequest): SimReply {
  const s = scope(ctx, req);
  const w = webinarOf(ctx, req, s);
  return reportingPage(
    ctx,
    req,
    'sessionInfoResources',
    sessionRows(ctx, w, s.org, ctx.store.sessions(w)),
  );
}

export function sessionByKey(ctx: SimContext, req: SimRequest): SimReply {
  const w = webinarOf(ctx, req, scope(ctx, req));
  const x = sessionOf(ctx, req, w);
  return json(200, shape.sessionByKey(x, w, ctx.store.registrantAttendeeCount(w, x)));
}

export function sessionAttendees(ctx: SimContext, req: SimRequest): SimReply {
  const w = webinarOf(ctx, req, scope(ctx, req));
  return json(200, ctx.store.attendees(w, sessionOf(ctx, req, w)).map(shape.attendee));
}

export function sessionAttendee(ctx: SimContext, req: SimRequest): SimReply {
  const s = scope(ctx, req);
  const w = webinarOf(ctx, req, s);
  const x = sessionOf(ctx, req, w);
  const a = ctx.store.attendees(w, x).find((y) => y.registrantKey === req.params.registrantKey);
  if (!a) fail(404, 'NotFound', 'Attendee with the specified key does not exist.', req);
  const r = ctx.store.registrants(w).find((y) => y.registrantKey === a!.registrantKey);
  return json(200, r ? shape.registrant(r) : shape.attendee(a!));
}

export function webinarAttendees(ctx: SimContext, req: SimRequest): SimReply {
  const s = scope(ctx, req);
  const w = webinarOf(ctx, req, s);
  const sessions = ctx.store.sessions(w);
  // Built once per webinar (and dataset revision / set of completed sessions), then paged.
  const sig = sessions
    .map(
      (x) =>
        `${x.sessionKey}@${x.startTime}/${x.endTime}${ctx.store.attendeesReported(x) ? '' : '?'}`,
    )
    .join(',');
  const rows = () => sessions.flatMap((x) => ctx.store.attendees(w, x));
  // Only the bytes are kept (off the JS heap): a fault that edits the body reads the rows again,
  // the same ones while the memo holds (it expires with any change).
  const joined = ctx.store.memoize('attendees', w, sig, () =>
    JoinedRows.build(rows(), attendeeBytes),
  );
  return reportingPageOfRows(ctx, req, 'attendeeParticipationResponses', joined, () =>
    rows().map(shape.attendee),
  );
}
