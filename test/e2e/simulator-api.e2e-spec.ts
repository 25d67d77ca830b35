import { bearerGet, organizerToken, simFetch } from '../../src/simulator/sim-client';
import { RunningSimulator, WebinarInfo, startSimulator } from '../../src/simulator/simulator';
import { AnyJson } from '../../src/common/any-json';

const NOW = new Date('2026-06-15T12:00:00Z');
const V2 = '/G2W/rest/v2';
const WIDE = 'fromTime=2020-01-01T00:00:00Z&toTime=2032-01-01T00:00:00Z';

const past = (w: WebinarInfo) => Date.parse(w.times[w.times.length - 1].endTime) < NOW.getTime();

describe('GoTo simulator: REST API', () => {
  let sim: RunningSimulator;
  let token: string;
  let orgKey: string;
  const get = (path: string, t = token) => bearerGet(sim.url, path, t);

  beforeAll(async () => {
    sim = await startSimulator({ now: NOW, seed: 7, organizers: 2, webinars: 30, registrants: 25 });
    token = await organizerToken(sim);
    orgKey = sim.store.listOrganizers()[0].organizerKey;
  });
  afterAll(() => sim.close());

  it('is deterministic: same seed and now → same bytes; another seed → other data', async () => {
    const a = await startSimulator({
      now: NOW,
      seed: 7,
      organizers: 2,
      webinars: 30,
      registrants: 25,
    });
    const b = await startSimulator({
      now: NOW,
      seed: 8,
      organizers: 2,
      webinars: 30,
      registrants: 25,
    });
    try {
      const w = sim.store.listWebinars(orgKey).find(past)!;
      const paths = [
        `${V2}/organizers/${orgKey}/webinars?${WIDE}&size=50`,
        `${V2}/organizers/${orgKey}/webinars/${w.webinarKey}`,
        `${V2}/organizers/${orgKey}/webinars/${w.webinarKey}/registrants`,
        `${V2}/organizers/${orgKey}/webinars/${w.webinarKey}/sessions`,
        `${V2}/organizers/${orgKey}/webinars/${w.webinarKey}/attendees?size=200`,
      ];
      const tokenA = await organizerToken(a);
      for (const p of paths) {
        const [x, y] = [await get(p), await bearerGet(a.url, p, tokenA)];
        expect(x.status).toBe(200);
        expect(y.text).toBe(x.text);
      }
      expect(b.store.listOrganizers()[0].organizerKey).not.toBe(orgKey);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  describe('webinars', () => {
    it('lists the range with string keys, 0-based pages and the page block', async () => {
      const expected = sim.store
        .listWebinars(orgKey)
        .filter((w) =>
          w.times.some((t) => t.startTime >= '2026-01-01' && t.startTime <= '2026-12-31T23:59:59Z'),
        );
      const res = await get(
        `${V2}/organizers/${orgKey}/webinars?fromTime=2026-01-01T00:00:00Z&toTime=2026-12-31T23:59:59Z&page=0&size=5`,
      );
      expect(res.status).toBe(200);
      expect(res.body.page).toEqual({
        size: 5,
        totalElements: expected.length,
        totalPages: Math.ceil(expected.length / 5),
        number: 0,
      });
      expect(res.body._embedded.webinars.map((w: AnyJson) => w.webinarKey)).toEqual(
        expected.slice(0, 5).map((w) => w.webinarKey),
      );
      expect(res.text).toMatch(/"webinarKey":"\d{19}"/);
      expect(res.text).toMatch(/"organizerKey":"\d{19}"/);
    });

    it('zero results: page block with totalElements 0 and no _embedded', async () => {
      const res = await get(
        `${V2}/organizers/${orgKey}/webinars?fromTime=1990-01-01T00:00:00Z&toTime=1990-02-01T00:00:00Z`,
      );
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ page: { size: 20, totalElements: 0, totalPages: 0, number: 0 } });
    });

    it('fromTime/toTime are required UTC ISO times', async () => {
      for (const q of [
        '',
        'fromTime=2026-01-01T00:00:00Z',
        'fromTime=2026-01-01&toTime=2026-02-01T00:00:00Z',
        'fromTime=2026-01-01T00:00:00+02:00&toTime=2026-02-01T00:00:00Z',
      ]) {
        const res = await get(`${V2}/organizers/${orgKey}/webinars?${q}`);
        expect(res.status).toBe(400);
        expect(res.body).toEqual({
          errorCode: expect.any(String),
          description: expect.any(String),
          incident: expect.any(String),
        });
      }
    });

    it('WebinarByKey has bare int64 numbers; cancelled/deleted → 404 and gone from the list', async () => {
      const [w1, w2] = sim.store.listWebinars(orgKey, {}).slice(-2);
      const one = await get(`${V2}/organizers/${orgKey}/webinars/${w1.webinarKey}`);
      expect(one.status).toBe(200);
      expect(one.text).toContain(`"webinarKey":${w1.webinarKey},`);
      expect(one.text).toContain(`"organizerKey":${orgKey},`);
      expect(BigInt(w1.webinarKey) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
      expect(one.body.webinarKey).toBe(w1.webinarKey);
      sim.store.cancelWebinar(w1.webinarKey);
      sim.store.deleteWebinar(w2.webinarKey);
      for (const k of [w1.webinarKey, w2.webinarKey]) {
        const gone = await get(`${V2}/organizers/${orgKey}/webinars/${k}`);
        expect(gone.status).toBe(404);
        expect(gone.body.errorCode).toBe('NotFound');
      }
      const list = await get(`${V2}/organizers/${orgKey}/webinars?${WIDE}&size=200`);
      const keys = list.body._embedded.webinars.map((w: AnyJson) => w.webinarKey);
      expect(keys).not.toContain(w1.webinarKey);
      expect(keys).not.toContain(w2.webinarKey);
    });

    it("another organizer's key → 403 (not InvalidToken); unknown webinar → 404; bad key → 400", async () => {
      const other = sim.store.listOrganizers()[1];
      const res = await get(`${V2}/organizers/${other.organizerKey}/webinars?${WIDE}`);
      expect(res.status).toBe(403);
      expect(res.body.int_err_code).toBeUndefined();
      expect(res.body.errorCode).toBeDefined();
      const foreign = sim.store.listWebinars(other.organizerKey)[0];
      expect((await get(`${V2}/organizers/${orgKey}/webinars/${foreign.webinarKey}`)).status).toBe(
        404,
      );
      expect((await get(`${V2}/organizers/${orgKey}/webinars/123`)).status).toBe(404);
      expect((await get(`${V2}/organizers/${orgKey}/webinars/abc`)).status).toBe(400);
    });

    it('DELETE a webinar (GoTo cancel): 204, then 404; a series goes as a whole by default', async () => {
      const w = sim.store.addWebinar(orgKey, {
        times: [{ startTime: '2026-09-01T10:00:00Z', endTime: '2026-09-01T11:00:00Z' }],
      });
      const del = await simFetch(`${sim.url}${V2}/organizers/${orgKey}/webinars/${w.webinarKey}`, {
        method: 'DELETE',
        headers: { Authorization: `Bearer ${token}` },
      });
      expect(del.status).toBe(204);
      expect((await get(`${V2}/organizers/${orgKey}/webinars/${w.webinarKey}`)).status).toBe(404);
      const times = (d: string) => [{ startTime: `${d}T10:00:00Z`, endTime: `${d}T11:00:00Z` }];
      const a = sim.store.addWebinar(orgKey, {
        times: times('2026-10-01'),
        recurrenceType: 'series',
        recurrenceKey: '5000000000000000001',
      });
      const b = sim.store.addWebinar(orgKey, {
        times: times('2026-10-08'),
        recurrenceType: 'series',
        recurrenceKey: '5000000000000000001',
      });
      await simFetch(`${sim.url}${V2}/organizers/${orgKey}/webinars/${a.webinarKey}`, {
        method: 'DELETE',
        headers: { Authorization: `Bearer ${token}` },
      });
      expect(sim.store.getWebinar(b.webinarKey).status).toBe('cancelled');
    });

    it('meetingtimes and the account listing', async () => {
      const w =
        sim.store.listWebinars(orgKey).find((x) => x.recurrenceType === 'sequence') ??
        sim.store.listWebinars(orgKey)[0];
      const res = await get(`${V2}/organizers/${orgKey}/webinars/${w.webinarKey}/meetingtimes`);
      expect(res.body).toEqual(w.times);
      const account = sim.store.listOrganizers()[0].accountKey;
      const all = await get(`${V2}/accounts/${account}/webinars?${WIDE}&size=200`);
      expect(all.status).toBe(200);
      const organizers = new Set(all.body._embedded.webinars.map((x: AnyJson) => x.organizerKey));
      expect(organizers.size).toBe(2);
    });
  });

  describe('registrants', () => {
    it('plain array without page/limit; paginated object with either', async () => {
      const w = sim.store.listWebinars(orgKey)[0];
      const expected = sim.store.listRegistrants(w.webinarKey);
      const arr = await get(`${V2}/organizers/${orgKey}/webinars/${w.webinarKey}/registrants`);
      expect(Array.isArray(arr.body)).toBe(true);
      expect(arr.body.map((r: AnyJson) => r.registrantKey)).toEqual(
        expected.map((r) => r.registrantKey),
      );
      expect(arr.text).toMatch(/"registrantKey":\d{19},/);
      const paged = await get(
        `${V2}/organizers/${orgKey}/webinars/${w.webinarKey}/registrants?page=1&limit=10`,
      );
      expect(paged.body).toMatchObject({
        total: expected.length,
        page: 1,
        limit: 10,
        pageSize: 10,
      });
      expect(paged.body.data.map((r: AnyJson) => r.registrantKey)).toEqual(
        expected.slice(10, 20).map((r) => r.registrantKey),
      );
      const onlyPage = await get(
        `${V2}/organizers/${orgKey}/webinars/${w.webinarKey}/registrants?page=0`,
      );
      expect(onlyPage.body.data).toBeDefined();
      for (const r of arr.body) expect(['APPROVED', 'WAITING', 'DENIED']).toContain(r.status);
    });

    it('pages of exactly 200 and 201 items, limit/size capped at 200, pages past the end', async () => {
      const w200 = sim.store.addWebinar(orgKey, {
        times: [{ startTime: '2026-05-01T10:00:00Z', endTime: '2026-05-01T11:00:00Z' }],
        registrants: 200,
      });
      const w201 = sim.store.addWebinar(orgKey, {
        times: [{ startTime: '2026-05-02T10:00:00Z', endTime: '2026-05-02T11:00:00Z' }],
        registrants: 201,
      });
      const w0 = sim.store.addWebinar(orgKey, {
        times: [{ startTime: '2026-05-03T10:00:00Z', endTime: '2026-05-03T11:00:00Z' }],
        registrants: 0,
      });
      const reg = (w: WebinarInfo, q: string) =>
        get(`${V2}/organizers/${orgKey}/webinars/${w.webinarKey}/registrants${q}`);
      expect((await reg(w200, '?page=0&limit=200')).body).toMatchObject({
        total: 200,
        pageSize: 200,
      });
      expect((await reg(w200, '?page=1&limit=200')).body).toMatchObject({
        total: 200,
        pageSize: 0,
        data: [],
      });
      expect((await reg(w201, '?page=0&limit=500')).body).toMatchObject({
        total: 201,
        limit: 200,
        pageSize: 200,
      });
      expect((await reg(w201, '?page=1&limit=200')).body).toMatchObject({
        total: 201,
        pageSize: 1,
      });
      expect((await reg(w0, '')).body).toEqual([]);
      expect((await reg(w0, '?limit=200')).body).toEqual({
        data: [],
        total: 0,
        page: 0,
        limit: 200,
        pageSize: 0,
      });
      expect((await reg(w201, '')).body).toHaveLength(201);

      const att = (w: WebinarInfo, q: string) =>
        get(`${V2}/organizers/${orgKey}/webinars/${w.webinarKey}/attendees${q}`);
      const rows = sim.store.listAttendees(w201.webinarKey).length;
      const first = await att(w201, '?page=0&size=999');
      expect(first.body.page).toEqual({
        size: 200,
        totalElements: rows,
        totalPages: Math.ceil(rows / 200),
        number: 0,
      });
      const beyond = await att(w201, '?page=99&size=200');
      expect(beyond.body._embedded).toBeUndefined();
      expect(beyond.body.page.number).toBe(99);
      expect((await att(w201, '?size=0')).status).toBe(400);
      expect((await att(w201, '?page=-1')).status).toBe(400);
    });

    it('create (201, numeric key), duplicate email → 409, detail, delete future only', async () => {
      const future = sim.store.listWebinars(orgKey).find((w) => !past(w))!;
      const base = `${V2}/organizers/${orgKey}/webinars/${future.webinarKey}/registrants`;
      const post = (body: unknown) =>
        simFetch(`${sim.url}${base}`, {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${token}`,
            'Content-Type': 'application/json',
            Accept: 'application/json',
          },
          body: JSON.stringify(body),
        });
      const created = await post({
        firstName: 'Grace',
        lastName: 'Hopper',
        email: 'grace@example.com',
      });
      expect(created.status).toBe(201);
      expect(created.text).toMatch(/^\{"registrantKey":\d{19},"joinUrl":"https:\/\/[^"]+"\}$/);
      const key = created.body.registrantKey as string;
      const dup = await post({ firstName: 'G', lastName: 'H', email: 'GRACE@example.com' });
      expect(dup.status).toBe(409);
      expect(dup.body.registrantKey).toBe(key);
      expect((await post({ firstName: 'No', lastName: 'Mail' })).status).toBe(400);
      const detail = await get(`${base}/${key}`);
      expect(detail.body).toMatchObject({
        registrantKey: key,
        email: 'grace@example.com',
        status: 'APPROVED',
        type: expect.any(String),
      });
      const del = await simFetch(`${sim.url}${base}/${key}`, {
        method: 'DELETE',
        headers: { Authorization: `Bearer ${token}` },
      });
      expect(del.status).toBe(204);
      expect((await get(`${base}/${key}`)).status).toBe(404);
      const pastW = sim.store.listWebinars(orgKey).find(past)!;
      const r = sim.store.listRegistrants(pastW.webinarKey)[0];
      const delPast = await simFetch(
        `${sim.url}${V2}/organizers/${orgKey}/webinars/${pastW.webinarKey}/registrants/${r.registrantKey}`,
        { method: 'DELETE', headers: { Authorization: `Bearer ${token}` } },
      );
      expect(delPast.status).toBe(400);
    });
  });

  describe('sessions and attendees', () => {
    it('completed sessions only, string keys; attendees with numeric keys and sessionKey per row', async () => {
      const webinars = sim.store.listWebinars(orgKey);
      const future = webinars.find((w) => Date.parse(w.times[0].startTime) > NOW.getTime())!;
      const none = await get(`${V2}/organizers/${orgKey}/webinars/${future.webinarKey}/sessions`);
      expect(none.body).toEqual({ page: { size: 20, totalElements: 0, totalPages: 0, number: 0 } });

      const w = webinars.find((x) => past(x) && x.sessions.length > 0)!;
      const sessions = await get(`${V2}/organizers/${orgKey}/webinars/${w.webinarKey}/sessions`);
      expect(
        sessions.body._embedded.sessionInfoResources.map((s: AnyJson) => s.sessionKey),
      ).toEqual(w.sessions.map((s) => s.sessionKey));
      expect(sessions.text).toMatch(/"sessionKey":"\d{19}"/);

      const all = await get(
        `${V2}/organizers/${orgKey}/webinars/${w.webinarKey}/attendees?size=200`,
      );
      const expected = sim.store.listAttendees(w.webinarKey);
      expect(all.body.page.totalElements).toBe(expected.length);
      expect(
        all.body._embedded.attendeeParticipationResponses.map((a: AnyJson) => [
          a.registrantKey,
          a.sessionKey,
        ]),
      ).toEqual(expected.map((a) => [a.registrantKey, a.sessionKey]));
      expect(all.text).toMatch(/"registrantKey":\d{19},/);
      expect(all.text).toMatch(/"sessionKey":\d{19},/);

      const s0 = w.sessions[0].sessionKey;
      const one = await get(
        `${V2}/organizers/${orgKey}/webinars/${w.webinarKey}/sessions/${s0}/attendees`,
      );
      expect(one.body.map((a: AnyJson) => a.registrantKey)).toEqual(
        sim.store.listAttendees(w.webinarKey, s0).map((a) => a.registrantKey),
      );
      const sess = await get(`${V2}/organizers/${orgKey}/webinars/${w.webinarKey}/sessions/${s0}`);
      expect(sess.text).toContain(`"sessionKey":${s0}`);
    });

    it('the generated data has the traps: sequences, series, walk-in attendees, odd emails', async () => {
      const all = sim.store.listOrganizers().flatMap((o) => sim.store.listWebinars(o.organizerKey));
      expect(all.some((w) => w.recurrenceType === 'sequence' && w.times.length > 1)).toBe(true);
      const series = all.filter((w) => w.recurrenceType === 'series');
      expect(series.length).toBeGreaterThan(1);
      expect(series.every((w) => w.recurrenceKey)).toBe(true);
      const pastOnes = all.filter(past);
      const walkIns = pastOnes.some((w) => {
        const keys = new Set(sim.store.listRegistrants(w.webinarKey).map((r) => r.registrantKey));
        return sim.store.listAttendees(w.webinarKey).some((a) => !keys.has(a.registrantKey));
      });
      expect(walkIns).toBe(true);
      const emails = all.flatMap((w) =>
        sim.store.listRegistrants(w.webinarKey).map((r) => r.email),
      );
      expect(emails.some((e) => e !== e.toLowerCase())).toBe(true);
      expect(emails.some((e) => !/^[^@\s]+@[^@\s]+$/.test(e))).toBe(true);
      const seq = pastOnes.find((w) => w.sessions.length > 1);
      if (seq) {
        const bySession = seq.sessions.map(
          (s) =>
            new Set(
              sim.store.listAttendees(seq.webinarKey, s.sessionKey).map((a) => a.registrantKey),
            ),
        );
        const onlyOne = [...bySession[0]].some((k) => !bySession[1].has(k));
        expect(onlyOne).toBe(true);
      }
    });

    it('organizer sessions in a range', async () => {
      const res = await get(`${V2}/organizers/${orgKey}/sessions?${WIDE}&size=200`);
      expect(res.status).toBe(200);
      const expected = sim.store.listWebinars(orgKey).flatMap((w) => w.sessions).length;
      expect(res.body.page.totalElements).toBe(expected);
      expect((await get(`${V2}/organizers/${orgKey}/sessions`)).status).toBe(400);
    });
  });

  it('unknown paths → 404 {errorCode: NOT_FOUND, message}', async () => {
    const res = await get('/G2W/rest/v2/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ errorCode: 'NOT_FOUND', message: expect.any(String) });
  });
});
