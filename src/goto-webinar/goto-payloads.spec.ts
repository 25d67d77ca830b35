import { mapIdentity, mapTokenResponse } from './goto-auth-payloads';
import { GotoWebinarError } from './goto-webinar.errors';
import {
  mapAttendeeArray,
  mapPayload,
  mapRegistrantCreated,
  mapRegistrantsResponse,
  mapReportingPage,
  mapWebinar,
  parseJsonText,
} from './goto-payloads';

const ENDPOINT = 'GET /test';
const parse = (text: string) => parseJsonText(text, ENDPOINT);
function invalid(fn: () => unknown): GotoWebinarError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(GotoWebinarError);
    expect((e as GotoWebinarError).code).toBe('INVALID_RESPONSE');
    return e as GotoWebinarError;
  }
  throw new Error('expected INVALID_RESPONSE');
}

const webinar = (over: Record<string, unknown> = {}) => ({
  webinarKey: '5620084814059709442',
  webinarID: '123456789',
  organizerKey: '8439885694023999999',
  accountKey: '9999982253621659654',
  subject: 'Q4',
  times: [{ startTime: '2026-12-03T19:00:00Z', endTime: '2026-12-03T20:00:00.123Z' }],
  recurrenceType: 'single_session',
  experienceType: 'classic',
  ...over,
});

describe('parseJsonText', () => {
  it('keeps 64-bit numbers exact', () => {
    const v = parse('{"registrantKey": 8325357307900339981}') as Record<string, unknown>;
    expect(mapRegistrantCreated(v).registrantKey).toBe('8325357307900339981');
    expect(JSON.parse('{"k":8325357307900339981}').k.toString()).not.toBe('8325357307900339981');
  });

  it('malformed JSON -> INVALID_RESPONSE at $', () => {
    const e = invalid(() => parse('{"_embedded":{"webinars":[{"webinarKey":1'));
    expect(e.details.path).toBe('$');
    expect(e.details.endpoint).toBe(ENDPOINT);
  });

  it('empty body -> undefined', () => expect(parse('  ')).toBeUndefined());

  it('maps the same whatever the strings contain (a string that looks like a long key value)', () => {
    const row = (note: string) =>
      `{"registrantKey":8325357307900339981,"email":"a@b.co","firstName":"${note}","status":"APPROVED","registrationDate":"2026-01-02T03:04:05Z","attendanceTimeInSeconds":12}`;
    const plain = mapRegistrantsResponse(parse(`[${row('Ann')}]`)).items[0];
    const tricky = mapRegistrantsResponse(parse(`[${row('x:8325357307900339981,y')}]`)).items[0];
    expect(plain.registrantKey).toBe('8325357307900339981');
    expect(tricky).toEqual({ ...plain, firstName: 'x:8325357307900339981,y' });
  });
});

