// Validates the simulator's responses against GoTo's own OpenAPI document (goto-portal copy).
// Bodies are parsed losslessly: an int64 the spec types `integer` must be a number token in the
// JSON text; unsafe integers are replaced by a safe stand-in before Ajv sees them.
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isLosslessNumber, parse } from 'lossless-json';
import { parse as parseYaml } from 'yaml';
import { bearerGet, organizerToken, simFetch } from '../../src/simulator/sim-client';
import { RunningSimulator, startSimulator } from '../../src/simulator/simulator';
import { AnyJson } from '../../src/common/any-json';

const SPEC_FILE = join(__dirname, '../fixtures/goto-spec/gotowebinar-v2-openapi.goto-portal.yml');
const NOW = new Date('2026-06-15T12:00:00Z');
const V2 = '/G2W/rest/v2';
const RANGE = 'fromTime=2020-01-01T00:00:00Z&toTime=2032-01-01T00:00:00Z';

type Schema = Record<string, AnyJson>;

// Deviations the spec itself forces (see docs/simulator.md):
// - Webinar lists `webinarId` and `status` as required but defines only `webinarID` and no `status`;
//   the real API (and every client) uses `webinarID`.
// - Reporting envelopes require `_embedded`; with zero results GoTo (Spring HATEOAS) omits it.
// - GET …/sessions/{sessionKey} is typed "array of Attendee"; it answers the `Session` object.
// - `description` is required on Webinar/WebinarByKey/BrokerWebinar but not declared as a property.
// - Object schemas omit `type: object`, so an array would match RegistrantPaginatedResponse too and
//   the registrants `oneOf` could never pass; every schema with `properties` gets `type: object`.
function loadSpec(): Schema {
  const spec = parseYaml(readFileSync(SPEC_FILE, 'utf8')) as Schema;
  const s = spec.components.schemas as Record<string, Schema>;
  for (const schema of Object.values(s))
    if (schema.properties && !schema.type) schema.type = 'object';
  s.Webinar.required = s.Webinar.required
    .map((k: string) => (k === 'webinarId' ? 'webinarID' : k))
    .filter((k: string) => k !== 'status');
  for (const name of ['Webinar', 'WebinarByKey', 'BrokerWebinar'])
    s[name].properties.description = { type: 'string' };
  // Our own strictness: no field the spec does not know.
  for (const name of [
    'Webinar',
    'WebinarByKey',
    'BrokerWebinar',
    'ReportingSession',
    'Session',
    'Attendee',
    'ReportingAttendee',
    'Registrant',
    'RegistrantDetailed',
    'RegistrantCreated',
    'page',
    'DateTimeRange',
    'Attendance',
    'RegistrantPaginatedResponse',
  ]) {
    s[name].additionalProperties = false;
  }
  return spec;
}

function toValidatable(text: string): unknown {
  return parse(text, undefined, (digits: string) => {
    const n = Number(digits);
    return Number.isSafeInteger(n) || !/^-?\d+$/.test(digits) ? n : Number.MAX_SAFE_INTEGER;
  });
}

