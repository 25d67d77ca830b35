// The registrant list and the attendee report are written as bytes (sim-byte-strings.ts): on the wire
// they must be exactly the UTF-8 of the shaper's text, for every webinar, after changes with text
// JSON escapes, and under the faults that edit or cut a body.
import { organizerToken } from './sim-client';
import { RunningSimulator, startSimulator } from './simulator';
import {
  expectedAttendeePage,
  expectedRegistrantList,
} from '../../test/support/simulator/expected-lists';

const NOW = new Date('2026-06-15T12:00:00Z');
const V2 = '/G2W/rest/v2';
const ODD = [
  'O"Brien',
  'back\\slash',
  'tab\there',
  'emoji 😀',
  'lone \ud83d',
  'Zoë \u2028',
  '\u0000#7\u0000#',
];

describe('simulator: list responses as bytes', () => {
  let sim: RunningSimulator;
  let token: string;
  let orgKey: string;

  beforeAll(async () => {
    sim = await startSimulator({ now: NOW, organizers: 1, webinars: 12, registrants: 300 });
    const o = sim.store.listOrganizers()[0];
    orgKey = o.organizerKey;
    token = await organizerToken(sim);
  });
  afterAll(() => sim.close());

  async function get(path: string): Promise<Buffer> {
    const res = await fetch(`${sim.url}${V2}/organizers/${orgKey}/webinars/${path}`, {
      headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
    });
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(res.status).toBe(200);
    expect(Number(res.headers.get('content-length'))).toBe(bytes.length);
    return bytes;
  }

  /** Byte for byte (compared as one char a byte: jest's toEqual on a Buffer is slow). */
  const expectBytes = (bytes: Buffer, text: string) =>
    expect(bytes.toString('latin1')).toBe(Buffer.from(text).toString('latin1'));

  /** The list and every attendee page (of 200, and of `small` rows: a page cut mid-list). */
  async function expectServedAsShaped(webinarKey: string, small?: number): Promise<void> {
    expectBytes(await get(`${webinarKey}/registrants`), expectedRegistrantList(sim, webinarKey));
    const total = sim.store.listAttendees(webinarKey).length;
    for (const size of small ? [200, small] : [200]) {
      for (let page = 0; page <= Math.ceil(total / size); page++) {
        const bytes = await get(`${webinarKey}/attendees?page=${page}&size=${size}`);
        expectBytes(bytes, expectedAttendeePage(sim, webinarKey, page, size));
      }
    }
  }

  it('serves every webinar byte for byte as the shaper writes it', async () => {
    const webinars = sim.store.listWebinars(orgKey);
    expect(webinars.filter((w) => w.sessions.length > 0).length).toBeGreaterThan(2);
    for (const w of webinars) await expectServedAsShaped(w.webinarKey, w === webinars[0] ? 37 : 0);
  });

  it('serves rows with text JSON escapes as the shaper writes them', async () => {
    const w = sim.store.listWebinars(orgKey).find((x) => x.sessions.length > 0)!;
    ODD.forEach((text, i) => {
      const r = sim.store.addRegistrant(w.webinarKey, {
        firstName: text,
        lastName: `${text}l`,
        email: `odd${i}${text}@example.com`,
      });
      sim.store.markAttendance(w.webinarKey, { registrantKey: r.registrantKey });
      sim.store.markAttendance(w.webinarKey, { firstName: text, email: `walkin${i}@example.com` });
    });
    const first = sim.store.listRegistrants(w.webinarKey)[0];
    sim.store.setRegistrantStatus(w.webinarKey, first.registrantKey, 'DENIED');
    expect(expectedRegistrantList(sim, w.webinarKey)).toContain('O\\"Brien');
    await expectServedAsShaped(w.webinarKey, 37);
  });

  it('lets faults edit or cut the list as before', async () => {
    const w = sim.store.listWebinars(orgKey)[0];
    const full = expectedRegistrantList(sim, w.webinarKey);
    sim.faults.inject({ type: 'malformed-json', count: 1, path: '/registrants$' });
    const cut = full.slice(0, Math.floor(full.length / 2));
    expectBytes(await get(`${w.webinarKey}/registrants`), cut);

    sim.faults.inject({ type: 'schema-violation', count: 1, path: '/registrants$' });
    const edited = JSON.parse((await get(`${w.webinarKey}/registrants`)).toString('utf8'));
    expect(edited[0].registrantKey).toBeUndefined();
    expect(edited[0].email).toBe(sim.store.listRegistrants(w.webinarKey)[0].email);
    expect(edited[1].registrantKey).toBeDefined();
    expectBytes(await get(`${w.webinarKey}/registrants`), full);
  });
});