describe('webinar pages', () => {
  const page = (
    items: unknown[],
    p = { size: 200, totalElements: items.length, totalPages: 1, number: 0 },
  ) => parse(JSON.stringify({ _embedded: { webinars: items }, page: p }));

  it('maps a page; string and number keys both come out as exact strings', () => {
    const json = parse(
      '{"_embedded":{"webinars":[{"webinarKey":5620084814059709442,"organizerKey":8439885694023999999,"subject":"A","times":[{"startTime":"2026-12-03T19:00:00Z","endTime":"2026-12-03T20:00:00Z"}]}]},"page":{"size":200,"totalElements":1,"totalPages":1,"number":0}}',
    );
    const r = mapReportingPage(json, 'webinars', mapWebinar);
    expect(r.items[0].webinarKey).toBe('5620084814059709442');
    expect(r.items[0].organizerKey).toBe('8439885694023999999');
    expect(r.last).toBe(true);
  });

  it('normalises enums, webinarID/webinarId and dates with or without milliseconds', () => {
    const [w] = mapReportingPage(
      page([webinar({ recurrenceType: 'SEQUENCE', webinarID: undefined, webinarId: 987654321 })]),
      'webinars',
      mapWebinar,
    ).items;
    expect(w.recurrenceType).toBe('sequence');
    expect(w.experienceType).toBe('CLASSIC');
    expect(w.webinarId).toBe('987654321');
    expect(w.times[0].startTime.toISOString()).toBe('2026-12-03T19:00:00.000Z');
    expect(w.times[0].endTime.toISOString()).toBe('2026-12-03T20:00:00.123Z');
  });

  it('tolerates unknown extra fields and _links', () => {
    const json = parse(
      JSON.stringify({
        _embedded: { webinars: [webinar({ newField: { x: 1 } })] },
        _links: { self: { href: 'x' } },
        page: { size: 200, totalElements: 1, totalPages: 1, number: 0 },
      }),
    );
    expect(mapReportingPage(json, 'webinars', mapWebinar).items).toHaveLength(1);
  });

  it('missing _embedded with totalElements 0 is an empty last page', () => {
    const json = parse('{"page":{"size":200,"totalElements":0,"totalPages":0,"number":0}}');
    expect(mapReportingPage(json, 'webinars', mapWebinar)).toMatchObject({ items: [], last: true });
  });

  it('last page: number >= totalPages - 1', () => {
    const mk = (number: number, totalPages: number) =>
      mapReportingPage(
        page([webinar()], { size: 200, totalElements: 999, totalPages, number }),
        'webinars',
        mapWebinar,
      ).last;
    expect(mk(0, 2)).toBe(false);
    expect(mk(1, 2)).toBe(true);
    expect(mk(0, 1)).toBe(true);
  });

  it('a bad field names its JSON path', () => {
    const items = [webinar(), webinar(), webinar(), webinar({ times: 'soon' })];
    const e = invalid(() =>
      mapPayload(ENDPOINT, page(items), (j) => mapReportingPage(j, 'webinars', mapWebinar)),
    );
    expect(e.details.path).toBe('_embedded.webinars[3].times');
    expect(e.message).toContain('_embedded.webinars[3].times');
  });

  it.each([
    [{ times: undefined }, '_embedded.webinars[0].times'],
    [{ webinarKey: 12.5 }, '_embedded.webinars[0].webinarKey'],
    [{ webinarKey: 'abc' }, '_embedded.webinars[0].webinarKey'],
    [
      { times: [{ startTime: 'tomorrow', endTime: '2026-12-03T20:00:00Z' }] },
      '_embedded.webinars[0].times[0].startTime',
    ],
  ])('%j -> %s', (over, path) => {
    const e = invalid(() =>
      mapPayload(ENDPOINT, page([webinar(over)]), (j) =>
        mapReportingPage(j, 'webinars', mapWebinar),
      ),
    );
    expect(e.details.path).toBe(path);
  });

  it('wrong envelope -> path of the envelope', () => {
    expect(
      invalid(() =>
        mapPayload(ENDPOINT, parse('[]'), (j) => mapReportingPage(j, 'webinars', mapWebinar)),
      ).details.path,
    ).toBe('$');
    expect(
      invalid(() =>
        mapPayload(
          ENDPOINT,
          parse('{"_embedded":{"other":[]},"page":{"totalElements":3,"totalPages":1,"number":0}}'),
          (j) => mapReportingPage(j, 'webinars', mapWebinar),
        ),
      ).details.path,
    ).toBe('_embedded.webinars');
  });
});

