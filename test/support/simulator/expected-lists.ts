// Oracles for the simulator's two big lists, built the plain way (every row shaped and serialized,
// then the envelope), without the routes' memoized bytes they check.
import { stringify } from '../../../src/simulator/sim-json';
import * as shape from '../../../src/simulator/sim-shapes';
import { RunningSimulator } from '../../../src/simulator/simulator';

/** The text of attendee page `page` (of `size` rows) of the webinar, as GoTo's envelope. */
export function expectedAttendeePage(
  sim: RunningSimulator,
  webinarKey: string,
  page: number,
  size: number,
): string {
  const all = sim.store.listAttendees(webinarKey).map(shape.attendee);
  const items = all.slice(page * size, page * size + size);
  const body: Record<string, unknown> = {};
  if (items.length > 0) body._embedded = { attendeeParticipationResponses: items };
  body.page = {
    size,
    totalElements: all.length,
    totalPages: Math.ceil(all.length / size),
    number: page,
  };
  return stringify(body);
}

/** The text of the webinar's whole registrant list (GoTo's plain array). */
export function expectedRegistrantList(sim: RunningSimulator, webinarKey: string): string {
  return stringify(sim.store.listRegistrants(webinarKey).map(shape.registrant));
}
