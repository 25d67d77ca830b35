// Webinars: the organizer's and account's lists, the live ones, one webinar, its times, cancelling.
import { SimContext } from './sim-context';
import { SimReply, SimRequest, json } from './sim-http';
import { reportingPage } from './sim-goto-paging';
import { fail, scope, timeRange, webinarOf } from './sim-goto-request';
import * as shape from './sim-shapes';
import { SimWebinar } from './sim-types';

const inRange = (w: SimWebinar, from: number, to: number) =>
  w.times.some((t) => Date.parse(t.startTime) >= from && Date.parse(t.startTime) <= to);

export function listWebinars(ctx: SimContext, req: SimRequest): SimReply {
  const s = scope(ctx, req);
  const [from, to] = timeRange(req, true);
  // An organizer's list holds the webinars it co-organizes too; the account's, each webinar once.
  const list = (
    req.params.accountKey
      ? ctx.store.organizers
          .filter((o) => !o.removed && o.accountKey === s.org.accountKey)
          .flatMap((o) => ctx.store.webinarsOf(o.organizerKey))
      : ctx.store.webinarsVisibleTo(s.org.organizerKey)
  )
    .filter((w) => w.status === 'active' && inRange(w, from, to))
    .sort((a, b) => a.times[0].startTime.localeCompare(b.times[0].startTime));
  return reportingPage(ctx, req, 'webinars', list.map(shape.webinarItem));
}

export function inSessionWebinars(ctx: SimContext, req: SimRequest): SimReply {
  const s = scope(ctx, req);
  const live = ctx.store
    .webinarsOf(s.org.organizerKey)
    .filter((w) => w.status === 'active' && ctx.store.inSession(w));
  return json(
    200,
    live.map((w) => shape.brokerWebinar(w, s.org, ctx.store.registrantCount(w), true)),
  );
}

export function getWebinar(ctx: SimContext, req: SimRequest): SimReply {
  const s = scope(ctx, req);
  const w = webinarOf(ctx, req, s);
  const owner = ctx.store.organizer(w.organizerKey) ?? s.org;
  const byKey = shape.webinarByKey(
    w,
    owner,
    ctx.store.registrantCount(w),
    ctx.store.nowMs(),
    ctx.store.inSession(w),
  );
  return json(200, byKey);
}

export function meetingTimes(ctx: SimContext, req: SimRequest): SimReply {
  const w = webinarOf(ctx, req, scope(ctx, req));
  return json(
    200,
    w.times.map((t) => ({ startTime: t.startTime, endTime: t.endTime })),
  );
}

// DELETE …/webinars/{webinarKey}: cancels it (204); GET then answers 404 and lists drop it.
export function cancelWebinar(ctx: SimContext, req: SimRequest): SimReply {
  const s = scope(ctx, req);
  const w = webinarOf(ctx, req, s);
  if (ctx.store.inSession(w)) fail(409, 'Conflict', 'The webinar is in session.', req);
  // deleteAll (default true) cancels every webinar of a series; false only this one.
  const all = req.query.get('deleteAll') !== 'false' && w.recurrenceKey !== undefined;
  const targets = all
    ? ctx.store.webinarsOf(s.org.organizerKey).filter((x) => x.recurrenceKey === w.recurrenceKey)
    : [w];
  for (const x of targets) ctx.store.cancelWebinar(x.webinarKey);
  return { status: 204 };
}
