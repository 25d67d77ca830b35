// The registrant list and the attendee report are served from rows built once per webinar
// (SimStore.memoize): the text must be exactly what serializing the rows afresh gives, and every
// change must be visible on the next request.
import { bearerGet, organizerToken } from './sim-client';
import { RunningSimulator, startSimulator } from './simulator';
import {
  expectedAttendeePage,
  expectedRegistrantList,
} from '../../test/support/simulator/expected-lists';

const NOW = new Date('2026-06-15T12:00:00Z');
const V2 = '/G2W/rest/v2';

describe('simulator: memoized registrant and attendee rows', () => {
  let sim: RunningSimulator;
  let token: string;
  let orgKey: string;
  let webinarKey: string;

  beforeAll(async () => {
    sim = await startSimulator({ now: NOW, organizers: 1, webinars: 30, registrants: 450 });
    const o = sim.store.listOrganizers()[0];
    orgKey = o.organizerKey;
    token = await organizerToken(sim);
    webinarKey = sim.store.listWebinars(orgKey).find((w) => w.sessions.length > 0)!.webinarKey;
  });
  afterAll(() => sim.close());

  const base = () => `${V2}/organizers/${orgKey}/webinars/${webinarKey}`;

  /** What the pre-memo route produced: every row shaped and serialized for this page. */
  const expectedPage = (page: number, size: number) =>
    expectedAttendeePage(sim, webinarKey, page, size);

  it('serves byte-identical pages, past the end included', async () => {
    const size = 100;
    const total = sim.store.listAttendees(webinarKey).length;
    expect(total).toBeGreaterThan(2 * size);
    for (let page = 0; page <= Math.ceil(total / size); page++) {
      const res = await bearerGet(sim.url, `${base()}/attendees?page=${page}&size=${size}`, token);
      expect(res.status).toBe(200);
      expect(res.text).toBe(expectedPage(page, size));
    }
    const regs = await bearerGet(sim.url, `${base()}/registrants`, token);
    expect(regs.text).toBe(expectedRegistrantList(sim, webinarKey));
  });

  it('shows every change on the next request', async () => {
    const before = await bearerGet(sim.url, `${base()}/attendees?page=0&size=200`, token);
    const registrant = sim.store.addRegistrant(webinarKey, {
      firstName: 'Memo',
      lastName: 'Test',
      email: 'memo.test@example.com',
    });
    const regs = await bearerGet(sim.url, `${base()}/registrants`, token);
    expect(regs.text).toContain(`"registrantKey":${registrant.registrantKey}`);
    sim.store.markAttendance(webinarKey, { registrantKey: registrant.registrantKey });
    const after = await bearerGet(sim.url, `${base()}/attendees?page=0&size=200`, token);
    expect(after.body.page.totalElements).toBe(before.body.page.totalElements + 1);
    const last = Math.ceil(after.body.page.totalElements / 200) - 1;
    const tail = await bearerGet(sim.url, `${base()}/attendees?page=${last}&size=200`, token);
    expect(tail.text).toBe(expectedPage(last, 200));
    expect(tail.text).toContain(`"registrantKey":${registrant.registrantKey}`);
  });

  it('still lets a schema-violation fault edit a memoized page', async () => {
    sim.faults.inject({ type: 'schema-violation', count: 1, path: '/attendees$' });
    const odd = await bearerGet(sim.url, `${base()}/attendees?page=0&size=200`, token);
    const rows = odd.body._embedded.attendeeParticipationResponses;
    expect(rows[0].registrantKey).toBeUndefined();
    expect(rows[1].registrantKey).toBeDefined();
    expect(odd.text).toContain(`"sessionKey":${rows[0].sessionKey}`);
    const fine = await bearerGet(sim.url, `${base()}/attendees?page=0&size=200`, token);
    expect(fine.text).toBe(expectedPage(0, 200));
  });
});
