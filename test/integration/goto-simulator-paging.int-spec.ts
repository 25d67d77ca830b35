// Contract tests: GotoWebinarClient against the in-process GoTo simulator over HTTP: paging at the
// 200 boundary for every collection, and 64-bit keys that survive exactly.
import { OrganizerInfo, RunningSimulator } from '../../src/simulator/simulator';
import {
  ATTENDEES,
  DAY,
  REGISTRANTS,
  WEBINARS,
  collect,
  simulatorContract,
} from '../support/goto/simulator-contract';

let sim: RunningSimulator;
let org: OrganizerInfo;
const { make, pat, served, window } = simulatorContract((s, first) => {
  sim = s;
  org = first;
});

describe('GoTo client against the simulator: paging and exact keys', () => {
  describe('paging and shapes', () => {
    let pagingOrg: OrganizerInfo;
    const year = (y: number) =>
      [new Date(`${y}-01-01T00:00:00Z`), new Date(`${y}-12-31T23:59:59Z`)] as const;

    beforeAll(() => {
      pagingOrg = sim.store.listOrganizers()[1];
      const add = (y: number, count: number) => {
        for (let i = 0; i < count; i++) {
          const start = Date.parse(`${y}-02-01T10:00:00Z`) + i * 3_600_000;
          sim.store.addWebinar(pagingOrg.organizerKey, {
            subject: `Paging ${y} #${i}`,
            times: [
              {
                startTime: new Date(start).toISOString(),
                endTime: new Date(start + 1_800_000).toISOString(),
              },
            ],
          });
        }
      };
      add(2031, 200);
      add(2032, 201);
    });

    it.each([
      [2031, 200, [200], 1],
      [2032, 201, [200, 1], 2],
      [2033, 0, [], 1],
    ])('webinars in %i: %i items -> pages %j in %i calls', async (y, total, pageSizes, calls) => {
      const { client } = await make();
      const [from, to] = year(y);
      const pages = await collect(
        client.listWebinars(pat(pagingOrg), pagingOrg.organizerKey, from, to),
      );
      expect(pages.map((p) => p.length)).toEqual(pageSizes);
      expect(pages.flat()).toHaveLength(total);
      expect(served(WEBINARS)).toBe(calls);
    });

    it.each([
      [200, [200], 1],
      [201, [200, 1], 2],
    ])(
      'attendees of all sessions: %i rows -> pages %j in %i calls',
      async (rows, pageSizes, calls) => {
        const { client } = await make();
        const now = sim.store.now().getTime();
        const start = now - 10 * DAY;
        const w = sim.store.addWebinar(org.organizerKey, {
          times: [
            {
              startTime: new Date(start).toISOString(),
              endTime: new Date(start + 3_600_000).toISOString(),
            },
          ],
        });
        const base = sim.store.listAttendees(w.webinarKey).length;
        for (let i = base; i < rows; i++)
          sim.store.markAttendance(w.webinarKey, {
            email: `att${i}@example.com`,
            firstName: 'A',
            lastName: `${i}`,
          });
        const pages = await collect(
          client.listWebinarAttendees(pat(), org.organizerKey, w.webinarKey),
        );
        expect(pages.map((p) => p.length)).toEqual(pageSizes);
        expect(served(ATTENDEES)).toBe(calls);
        const expected = sim.store
          .listAttendees(w.webinarKey)
          .map((a) => `${a.registrantKey}/${a.sessionKey}`)
          .sort();
        expect(
          pages
            .flat()
            .map((a) => `${a.registrantKey}/${a.sessionKey}`)
            .sort(),
        ).toEqual(expected);
      },
    );

    it('sessions of a 201-time sequence: pages [200, 1] in 2 calls, keys exact', async () => {
      const { client } = await make();
      const first = sim.store.now().getTime() - 300 * DAY;
      const times = Array.from({ length: 201 }, (_, i) => ({
        startTime: new Date(first + i * DAY).toISOString(),
        endTime: new Date(first + i * DAY + 3_600_000).toISOString(),
      }));
      const w = sim.store.addWebinar(org.organizerKey, { times, recurrenceType: 'sequence' });
      const pages = await collect(client.listSessions(pat(), org.organizerKey, w.webinarKey));
      expect(pages.map((p) => p.length)).toEqual([200, 1]);
      expect(
        served('GET /G2W/rest/v2/organizers/{organizerKey}/webinars/{webinarKey}/sessions'),
      ).toBe(2);
      expect(pages.flat().map((x) => x.sessionKey)).toEqual(
        sim.store.listSessions(w.webinarKey).map((x) => x.sessionKey),
      );
    });

    it('a webinar without sessions has no attendees and no sessions (one call each)', async () => {
      const { client } = await make();
      const start = sim.store.now().getTime() + 30 * DAY;
      const w = sim.store.addWebinar(org.organizerKey, {
        times: [
          {
            startTime: new Date(start).toISOString(),
            endTime: new Date(start + 3_600_000).toISOString(),
          },
        ],
      });
      expect(
        await collect(client.listWebinarAttendees(pat(), org.organizerKey, w.webinarKey)),
      ).toEqual([]);
      expect(await collect(client.listSessions(pat(), org.organizerKey, w.webinarKey))).toEqual([]);
      expect(served(ATTENDEES)).toBe(1);
    });

    it('registrants: 201 in the plain array form is one call', async () => {
      const { client } = await make();
      const start = sim.store.now().getTime() + 20 * DAY;
      const w = sim.store.addWebinar(org.organizerKey, {
        registrants: 201,
        times: [
          {
            startTime: new Date(start).toISOString(),
            endTime: new Date(start + 3_600_000).toISOString(),
          },
        ],
      });
      const pages = await collect(client.listRegistrants(pat(), org.organizerKey, w.webinarKey));
      expect(pages.flat()).toHaveLength(201);
      expect(served(REGISTRANTS)).toBe(1);
      expect(pages.flat().map((r) => r.registrantKey)).toEqual(
        sim.store.listRegistrants(w.webinarKey).map((r) => r.registrantKey),
      );
    });
  });

  describe('64-bit keys survive exactly', () => {
    it('webinars, registrants, sessions and attendees match the simulator store strings', async () => {
      const { client } = await make();
      const auth = pat();
      const [from, to] = window();
      const webinars = (
        await collect(client.listWebinars(auth, org.organizerKey, from, to))
      ).flat();
      const stored = sim.store.listWebinars(org.organizerKey).filter((w) => {
        const t = Date.parse(w.times[0].startTime);
        return t >= from.getTime() && t <= to.getTime();
      });
      expect(webinars.map((w) => w.webinarKey).sort()).toEqual(
        stored.map((w) => w.webinarKey).sort(),
      );
      expect(
        webinars.every(
          (w) => w.organizerKey === org.organizerKey && w.accountKey === org.accountKey,
        ),
      ).toBe(true);
      expect(webinars.some((w) => BigInt(w.webinarKey) > BigInt(Number.MAX_SAFE_INTEGER))).toBe(
        true,
      );

      const past = stored.find((w) => w.sessions.length > 0);
      expect(past).toBeDefined();
      const single = await client.getWebinar(auth, org.organizerKey, past!.webinarKey);
      expect(single.webinarKey).toBe(past!.webinarKey); // bare JSON number in WebinarByKey
      expect(single.organizerKey).toBe(org.organizerKey);

      const registrants = (
        await collect(client.listRegistrants(auth, org.organizerKey, past!.webinarKey))
      ).flat();
      expect(registrants.map((r) => r.registrantKey)).toEqual(
        sim.store.listRegistrants(past!.webinarKey).map((r) => r.registrantKey),
      );

      const sessions = (
        await collect(client.listSessions(auth, org.organizerKey, past!.webinarKey))
      ).flat();
      expect(sessions.map((s) => s.sessionKey)).toEqual(
        sim.store.listSessions(past!.webinarKey).map((s) => s.sessionKey),
      );
      expect(sessions.every((s) => s.webinarKey === past!.webinarKey)).toBe(true);

      const perSession = await client.listSessionAttendees(
        auth,
        org.organizerKey,
        past!.webinarKey,
        sessions[0].sessionKey,
      );
      const storedAtt = sim.store.listAttendees(past!.webinarKey, sessions[0].sessionKey);
      expect(perSession.map((a) => a.registrantKey)).toEqual(storedAtt.map((a) => a.registrantKey));
      expect(perSession.map((a) => a.attendanceTimeInSeconds)).toEqual(
        storedAtt.map((a) => a.attendanceTimeInSeconds),
      );
    });

    it('createRegistrant returns the exact key; a duplicate returns the existing one', async () => {
      const { client } = await make();
      const start = sim.store.now().getTime() + 40 * DAY;
      const w = sim.store.addWebinar(org.organizerKey, {
        times: [
          {
            startTime: new Date(start).toISOString(),
            endTime: new Date(start + 3_600_000).toISOString(),
          },
        ],
      });
      const auth = pat();
      const input = { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' };
      const created = await client.createRegistrant(auth, org.organizerKey, w.webinarKey, input);
      const stored = sim.store.listRegistrants(w.webinarKey);
      expect(created.registrantKey).toBe(stored[0].registrantKey);
      expect(created.alreadyRegistered).toBeUndefined();
      const again = await client.createRegistrant(auth, org.organizerKey, w.webinarKey, input);
      expect(again).toMatchObject({
        registrantKey: created.registrantKey,
        alreadyRegistered: true,
      });
    });
  });
});
