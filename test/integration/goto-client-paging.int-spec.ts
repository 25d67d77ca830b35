// GotoWebinarClient paging over real HTTP against a scripted GoTo: the registrant forms, the query
// of a listing, and reporting pages requested a few at a time. Contract tests against the simulator:
// goto-simulator-*.int-spec.ts.
import { ServerResponse } from 'node:http';
import { PAGE_CONCURRENCY } from '../../src/goto-webinar/goto-webinar.client';
import { GotoWebinarError } from '../../src/goto-webinar/goto-webinar.errors';
import {
  collect,
  ORG,
  pat,
  REG,
  registrant,
  scriptedGoto,
  Seen,
  send,
  WEB,
} from '../support/goto/scripted-goto';

const goto = scriptedGoto();

describe('GotoWebinarClient paging over HTTP', () => {
  it('registrants: follows the paginated object form when GoTo sends it', async () => {
    const client = await goto.makeClient();
    goto.handler = (req, res) => {
      if (req.path === '/oauth/token') return goto.tokenEndpoint(req, res);
      const page = Number(req.query.get('page') ?? 0);
      const limit = Number(req.query.get('limit') ?? 200);
      const count = Math.max(0, Math.min(limit, 450 - page * limit));
      const data = Array.from({ length: count }, (_, i) => registrant(page * limit + i));
      send(
        res,
        200,
        `{"data":[${data.join(',')}],"total":450,"page":${page},"limit":${limit},"pageSize":${count}}`,
      );
    };
    const pages = await collect(client.listRegistrants(pat(), ORG, WEB));
    expect(pages.map((p) => p.length)).toEqual([200, 200, 50]);
    expect(pages[0][0].registrantKey).toBe(REG);
    expect(pages[2][49].registrantKey).toBe((BigInt(REG) + 449n).toString());
    const calls = goto.api('/registrants');
    expect(calls).toHaveLength(3);
    expect(calls[0].query.toString()).toBe('');
    expect(calls.slice(1).map((c) => c.query.toString())).toEqual([
      'page=1&limit=200',
      'page=2&limit=200',
    ]);
  });

  it('registrants: the plain array form is one call', async () => {
    const client = await goto.makeClient();
    goto.handler = (req, res) =>
      req.path === '/oauth/token'
        ? goto.tokenEndpoint(req, res)
        : send(res, 200, `[${Array.from({ length: 450 }, (_, i) => registrant(i)).join(',')}]`);
    const pages = await collect(client.listRegistrants(pat(), ORG, WEB));
    expect(pages.flat()).toHaveLength(450);
    expect(goto.api('/registrants')).toHaveLength(1);
  });

  it('sends fromTime/toTime as UTC ISO and page/size 200, Bearer + Accept headers', async () => {
    const client = await goto.makeClient();
    goto.handler = (req, res) =>
      req.path === '/oauth/token'
        ? goto.tokenEndpoint(req, res)
        : send(res, 200, { page: { size: 200, totalElements: 0, totalPages: 0, number: 0 } });
    const pages = await collect(
      client.listWebinars(
        pat(),
        ORG,
        new Date('2026-01-01T00:00:00.000Z'),
        new Date('2027-01-01T00:00:00.500Z'),
      ),
    );
    expect(pages).toEqual([]);
    const [call] = goto.api('/webinars');
    expect(call.path).toBe(`/G2W/rest/v2/organizers/${ORG}/webinars`);
    expect(call.query.get('fromTime')).toBe('2026-01-01T00:00:00Z');
    expect(call.query.get('toTime')).toBe('2027-01-01T00:00:01Z');
    expect(call.query.get('page')).toBe('0');
    expect(call.query.get('size')).toBe('200');
    expect(call.auth).toBe('Bearer access-' + goto.tokenSerial);
  });

  describe('reporting pages after page 0', () => {
    const attendee = (i: number) =>
      `{"registrantKey":${BigInt(REG) + BigInt(i)},"email":"a${i}@x.io","sessionKey":1,"attendanceTimeInSeconds":60,"attendance":[]}`;

    /** The answer to one page of a report of `n` rows. */
    function answer(req: Seen, res: ServerResponse, n: number) {
      const page = Number(req.query.get('page'));
      const size = Number(req.query.get('size'));
      const rows = Array.from({ length: Math.max(0, Math.min(size, n - page * size)) }, (_, i) =>
        attendee(page * size + i),
      );
      const info = `"page":{"size":${size},"totalElements":${n},"totalPages":${Math.ceil(n / size)},"number":${page}}`;
      send(
        res,
        200,
        rows.length > 0
          ? `{"_embedded":{"attendeeParticipationResponses":[${rows.join(',')}]},${info}}`
          : `{${info}}`,
      );
    }

    /** A report of `total()` rows, answered at once. */
    function report(total: () => number) {
      goto.handler = (req, res) =>
        req.path === '/oauth/token' ? goto.tokenEndpoint(req, res) : answer(req, res, total());
    }

    it('are requested a few at a time and yielded in page order', async () => {
      const client = await goto.makeClient();
      const rows = 1850;
      const totalPages = Math.ceil(rows / 200);
      // Requests are held until every page the client may have in flight has arrived, then answered
      // latest page first: the consumer must still see page 0, 1, 2, … in order. Page 0 goes alone.
      const held: Array<{ page: number; answer: () => void }> = [];
      let answered = 0;
      let maxInFlight = 0;
      goto.handler = (req, res) => {
        if (req.path === '/oauth/token') return goto.tokenEndpoint(req, res);
        held.push({ page: Number(req.query.get('page')), answer: () => answer(req, res, rows) });
        maxInFlight = Math.max(maxInFlight, held.length);
        const expected = answered === 0 ? 1 : Math.min(PAGE_CONCURRENCY, totalPages - answered);
        if (held.length < expected) return;
        held.sort((a, b) => b.page - a.page);
        for (const h of held.splice(0)) {
          answered += 1;
          h.answer();
        }
      };
      const pages = await collect(client.listWebinarAttendees(pat(), ORG, WEB));
      expect(pages.map((p) => p.length)).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 50]);
      expect(pages.flat().map((a) => a.registrantKey)).toEqual(
        Array.from({ length: rows }, (_, i) => (BigInt(REG) + BigInt(i)).toString()),
      );
      const calls = goto.api('/attendees');
      expect(calls.map((c) => Number(c.query.get('page'))).sort((a, b) => a - b)).toEqual(
        Array.from({ length: totalPages }, (_, i) => i),
      );
      expect(maxInFlight).toBe(PAGE_CONCURRENCY);
    });

    it('follow pages past the first totalPages when the report grew meanwhile', async () => {
      const client = await goto.makeClient();
      let asked = 0;
      // 450 rows when page 0 is read (3 pages), 650 from the second request on (4 pages).
      report(() => (asked++ === 0 ? 450 : 650));
      const pages = await collect(client.listWebinarAttendees(pat(), ORG, WEB));
      expect(pages.map((p) => p.length)).toEqual([200, 200, 200, 50]);
      expect(goto.api('/attendees')).toHaveLength(4);
    });

    it('a page that fails fails the listing, after the pages before it', async () => {
      const client = await goto.makeClient({ maxRetries: 0 });
      report(() => 1000);
      const ok = goto.handler;
      goto.handler = (req, res) =>
        req.query.get('page') === '3'
          ? send(res, 400, { errorCode: 'InvalidRequest' })
          : ok(req, res);
      const got: number[] = [];
      await expect(
        (async () => {
          for await (const p of client.listWebinarAttendees(pat(), ORG, WEB)) got.push(p.length);
        })(),
      ).rejects.toBeInstanceOf(GotoWebinarError);
      expect(got).toEqual([200, 200, 200]);
    });
  });
});
