// The OpenAPI UI under the security headers (helmet's CSP): it must still render in a real browser,
// with no CSP violation or script error.
import { AddressInfo } from 'node:net';
import { describeWithBrowser, launchBrowser, pwExpect, TestBrowser } from '../support/browser';
import { createTestApp, TestApp } from '../support/test-app';

describeWithBrowser('/api/docs in Chromium under the CSP', () => {
  let t: TestApp;
  let b: TestBrowser;
  beforeAll(async () => {
    t = await createTestApp('sqlite');
    const port = (t.app.getHttpServer().address() as AddressInfo).port;
    b = await launchBrowser({ baseURL: `http://127.0.0.1:${port}` });
  });
  afterAll(async () => {
    await b?.close();
    await t?.close();
  });

  it('renders the operations list with no script error or CSP violation', async () => {
    const res = await b.page.goto('/api/docs');
    expect(res?.headers()['content-security-policy']).toMatch(/script-src 'self'/);
    await pwExpect(b.page.getByText('/api/v1/organizers/oauth/callback').first()).toBeVisible({
      timeout: 30_000,
    });
    expect(b.errors).toEqual([]);
  });
});