describe('GoTo simulator: responses validate against GoTo OpenAPI', () => {
  let sim: RunningSimulator;
  let token: string;
  let org: string;
  let ajv: Ajv;
  let spec: Schema;

  const validatorFor = (
    path: string,
    method: string,
    status: string,
    override?: Schema,
  ): ValidateFunction => {
    const schema =
      override ?? spec.paths[path][method].responses[status].content['application/json'].schema;
    return ajv.compile({ ...schema, components: spec.components });
  };

  const check = async (
    specPath: string,
    url: string,
    opts: {
      method?: string;
      status?: string;
      body?: unknown;
      schema?: Schema;
      emptyEnvelope?: boolean;
    } = {},
  ) => {
    const method = opts.method ?? 'get';
    const status = opts.status ?? '200';
    const res =
      method === 'get'
        ? await bearerGet(sim.url, url, token)
        : await simFetch(`${sim.url}${url}`, {
            method: method.toUpperCase(),
            headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
            body: JSON.stringify(opts.body),
          });
    expect([url, res.status]).toEqual([url, Number(status)]);
    let schema =
      opts.schema ??
      spec.paths[specPath][method].responses[status].content['application/json'].schema;
    if (opts.emptyEnvelope) {
      const target = spec.components.schemas[schema.$ref.split('/').pop()];
      schema = { ...target, required: target.required.filter((k: string) => k !== '_embedded') };
    }
    const validate = validatorFor(specPath, method, status, schema);
    const ok = validate(toValidatable(res.text));
    if (!ok)
      throw new Error(`${url}: ${ajv.errorsText(validate.errors)}\n${res.text.slice(0, 500)}`);
    return res;
  };

  beforeAll(async () => {
    spec = loadSpec();
    ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addFormat('int32', {
      type: 'number',
      validate: (n: number) => Number.isInteger(n) && Math.abs(n) < 2 ** 31,
    });
    ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
    sim = await startSimulator({ now: NOW, seed: 3, organizers: 1, webinars: 40, registrants: 30 });
    org = sim.store.listOrganizers()[0].organizerKey;
    token = await organizerToken(sim);
    sim.store.addWebinar(org, {
      subject: 'Live now',
      times: [{ startTime: '2026-06-15T11:30:00Z', endTime: '2026-06-15T12:30:00Z' }],
      registrants: 3,
    });
  });
  afterAll(() => sim.close());

  it('the raw JSON carries int64 keys as numbers where the spec says integer', async () => {
    const w = sim.store.listWebinars(org).find((x) => x.sessions.length > 0)!;
    const res = await bearerGet(
      sim.url,
      `${V2}/organizers/${org}/webinars/${w.webinarKey}/attendees`,
      token,
    );
    const raw = parse(res.text) as AnyJson;
    const row = raw._embedded.attendeeParticipationResponses[0];
    expect(isLosslessNumber(row.registrantKey)).toBe(true);
    expect(BigInt(row.registrantKey.toString()) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    expect(isLosslessNumber(row.sessionKey)).toBe(true);
  });

  it('webinar lists, single webinars (all recurrence types), meeting times, in-session', async () => {
    const P = '/organizers/{organizerKey}/webinars';
    await check(P, `${V2}/organizers/${org}/webinars?${RANGE}&size=200`);
    await check(
      P,
      `${V2}/organizers/${org}/webinars?fromTime=1990-01-01T00:00:00Z&toTime=1990-01-02T00:00:00Z`,
      { emptyEnvelope: true },
    );
    const account = sim.store.listOrganizers()[0].accountKey;
    await check('/accounts/{accountKey}/webinars', `${V2}/accounts/${account}/webinars?${RANGE}`);
    const types = new Set<string>();
    for (const w of sim.store.listWebinars(org)) {
      if (types.has(w.recurrenceType)) continue;
      types.add(w.recurrenceType);
      await check(`${P}/{webinarKey}`, `${V2}/organizers/${org}/webinars/${w.webinarKey}`);
      await check(
        `${P}/{webinarKey}/meetingtimes`,
        `${V2}/organizers/${org}/webinars/${w.webinarKey}/meetingtimes`,
      );
    }
    expect(types.size).toBe(3);
    const live = await check(
      '/organizers/{organizerKey}/insessionWebinars',
      `${V2}/organizers/${org}/insessionWebinars`,
    );
    expect(live.body).toHaveLength(1);
  });

  it('registrants: both list forms, detail, fields, create', async () => {
    const P = '/organizers/{organizerKey}/webinars/{webinarKey}/registrants';
    const webinars = sim.store.listWebinars(org);
    const w = webinars[0];
    const base = `${V2}/organizers/${org}/webinars/${w.webinarKey}/registrants`;
    await check(P, base);
    await check(P, `${base}?page=0&limit=7`);
    await check(P, base, { schema: { $ref: '#/components/schemas/RegistrantArray' } });
    await check(P, `${base}?limit=200`, {
      schema: { $ref: '#/components/schemas/RegistrantPaginatedResponse' },
    });
    for (const r of sim.store.listRegistrants(w.webinarKey).slice(0, 5)) {
      await check(`${P}/{registrantKey}`, `${base}/${r.registrantKey}`);
    }
    await check(`${P}/fields`, `${base}/fields`);
    const future = webinars.find((x) => Date.parse(x.times[0].startTime) > NOW.getTime())!;
    await check(P, `${V2}/organizers/${org}/webinars/${future.webinarKey}/registrants`, {
      method: 'post',
      status: '201',
      body: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada.openapi@example.com' },
    });
  });

  it('sessions and attendees', async () => {
    const P = '/organizers/{organizerKey}/webinars/{webinarKey}';
    await check(
      '/organizers/{organizerKey}/sessions',
      `${V2}/organizers/${org}/sessions?${RANGE}&size=200`,
    );
    const withSessions = sim.store
      .listWebinars(org)
      .filter((x) => x.sessions.length > 0)
      .slice(0, 4);
    expect(withSessions.length).toBeGreaterThan(0);
    for (const w of withSessions) {
      const base = `${V2}/organizers/${org}/webinars/${w.webinarKey}`;
      await check(`${P}/sessions`, `${base}/sessions`);
      await check(`${P}/attendees`, `${base}/attendees?size=200`);
      for (const s of w.sessions) {
        await check(
          `${P}/sessions/{sessionKey}/attendees`,
          `${base}/sessions/${s.sessionKey}/attendees`,
        );
        await check(`${P}/sessions/{sessionKey}`, `${base}/sessions/${s.sessionKey}`, {
          schema: { $ref: '#/components/schemas/Session' },
        });
        const a = sim.store.listAttendees(w.webinarKey, s.sessionKey);
        const registered = new Set(
          sim.store.listRegistrants(w.webinarKey).map((r) => r.registrantKey),
        );
        const one = a.find((x) => registered.has(x.registrantKey));
        if (one)
          await check(
            `${P}/sessions/{sessionKey}/attendees/{registrantKey}`,
            `${base}/sessions/${s.sessionKey}/attendees/${one.registrantKey}`,
          );
      }
    }
    const future = sim.store.listWebinars(org).find((x) => x.sessions.length === 0)!;
    await check(`${P}/sessions`, `${V2}/organizers/${org}/webinars/${future.webinarKey}/sessions`, {
      emptyEnvelope: true,
    });
  });
});
