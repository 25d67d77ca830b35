import { createTestApp, TestApp } from '../support/test-app';

// The admin page is served at /admin without an API key, with strict security headers.
describe('admin page serving', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite');
  });
  afterAll(async () => t?.close());

  it('serves the page at /admin with no API key and a strict CSP', async () => {
    const res = await t.http().get('/admin').expect(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain('Webinar Integrations');
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.text).not.toMatch(/<script>(?!<\/script>)/); // no inline scripts
  });

  it('serves its assets with their content types', async () => {
    const js = await t.http().get('/admin/app.js').expect(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
    const css = await t.http().get('/admin/app.css').expect(200);
    expect(css.headers['content-type']).toMatch(/text\/css/);
    await t.http().get('/admin/favicon.svg').expect(200).expect('Content-Type', /svg/);
    const module = await t.http().get('/admin/js/api.js').expect(200);
    expect(module.headers['content-type']).toMatch(/javascript/);
    expect(module.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('serves the chart library from its npm package, under the same CSP', async () => {
    const res = await t.http().get('/admin/vendor/chart.umd.min.js').expect(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.text).toMatch(/Chart\.js v4\./);
    const page = await t.http().get('/admin/webinars/1').expect(200);
    expect(page.text).toContain('src="/admin/vendor/chart.umd.min.js"');
  });

  it('gives the page the constants the server owns, with no API key', async () => {
    const res = await t.http().get('/api/v1/admin-ui/config').expect(200);
    expect(res.body).toEqual({
      defaultTimeZone: 'America/New_York',
      targetGroupKindLabels: {
        registered: 'Registered',
        attended: 'Attended',
        not_attended: 'Not Attended',
        engaged: 'Engaged',
      },
      organizerReactivation: {
        userDeactivatedReason: 'Deactivated by a user',
        byUser: expect.stringMatching(/keep it deactivated/),
        byTestConnection: expect.stringMatching(/reactivate it and queue a sync/),
      },
    });
  });

  it('answers deep links with the page, unknown files with 404, and never reads outside its folder', async () => {
    await t
      .http()
      .get('/admin/')
      .expect(200)
      .expect('Content-Type', /text\/html/);
    await t
      .http()
      .get('/admin/organizers')
      .expect(200)
      .expect('Content-Type', /text\/html/);
    await t.http().get('/admin/nope.js').expect(404);
    await t.http().get('/admin/..%2Fpackage.json').expect(404);
    await t
      .http()
      .get('/admin/../../package.json')
      .expect((r) => expect(r.text).not.toContain('"dependencies"'));
  });

  it('the API under /api/v1 still needs the key', async () => {
    await t.http().get('/api/v1/account').expect(401);
  });
});
