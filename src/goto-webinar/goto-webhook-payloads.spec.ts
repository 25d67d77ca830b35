import { parseWebhookDelivery, PayloadError } from './goto-webhook-payloads';

// GoTo's samples (goto-webinar-api.md §6.2) with keys above 2^53 written as bare JSON numbers.
const added = `{ "eventName": "registrant.added", "eventVersion": "1.0.0", "product": "g2w",
  "eventKey": "7fc43482-b239-45e2-a8f8-3ca2f1fbada8",
  "firstName": "Ada", "lastName": "Lovelace", "email": "Ada@Example.com",
  "responses": [], "registrationDate": "2020-05-10T14:32:34.837Z", "status": "APPROVED",
  "webinarKey": 4511665432126123456, "webinarTitle": "subject", "experienceType": "BROADCAST",
  "recurrenceType": "single_session", "webinarCreatorKey": 7313424324482123456,
  "registrantKey": 2457606543231312345,
  "joinUrl": "https://global.gotowebinar.com/join/4511123456226725432/123456789",
  "timestamp": "2020-05-10T14:32:34.837Z" }`;
const joined = `{"eventName":"registrant.joined","eventVersion":"1.0.0","product":"g2w",
  "eventKey":"a1","firstName":"Ada","lastName":"Lovelace","email":"ada@example.com",
  "webinarKey":4511665432126123456,"sessionKey":15887209,"registrantKey":2457606543231312345,
  "webinarCreatorKey":7313424324482123456,"joinTime":1554356793898,"timestamp":"2020-05-10T15:00:00Z"}`;
const changed = `{ "eventName": "webinar.changed", "eventVersion": "1.0.0", "product": "g2w",
  "eventKey": "37e8b1e2-af83-48d0-9060-5722d8c846f0", "webinarKey": 374018008058773912,
  "webinarTitle": "Test upd", "experienceType": "classic", "recurrenceType": "single_session",
  "times": [ { "startTime": "2023-12-28T22:08:00Z", "endTime": "2023-12-28T23:00:00Z" } ],
  "status": "DELETED", "timeZone": "America/Bogota", "organizerKey": 6400055311316741234,
  "accountKey": 4663974829570059123, "timestamp": "2023-12-28T22:10:30.639Z" }`;

describe('parseWebhookDelivery', () => {
  it('keeps 64-bit keys exact (registrant.added)', () => {
    const { events, ignored } = parseWebhookDelivery(added);
    expect(ignored).toBe(0);
    expect(events[0].event).toEqual({
      eventName: 'registrant.added',
      eventKey: '7fc43482-b239-45e2-a8f8-3ca2f1fbada8',
      timestamp: new Date('2020-05-10T14:32:34.837Z'),
      webinarKey: '4511665432126123456',
      registrantKey: '2457606543231312345',
      organizerKey: '7313424324482123456',
      email: 'Ada@Example.com',
      firstName: 'Ada',
      lastName: 'Lovelace',
      status: 'APPROVED',
      registrationDate: new Date('2020-05-10T14:32:34.837Z'),
      joinUrl: 'https://global.gotowebinar.com/join/4511123456226725432/123456789',
    });
    expect(events[0].text).toBe(added);
  });

  it('reads registrant.joined with an epoch-millisecond joinTime', () => {
    const e = parseWebhookDelivery(joined).events[0].event;
    expect(e).toMatchObject({
      eventName: 'registrant.joined',
      registrantKey: '2457606543231312345',
      sessionKey: '15887209',
      joinTime: new Date(1554356793898),
    });
  });

  it('reads webinar.changed (DELETED) with its times and keys', () => {
    const e = parseWebhookDelivery(changed).events[0].event;
    expect(e).toMatchObject({
      eventName: 'webinar.changed',
      webinarKey: '374018008058773912',
      organizerKey: '6400055311316741234',
      accountKey: '4663974829570059123',
      subject: 'Test upd',
      experienceType: 'CLASSIC',
      status: 'DELETED',
      times: [
        { startTime: new Date('2023-12-28T22:08:00Z'), endTime: new Date('2023-12-28T23:00:00Z') },
      ],
    });
  });

  it('ignores unknown events and accepts a list', () => {
    const unknown = '{"eventName":"survey.submitted","eventKey":"x","webinarKey":1}';
    expect(parseWebhookDelivery(unknown)).toEqual({ events: [], ignored: 1 });
    const list = parseWebhookDelivery(`[${added},${unknown}]`);
    expect(list.ignored).toBe(1);
    expect(list.events[0].event.webinarKey).toBe('4511665432126123456');
  });

  it('refuses malformed JSON and events without keys, naming the field', () => {
    expect(() => parseWebhookDelivery('{"eventName":')).toThrow(PayloadError);
    expect(() =>
      parseWebhookDelivery('{"eventName":"registrant.added","eventKey":"k","webinarKey":1}'),
    ).toThrow(/registrantKey/);
    expect(() =>
      parseWebhookDelivery('{"eventName":"registrant.added","webinarKey":1,"registrantKey":2}'),
    ).toThrow(/eventKey/);
  });
});