describe('registrants', () => {
  const reg =
    '{"registrantKey":8325357307900339981,"firstName":"Ada","lastName":"L","email":"ada@example.com","status":"approved","registrationDate":"2026-11-20T14:32:34.837Z","joinUrl":"https://j","timeZone":"America/New_York"}';

  it('plain array form', () => {
    const r = mapRegistrantsResponse(parse(`[${reg}]`));
    expect(r.paging).toBeUndefined();
    expect(r.items[0]).toMatchObject({
      registrantKey: '8325357307900339981',
      status: 'APPROVED',
      email: 'ada@example.com',
    });
    expect(r.items[0].registrationDate?.toISOString()).toBe('2026-11-20T14:32:34.837Z');
  });

  it('paginated object form', () => {
    const r = mapRegistrantsResponse(
      parse(`{"data":[${reg}],"total":201,"page":0,"limit":200,"pageSize":1}`),
    );
    expect(r.paging).toEqual({ page: 0, limit: 200, total: 201 });
    expect(r.items).toHaveLength(1);
  });

  it('an unknown status is kept as rawStatus', () => {
    const r = mapRegistrantsResponse(parse('[{"registrantKey":1,"status":"Cancelled"}]'));
    expect(r.items[0].status).toBeUndefined();
    expect(r.items[0].rawStatus).toBe('CANCELLED');
  });

  it('bad key path in array form', () => {
    const e = invalid(() =>
      mapPayload(ENDPOINT, parse(`[${reg},{"registrantKey":null}]`), mapRegistrantsResponse),
    );
    expect(e.details.path).toBe('[1].registrantKey');
  });
});

describe('attendees', () => {
  it('maps session attendees with exact keys and intervals', () => {
    const [a] = mapAttendeeArray(
      parse(
        '[{"registrantKey":8325357307900339981,"sessionKey":15887209,"email":"a@x.io","attendanceTimeInSeconds":3293,"attendance":[{"joinTime":"2026-12-03T19:02:00Z","leaveTime":"2026-12-03T19:30:00.5Z"}]}]',
      ),
    );
    expect(a.registrantKey).toBe('8325357307900339981');
    expect(a.sessionKey).toBe('15887209');
    expect(a.attendanceTimeInSeconds).toBe(3293);
    expect(a.attendance[0].leaveTime?.toISOString()).toBe('2026-12-03T19:30:00.500Z');
  });

  it('a bad interval names its full path (item, interval, field)', () => {
    const ok = '{"registrantKey":1,"attendance":[{"joinTime":"2026-12-03T19:02:00Z"}]}';
    const bad = '{"registrantKey":2,"attendance":[{},{"joinTime":"soon"}]}';
    const e = invalid(() => mapPayload(ENDPOINT, parse(`[${ok},${bad}]`), mapAttendeeArray));
    expect(e.details.path).toBe('[1].attendance[1].joinTime');
    expect(e.message).toContain('expected an ISO 8601 date-time, got the string "soon"');
  });
});

describe('identity and tokens', () => {
  it('Users/me: id is the organizer key, accounts[0].value the account key', () => {
    const i = mapIdentity(
      parse(
        '{"id":"8439885694023999999","userName":"o@example.com","displayName":"M S","accounts":[{"value":"9999982253621659654","display":"X"}]}',
      ),
    );
    expect(i).toEqual({
      organizerKey: '8439885694023999999',
      accountKey: '9999982253621659654',
      email: 'o@example.com',
      displayName: 'M S',
    });
  });

  it('falls back to the token field when id is missing', () => {
    expect(
      mapIdentity(parse('{"userName":"o@example.com"}'), '8439885694023999999').organizerKey,
    ).toBe('8439885694023999999');
    expect(
      invalid(() => mapPayload(ENDPOINT, parse('{"userName":"o"}'), (j) => mapIdentity(j))).details
        .path,
    ).toBe('id');
  });

  it('token response: expires_in, optional refresh_token, old organizer_key', () => {
    const t = mapTokenResponse(
      parse('{"access_token":"a","expires_in":3600,"organizer_key":8439885694023999999}'),
      1000,
    );
    expect(t.expiresAt.getTime()).toBe(1000 + 3_600_000);
    expect(t.refreshToken).toBeUndefined();
    expect(t.organizerKey).toBe('8439885694023999999');
    expect(
      invalid(() =>
        mapPayload(ENDPOINT, parse('{"token_type":"Bearer"}'), (j) => mapTokenResponse(j, 0)),
      ).details.path,
    ).toBe('access_token');
  });
});
