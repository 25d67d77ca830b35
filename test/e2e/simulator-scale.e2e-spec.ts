import { bearerGet, organizerToken } from '../../src/simulator/sim-client';
import { RunningSimulator, startSimulator } from '../../src/simulator/simulator';

const NOW = new Date('2026-06-15T12:00:00Z');
const V2 = '/G2W/rest/v2';
const RANGE = 'fromTime=2020-01-01T00:00:00Z&toTime=2032-01-01T00:00:00Z';

// 2 organizers x 1000 webinars x 1000 registrants = 2M registrants, generated lazily per request.
describe('GoTo simulator: 1000 x 1000 dataset', () => {
  let sim: RunningSimulator;

  beforeAll(async () => {
    sim = await startSimulator({ now: NOW, organizers: 2, webinars: 1000, registrants: 1000 });
  });
  afterAll(() => sim.close());

  it('pages webinars, registrants and attendees without a memory blow-up', async () => {
    const o = sim.store.listOrganizers()[0];
    const token = await organizerToken(sim);
    global.gc?.();
    const before = process.memoryUsage().heapUsed;

    let total = 0;
    for (let page = 0; ; page++) {
      const res = await bearerGet(
        sim.url,
        `${V2}/organizers/${o.organizerKey}/webinars?${RANGE}&page=${page}&size=200`,
        token,
      );
      expect(res.status).toBe(200);
      total += res.body._embedded?.webinars.length ?? 0;
      if (page >= res.body.page.totalPages - 1) break;
    }
    expect(total).toBe(1000);

    const webinars = sim.store
      .listWebinars(o.organizerKey)
      .filter((w) => w.sessions.length > 0)
      .slice(0, 4);
    for (const w of webinars) {
      const base = `${V2}/organizers/${o.organizerKey}/webinars/${w.webinarKey}`;
      const seen = new Set<string>();
      for (let page = 0; page < 5; page++) {
        const res = await bearerGet(sim.url, `${base}/registrants?page=${page}&limit=200`, token);
        expect(res.body).toMatchObject({ total: 1000, pageSize: 200 });
        for (const r of res.body.data) seen.add(r.registrantKey);
      }
      expect(seen.size).toBe(1000);
      const all = await bearerGet(sim.url, `${base}/registrants`, token);
      expect(all.body).toHaveLength(1000);
      const att = await bearerGet(sim.url, `${base}/attendees?size=200`, token);
      expect(att.body.page.totalElements).toBeGreaterThan(200);
    }
    const sessions = await bearerGet(
      sim.url,
      `${V2}/organizers/${o.organizerKey}/sessions?${RANGE}&size=200`,
      token,
    );
    expect(sessions.status).toBe(200);

    const grownMb = (process.memoryUsage().heapUsed - before) / 1024 / 1024;
    expect(grownMb).toBeLessThan(150);
  });
});
