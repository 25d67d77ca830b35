// /_sim/* control endpoints: JSON in and out, no auth, never counted, never faulted.
import { SimContext } from './sim-context';
import { SimControl } from './sim-control';
import { SimFaultInput } from './sim-faults';
import { SimReply, SimRequest, SimRouter, json, parseJsonBody } from './sim-http';
import { SimConflictError, SimInputError, SimNotFoundError } from './sim-errors';
import { SimRegistrantStatus, SimTime } from './sim-types';

type Body = Record<string, unknown>;

function guard(h: (req: SimRequest, body: Body) => unknown, status = 200) {
  return (req: SimRequest): SimReply => {
    try {
      const result = h(req, parseJsonBody(req));
      return result === undefined ? { status: 204 } : json(status, result);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (e instanceof SimNotFoundError) return json(404, { error: 'not_found', message });
      if (e instanceof SimConflictError) return json(409, { error: 'conflict', message });
      if (e instanceof SimInputError || e instanceof SyntaxError || e instanceof Error) {
        return json(400, { error: 'bad_request', message });
      }
      throw e;
    }
  };
}

export function addControlRoutes(router: SimRouter, ctx: SimContext, control: SimControl): void {
  const W = '/_sim/webinars/{webinarKey}';
  router
    .add(
      'GET',
      '/_sim/organizers',
      guard(() => control.listOrganizers()),
    )
    .add(
      'GET',
      '/_sim/organizers/{organizerKey}',
      guard((r) => control.getOrganizer(r.params.organizerKey)),
    )
    .add(
      'PATCH',
      '/_sim/organizers/{organizerKey}',
      guard((r, b) =>
        control.updateOrganizer(r.params.organizerKey, {
          email: b.email as string | undefined,
          password: b.password as string | undefined,
        }),
      ),
    )
    .add(
      'DELETE',
      '/_sim/organizers/{organizerKey}',
      guard((r) => control.removeOrganizer(r.params.organizerKey)),
    )
    .add(
      'POST',
      '/_sim/organizers/{organizerKey}/revoke-tokens',
      guard((r) => ({ revoked: control.revokeTokens(r.params.organizerKey) })),
    )
    .add(
      'GET',
      '/_sim/organizers/{organizerKey}/webinars',
      guard((r) =>
        control.listWebinars(r.params.organizerKey, {
          includeCancelled: r.query.get('includeCancelled') === 'true',
        }),
      ),
    )
    .add(
      'POST',
      '/_sim/organizers/{organizerKey}/webinars',
      guard(
        (r, b) =>
          control.addWebinar(
            r.params.organizerKey,
            b as unknown as Parameters<SimControl['addWebinar']>[1],
          ),
        201,
      ),
    )
    .add(
      'POST',
      '/_sim/authorize-as',
      guard((_r, b) => {
        control.setAuthorizeAs((b.organizerKey as string | undefined) ?? null);
        return { authorizeAs: ctx.auth.authorizeAs };
      }),
    )
    .add(
      'GET',
      W,
      guard((r) => control.getWebinar(r.params.webinarKey)),
    )
    .add(
      'DELETE',
      W,
      guard((r) => control.deleteWebinar(r.params.webinarKey)),
    )
    .add(
      'POST',
      `${W}/cancel`,
      guard((r) => control.cancelWebinar(r.params.webinarKey)),
    )
    .add(
      'PUT',
      `${W}/sessions/{timeIndex}`,
      guard((r, b) =>
        control.setSessionTimes(r.params.webinarKey, Number(r.params.timeIndex), {
          startTime: b.startTime as string,
          endTime: (b.endTime as string | null | undefined) ?? null,
        }),
      ),
    )
    .add(
      'POST',
      `${W}/coorganizers`,
      guard((r, b) => control.addCoorganizer(r.params.webinarKey, String(b.organizerKey))),
    )
    .add(
      'DELETE',
      `${W}/coorganizers/{organizerKey}`,
      guard((r) => control.removeCoorganizer(r.params.webinarKey, r.params.organizerKey)),
    )
    .add(
      'POST',
      `${W}/transfer`,
      guard((r, b) => control.transferWebinar(r.params.webinarKey, String(b.organizerKey))),
    )
    .add(
      'POST',
      `${W}/reschedule`,
      guard((r, b) => control.rescheduleWebinar(r.params.webinarKey, b.times as SimTime[])),
    )
    .add(
      'GET',
      `${W}/registrants`,
      guard((r) => control.listRegistrants(r.params.webinarKey)),
    )
    .add(
      'POST',
      `${W}/registrants`,
      guard(
        (r, b) =>
          control.addRegistrant(
            r.params.webinarKey,
            b as unknown as Parameters<SimControl['addRegistrant']>[1],
          ),
        201,
      ),
    )
    .add(
      'DELETE',
      `${W}/registrants/{registrantKey}`,
      guard((r) => control.removeRegistrant(r.params.webinarKey, r.params.registrantKey)),
    )
    .add(
      'PATCH',
      `${W}/registrants/{registrantKey}`,
      guard((r, b) =>
        control.setRegistrantStatus(
          r.params.webinarKey,
          r.params.registrantKey,
          b.status as SimRegistrantStatus,
        ),
      ),
    )
    .add(
      'GET',
      `${W}/sessions`,
      guard((r) => control.listSessions(r.params.webinarKey)),
    )
    .add(
      'GET',
      `${W}/attendees`,
      guard((r) =>
        control.listAttendees(r.params.webinarKey, r.query.get('sessionKey') ?? undefined),
      ),
    )
    .add(
      'POST',
      `${W}/attendees`,
      guard(
        (r, b) =>
          control.markAttendance(
            r.params.webinarKey,
            b as Parameters<SimControl['markAttendance']>[1],
          ),
        201,
      ),
    )
    .add(
      'POST',
      '/_sim/tokens/expire',
      guard(() => ({ expired: control.expireTokens() })),
    )
    .add(
      'GET',
      '/_sim/clock',
      guard(() => ({ now: control.now().toISOString() })),
    )
    .add(
      'POST',
      '/_sim/clock/advance',
      guard((_r, b) => ({ now: control.advanceClock(Number(b.seconds ?? 0)).toISOString() })),
    )
    .add(
      'GET',
      '/_sim/settings',
      guard(() => control.settings()),
    )
    .add(
      'PATCH',
      '/_sim/settings',
      guard((_r, b) => control.updateSettings(b)),
    )
    .add(
      'GET',
      '/_sim/faults',
      guard(() => ctx.faults.list()),
    )
    .add(
      'POST',
      '/_sim/faults',
      guard((_r, b) => ctx.faults.inject(b as unknown as SimFaultInput), 201),
    )
    .add(
      'DELETE',
      '/_sim/faults',
      guard(() => ctx.faults.clear()),
    )
    .add(
      'DELETE',
      '/_sim/faults/{id}',
      guard((r) => ctx.faults.clear(Number(r.params.id))),
    )
    .add(
      'GET',
      '/_sim/counters',
      guard(() => ctx.counters.read()),
    )
    .add(
      'POST',
      '/_sim/counters/reset',
      guard(() => ctx.counters.reset()),
    );
}
