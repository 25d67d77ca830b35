// The GoTo Webinar v2 REST surface under /G2W/rest/v2 (section 4.1 of goto-webinar-api.md): the
// routes, in match order. Handlers: sim-goto-{webinar,registrant,session}-routes.ts.
import { SimContext } from './sim-context';
import { SimReply, SimRequest, SimRouter } from './sim-http';
import {
  createRegistrant,
  deleteRegistrant,
  getRegistrant,
  getRegistrants,
  registrationFields,
} from './sim-goto-registrant-routes';
import { Reply } from './sim-goto-request';
import {
  organizerSessions,
  sessionAttendee,
  sessionAttendees,
  sessionByKey,
  webinarAttendees,
  webinarSessions,
} from './sim-goto-session-routes';
import {
  cancelWebinar,
  getWebinar,
  inSessionWebinars,
  listWebinars,
  meetingTimes,
} from './sim-goto-webinar-routes';

const BASE = '/G2W/rest/v2';

export function addGotoRoutes(router: SimRouter, ctx: SimContext): void {
  const wrap = (h: (ctx: SimContext, req: SimRequest) => SimReply) => (req: SimRequest) => {
    try {
      return h(ctx, req);
    } catch (e) {
      if (e instanceof Reply) return e.reply;
      throw e;
    }
  };
  const W = `${BASE}/organizers/{organizerKey}/webinars/{webinarKey}`;
  router
    .add('GET', `${BASE}/organizers/{organizerKey}/webinars`, wrap(listWebinars))
    .add('GET', `${BASE}/accounts/{accountKey}/webinars`, wrap(listWebinars))
    .add('GET', `${BASE}/organizers/{organizerKey}/sessions`, wrap(organizerSessions))
    .add('GET', `${BASE}/organizers/{organizerKey}/insessionWebinars`, wrap(inSessionWebinars))
    .add('GET', `${W}/registrants/fields`, wrap(registrationFields))
    .add('GET', `${W}/registrants`, wrap(getRegistrants))
    .add('POST', `${W}/registrants`, wrap(createRegistrant))
    .add('GET', `${W}/registrants/{registrantKey}`, wrap(getRegistrant))
    .add('DELETE', `${W}/registrants/{registrantKey}`, wrap(deleteRegistrant))
    .add('GET', `${W}/sessions`, wrap(webinarSessions))
    .add('GET', `${W}/sessions/{sessionKey}`, wrap(sessionByKey))
    .add('GET', `${W}/sessions/{sessionKey}/attendees`, wrap(sessionAttendees))
    .add('GET', `${W}/sessions/{sessionKey}/attendees/{registrantKey}`, wrap(sessionAttendee))
    .add('GET', `${W}/attendees`, wrap(webinarAttendees))
    .add('GET', `${W}/meetingtimes`, wrap(meetingTimes))
    .add('DELETE', W, wrap(cancelWebinar))
    .add('GET', W, wrap(getWebinar));
}
