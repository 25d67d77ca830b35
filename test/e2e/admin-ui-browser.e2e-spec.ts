import { Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { GOTO_WEBINAR_OPTIONS } from '../../src/goto-webinar/goto-webinar.options';
import { OrganizerInfo, RunningSimulator, startSimulator } from '../../src/simulator/simulator';
import { SYNC_WORKER_OPTIONS } from '../../src/sync/sync-worker.service';
import { describeWithBrowser, launchBrowser, pwExpect, TestBrowser } from '../support/browser';
import { createTestApp, TestApp } from '../support/test-app';

// The Webinar Integrations page in headless Chromium against the real app (SQLite, worker on) and
// the GoTo simulator, both in-process. One story, in order: each step starts where the last ended.
jest.setTimeout(120_000);

describeWithBrowser('admin page in Chromium (SQLite)', () => {
  let sim: RunningSimulator;
  let t: TestApp;
  let b: TestBrowser;
  let page: Page;
  let account: { id: number; apiKey: string; auth: { Authorization: string } };
  let first: OrganizerInfo;
  let second: OrganizerInfo;
  let third: OrganizerInfo;
  let base: string;
  // GoTo's OAuth redirect comes back to PUBLIC_URL; the browser maps that host onto the test app.
  const PUBLIC_URL = 'http://webinar-sync.test';

  const api = (path: string) => t.http().get(`/api/v1${path}`).set(account.auth);
  const organizerRow = (email: string) => page.locator('#organizers-body tr', { hasText: email });
  const noticeText = () => page.locator('#page-notice');

  beforeAll(async () => {
    sim = await startSimulator({ seed: 8, organizers: 3, webinars: 4, registrants: 6 });
    [first, second, third] = sim.store.listOrganizers();
    t = await createTestApp('sqlite', {
      config: {
        publicUrl: PUBLIC_URL,
        goto: { apiUrl: sim.url, authUrl: sim.url },
        sync: { workerEnabled: true, workerConcurrency: 2 },
      },
      override: (builder) =>
        builder
          .overrideProvider(SYNC_WORKER_OPTIONS)
          .useValue({ pollIntervalMs: 100 })
          .overrideProvider(GOTO_WEBINAR_OPTIONS)
          .useValue({ baseDelayMs: 5, maxDelayMs: 20 }),
    });
    account = await t.createAccount('Browser Marketing');
    const port = (t.app.getHttpServer().address() as { port: number }).port;
    base = `http://127.0.0.1:${port}`;
    b = await launchBrowser({ baseURL: base });
    page = b.page;
    await b.context.route(`${PUBLIC_URL}/**`, async (route) => {
      const url = new URL(route.request().url());
      const res = await route.fetch({
        url: `${base}${url.pathname}${url.search}`,
        maxRedirects: 0,
      });
      const headers = res.headers();
      if (headers.location?.startsWith('/')) headers.location = `${base}${headers.location}`;
      await route.fulfill({ response: res, headers });
    });
  });

  afterAll(async () => {
    await b?.close();
    await t?.close();
    await sim?.close();
  });

  it('refuses a wrong API key next to the field, then signs in with the right one', async () => {
    await page.goto('/admin');
    await pwExpect(
      page.getByRole('heading', { name: 'Sign in to Webinar Integrations' }),
    ).toBeVisible();
    await b.screenshot('01-sign-in');
    await page.getByLabel('Account API key').fill('wsk_not-a-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await pwExpect(page.locator('#api-key-error')).toHaveText('That API key is not valid.');
    await pwExpect(page.getByLabel('Account API key')).toHaveAttribute('aria-invalid', 'true');

    await page.getByLabel('Account API key').fill(account.apiKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await pwExpect(
      page.getByRole('heading', { name: 'Webinar Integrations', exact: true }),
    ).toBeVisible();
    await pwExpect(page.locator('#account-name')).toHaveText('Browser Marketing');
    // Kept for this tab only.
    expect(await page.evaluate(() => sessionStorage.getItem('webinar-sync.apiKey'))).toBe(
      account.apiKey,
    );
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
    await pwExpect(page.getByRole('switch', { name: 'Active' }).first()).toBeChecked();
    await pwExpect(page.getByLabel('Displayed Time Zone')).toHaveValue('America/New_York');
    await pwExpect(page.locator('#organizers-empty')).toBeVisible();
  });

  it('offers the US zones first, then every IANA zone', async () => {
    const groups = await page.locator('#settings-time-zone optgroup').evaluateAll((els) =>
      els.map((g) => ({
        label: g.getAttribute('label'),
        values: Array.from(g.querySelectorAll('option')).map((o) => o.value),
      })),
    );
    expect(groups[0].label).toBe('United States');
    expect(groups[0].values[0]).toBe('America/New_York');
    expect(groups[0].values).toEqual(
      expect.arrayContaining(['America/Chicago', 'America/Denver', 'America/Los_Angeles']),
    );
    expect(groups[1].values.length).toBeGreaterThan(300);
    expect(groups[1].values).toEqual(
      expect.arrayContaining(['Europe/Berlin', 'Asia/Tokyo', 'UTC']),
    );
  });

  it('creates a folder, changes folder and time zone, and they persist after a reload', async () => {
    await page.getByRole('button', { name: 'New folder' }).click();
    await page.getByLabel('New folder name').fill('Browser webinars');
    await page.getByRole('button', { name: 'Create folder' }).click();
    await pwExpect(page.getByLabel('Target Group Folder')).toHaveValue(/\d+/);
    await pwExpect(page.getByLabel('Target Group Folder').locator('option:checked')).toHaveText(
      'Browser webinars',
    );
    await page.getByLabel('Displayed Time Zone').selectOption('America/Chicago');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await pwExpect(page.locator('#settings-status')).toHaveText('Settings saved.');

    await page.reload();
    await pwExpect(page.getByLabel('Displayed Time Zone')).toHaveValue('America/Chicago');
    await pwExpect(page.getByLabel('Target Group Folder').locator('option:checked')).toHaveText(
      'Browser webinars',
    );
    const settings = (await api('/webinar-integration/settings').expect(200)).body;
    expect(settings.displayedTimeZone).toBe('America/Chicago');
    await b.screenshot('02-settings-saved');
  });

  it('shows API errors next to the field they name in Add Organizer', async () => {
    await page.getByRole('button', { name: 'Add Organizer' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add Organizer' });
    await pwExpect(dialog).toBeVisible();
    await dialog.getByLabel('Organizer email').fill('not-an-email');
    await dialog.getByLabel('Password', { exact: true }).fill('whatever');
    await dialog.getByRole('button', { name: 'Add organizer' }).click();
    await pwExpect(dialog.locator('[data-error-for="email"]')).toContainText('email');
    await pwExpect(dialog.getByLabel('Organizer email')).toHaveAttribute('aria-invalid', 'true');
    await b.screenshot('03-add-organizer-error', { fullPage: false });

    // Credentials GoTo refuses: the error is shown in the dialog, nothing is added.
    await dialog.getByLabel('Organizer email').fill(first.email);
    await dialog.getByLabel('Password', { exact: true }).fill('wrong-password');
    await dialog.getByRole('button', { name: 'Add organizer' }).click();
    await pwExpect(dialog.locator('[data-error-for="password"]')).toContainText(
      /reject|password|credential/i,
    );
    await pwExpect(dialog.getByLabel('Password', { exact: true })).toHaveAttribute(
      'aria-invalid',
      'true',
    );
    await pwExpect(dialog).toBeVisible();
    expect((await api('/organizers').expect(200)).body.total).toBe(0);
  });

  it('adds an organizer by email and password and shows its sync until it finishes', async () => {
    // Slow GoTo down a little so the live progress is visible.
    sim.faults.inject({ type: 'latency', latencyMs: 150, count: 40 });
    const dialog = page.getByRole('dialog', { name: 'Add Organizer' });
    await dialog.getByLabel('Organizer email').fill(first.email);
    await dialog.getByLabel('Password', { exact: true }).fill(first.password);
    await dialog.getByRole('button', { name: 'Add organizer' }).click();
    await pwExpect(dialog).toBeHidden();
    const row = organizerRow(first.email);
    await pwExpect(row).toBeVisible();
    await pwExpect(row.getByRole('progressbar')).toBeVisible();
    await b.screenshot('04-organizer-syncing');
    await pwExpect(noticeText()).toHaveText(`Sync of ${first.email} finished.`, {
      timeout: 60_000,
    });
    sim.faults.clear();
    await pwExpect(row.getByRole('progressbar')).toHaveCount(0);
    await pwExpect(row.locator('.sync-cell')).not.toHaveText('Never');
    await pwExpect(row.getByText('Email & password')).toBeVisible();
    await pwExpect(row.getByRole('switch', { name: `Active: ${first.email}` })).toBeChecked();

    // Its webinars with counts, in the displayed zone (Central).
    const webinars = sim.store.listWebinars(first.organizerKey);
    const rows = page.locator('#webinars-body tr[data-webinar-id]');
    await pwExpect(rows).toHaveCount(webinars.length);
    await pwExpect(rows.first()).toContainText(/C[SD]T/);
    const stored = (await api('/webinars?pageSize=50').expect(200)).body.items as Array<{
      id: number;
      subject: string;
    }>;
    const detail = (await api(`/webinars/${stored[0].id}`).expect(200)).body;
    const firstRow = page.locator(`#webinars-body tr[data-webinar-id="${stored[0].id}"]`);
    await pwExpect(firstRow.locator('td.num').nth(0)).toHaveText(String(detail.counts.registered));
    await pwExpect(firstRow.locator('td.num').nth(1)).toHaveText(String(detail.counts.attended));
    await pwExpect(firstRow.locator('td.num').nth(2)).toHaveText(String(detail.counts.notAttended));
    await pwExpect(firstRow).toContainText(first.email);
    await b.screenshot('05-organizer-synced');
  });

  it("shows each webinar's target groups and syncs its participants on demand", async () => {
    const w = (await api('/webinars?pageSize=1').expect(200)).body.items[0];
    await page
      .getByRole('button', { name: `Target groups: ${w.subject}` })
      .first()
      .click();
    const groups = page.locator(`#groups-${w.id} li`);
    await pwExpect(groups).toHaveCount(3);
    await pwExpect(page.locator(`#groups-${w.id}`)).toContainText('Not Attended');
    await pwExpect(page.locator(`#groups-${w.id}`)).toContainText('Browser webinars');
    await b.screenshot('06-target-groups');
    await page
      .getByRole('button', { name: `Sync participants: ${w.subject}` })
      .first()
      .click();
    await pwExpect(noticeText()).toHaveText(`Participants of "${w.subject}" synced.`, {
      timeout: 30_000,
    });
    // Still open after the list reloaded.
    await pwExpect(page.locator(`#groups-${w.id} li`)).toHaveCount(3);
  });

  it('shows "upcoming" instead of attendance for webinars not held yet', async () => {
    const all = (await api('/webinars?pageSize=50').expect(200)).body.items as Array<{
      id: number;
      startsAt: string;
      status: string;
    }>;
    const upcoming = all.find(
      (w) => w.status === 'scheduled' && Date.parse(w.startsAt) > Date.now(),
    );
    const held = all.find((w) => Date.parse(w.startsAt) < Date.now());
    expect(upcoming && held).toBeTruthy();
    const cells = (id: number) => page.locator(`#webinars-body tr[data-webinar-id="${id}"] td.num`);
    await pwExpect(cells(upcoming!.id).nth(1)).toHaveText('upcoming');
    await pwExpect(cells(upcoming!.id).nth(2)).toHaveText('upcoming');
    await pwExpect(cells(upcoming!.id).nth(0)).toHaveText(/^\d+$/);
    await pwExpect(cells(held!.id).nth(1)).toHaveText(/^\d+$/);
  });

  it('lists upcoming and newest webinars first and searches them by subject', async () => {
    const desc = (await api('/webinars?pageSize=50&order=desc').expect(200)).body.items as Array<{
      id: number;
      subject: string;
    }>;
    const rows = page.locator('#webinars-body tr[data-webinar-id]');
    await pwExpect(rows.first()).toHaveAttribute('data-webinar-id', String(desc[0].id));
    const target = desc[desc.length - 1];
    await page.getByLabel('Search').fill(target.subject.toUpperCase());
    await pwExpect(rows).toHaveCount(desc.filter((w) => w.subject === target.subject).length);
    await pwExpect(rows.first()).toContainText(target.subject);
    await b.screenshot('12-webinar-search');
    await page.getByLabel('Search').fill('');
    await pwExpect(rows).toHaveCount(desc.length);
  });

  it('shows whether a webinar matches GoTo and repairs one that does not', async () => {
    const w = (await api('/webinars?pageSize=1').expect(200)).body.items[0];
    const line = page.locator(`[data-reconciliation="${w.id}"]`);
    await pwExpect(line).toContainText('Matches GoTo');
    // Stored data changed behind the sync's back: a registration lost.
    const ds = t.app.get(DataSource);
    const [p] = await ds.query(
      `SELECT id FROM webinar_participant WHERE webinar_id = ? AND registration_status <> 'cancelled' ORDER BY id`,
      [w.id],
    );
    await ds.query(
      `UPDATE webinar_participant SET registration_status = 'cancelled' WHERE id = ?`,
      [p.id],
    );
    await page.getByRole('button', { name: 'Refresh' }).first().click();
    await pwExpect(line).toContainText('Differs from GoTo');
    await b.screenshot('11-reconciliation-drift');
    await page.getByRole('button', { name: `Repair: ${w.subject}` }).click();
    await pwExpect(noticeText()).toHaveText(`Participants of "${w.subject}" synced.`, {
      timeout: 30_000,
    });
    await pwExpect(line).toContainText('Matches GoTo');
  });

  it('adds a second organizer by personal access token', async () => {
    await page.getByRole('button', { name: 'Add Organizer' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add Organizer' });
    await dialog.getByRole('radio', { name: 'Personal access token' }).check();
    await pwExpect(dialog.getByLabel('Password', { exact: true })).toBeHidden();
    await dialog.getByLabel('Organizer email').fill(second.email);
    await dialog.locator('#add-token').fill(second.personalAccessToken);
    await dialog.getByRole('button', { name: 'Add organizer' }).click();
    await pwExpect(dialog).toBeHidden();
    await pwExpect(noticeText()).toHaveText(`Sync of ${second.email} finished.`, {
      timeout: 60_000,
    });
    await pwExpect(organizerRow(second.email).getByText('Access token')).toBeVisible();
  });

  it('connects a third organizer with GoTo (OAuth) and comes back to the page', async () => {
    sim.store.setAuthorizeAs(third.organizerKey);
    await page.getByRole('button', { name: 'Add Organizer' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add Organizer' });
    await dialog.getByRole('radio', { name: 'Connect with GoTo' }).check();
    await pwExpect(dialog.getByLabel('Organizer email')).toBeHidden();
    await dialog.getByRole('button', { name: 'Connect with GoTo' }).click();
    // GoTo (the simulator) consents at once and redirects back through the callback to /admin,
    // where the GoTo user is shown and linked only when confirmed.
    const confirm = page.getByRole('dialog', { name: 'Link this GoTo user?' });
    await pwExpect(confirm).toBeVisible({ timeout: 30_000 });
    await pwExpect(confirm).toContainText(third.email);
    expect((await t.http().get('/api/v1/organizers').set(account.auth)).body.items).not.toEqual(
      expect.arrayContaining([expect.objectContaining({ email: third.email })]),
    );
    await confirm.getByRole('button', { name: 'Link organizer' }).click();
    await pwExpect(noticeText()).toContainText('was connected with GoTo', { timeout: 30_000 });
    expect(page.url()).toBe(`${base}/admin`);
    await pwExpect(organizerRow(third.email).getByText('GoTo (OAuth)')).toBeVisible();
    await pwExpect(noticeText()).toHaveText(`Sync of ${third.email} finished.`, {
      timeout: 60_000,
    });
  });

  it('Test Connection deactivates an organizer whose GoTo account was removed', async () => {
    sim.store.removeOrganizer(second.organizerKey);
    await page.getByRole('button', { name: 'Test Connection' }).click();
    const results = page.getByRole('region', { name: 'Test Connection results' });
    await pwExpect(results).toContainText('2 of 3 organizers OK', { timeout: 30_000 });
    await pwExpect(results.locator('li', { hasText: second.email })).toContainText('Deactivated');
    await pwExpect(results.locator('li', { hasText: first.email })).toContainText('OK');
    const row = organizerRow(second.email);
    await pwExpect(row.getByRole('switch', { name: `Active: ${second.email}` })).not.toBeChecked();
    await pwExpect(row).toContainText('Deactivated');
    await pwExpect(row.locator('.reason')).toBeVisible();
    await pwExpect(row.locator('.reason-hint')).toContainText('reactivate it and queue a sync');
    await pwExpect(row.getByRole('button', { name: `Sync now: ${second.email}` })).toBeDisabled();
    const o = (await api('/organizers').expect(200)).body.items.find(
      (x: { email: string }) => x.email === second.email,
    );
    expect(o.active).toBe(false);
    expect(o.deactivatedReason).toBeTruthy();
    await b.screenshot('07-test-connection');
  });

  it('changes credentials in the Actions pop-up (a wrong password is refused in place)', async () => {
    const newPassword = 'n3w-Passw0rd!';
    sim.store.updateOrganizer(first.organizerKey, { password: newPassword });
    await page.getByRole('button', { name: `Actions: ${first.email}` }).click();
    const dialog = page.getByRole('dialog', { name: `Organizer: ${first.email}` });
    await pwExpect(dialog).toBeVisible();
    await pwExpect(dialog.getByLabel('Organizer email')).toHaveValue(first.email);
    // Write-only: the stored password is never shown.
    await pwExpect(dialog.getByLabel('New password')).toHaveValue('');
    await dialog.getByLabel('New password').fill('not-the-password');
    await b.screenshot('08-actions-dialog', { fullPage: false });
    await dialog.getByRole('button', { name: 'Save credentials' }).click();
    await pwExpect(dialog.locator('[data-error-for="password"]')).toContainText(
      /reject|password|credential/i,
    );
    await pwExpect(dialog).toBeVisible();

    await dialog.getByLabel('New password').fill(newPassword);
    await dialog.getByRole('button', { name: 'Save credentials' }).click();
    await pwExpect(dialog).toBeHidden();
    await pwExpect(noticeText()).toContainText(first.email);
    await pwExpect(noticeText()).toHaveText(`Sync of ${first.email} finished.`, {
      timeout: 60_000,
    });
    await pwExpect(
      organizerRow(first.email).getByRole('switch', { name: `Active: ${first.email}` }),
    ).toBeChecked();
  });

  it('deactivates and reactivates an organizer with its Active switch', async () => {
    const toggle = organizerRow(first.email).getByRole('switch', {
      name: `Active: ${first.email}`,
    });
    await toggle.click();
    await pwExpect(noticeText()).toContainText('was deactivated');
    await pwExpect(toggle).not.toBeChecked();
    await pwExpect(
      organizerRow(first.email).getByRole('button', { name: `Sync now: ${first.email}` }),
    ).toBeDisabled();
    let o = (await api('/organizers').expect(200)).body.items.find(
      (x: { email: string }) => x.email === first.email,
    );
    expect(o.active).toBe(false);
    await b.screenshot('09-deactivated');

    await toggle.click();
    await pwExpect(toggle).toBeChecked();
    await pwExpect(
      organizerRow(first.email).getByRole('button', { name: `Sync now: ${first.email}` }),
    ).toBeVisible();
    o = (await api('/organizers').expect(200)).body.items.find(
      (x: { email: string }) => x.email === first.email,
    );
    expect(o.active).toBe(true);
  });

  it('runs Sync now and follows the job to the end', async () => {
    const syncNow = organizerRow(first.email).getByRole('button', {
      name: `Sync now: ${first.email}`,
    });
    // The reactivation queued a sync that the row follows; Sync now is offered again once it ends.
    await pwExpect(syncNow).toBeEnabled({ timeout: 60_000 });
    const o = (await api('/organizers').expect(200)).body.items.find(
      (x: { email: string }) => x.email === first.email,
    );
    const before = (await api(`/sync-jobs?organizerId=${o.id}&pageSize=1`).expect(200)).body.total;
    await page.evaluate(() => {
      const n = document.querySelector('#page-notice') as HTMLElement;
      n.hidden = true;
      n.textContent = '';
    });
    await syncNow.click();
    await pwExpect(noticeText()).toHaveText(`Sync of ${first.email} finished.`, {
      timeout: 60_000,
    });
    const after = (await api(`/sync-jobs?organizerId=${o.id}&pageSize=1`).expect(200)).body.total;
    expect(after).toBeGreaterThan(before);
    await b.screenshot('10-main');
  });

  it('never renders a secret and has no script errors (CSP included)', async () => {
    const html = await page.content();
    for (const secret of [
      account.apiKey,
      first.password,
      second.password,
      second.personalAccessToken,
      'n3w-Passw0rd!',
    ]) {
      expect(html).not.toContain(secret);
    }
    const values = await page
      .locator('input:not([type=radio]):not([type=checkbox])')
      .evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
    expect(values.filter((v) => v.length > 0)).toEqual([]);
    // Failed API calls log "Failed to load resource" on purpose (401, 400, 422); anything else is a bug.
    expect(b.errors.filter((e) => !e.includes('Failed to load resource'))).toEqual([]);
  });

  it('reports a failed return from GoTo', async () => {
    await page.goto('/admin?oauth=failed&error=OAUTH_STATE_INVALID');
    await pwExpect(noticeText()).toContainText('Connecting with GoTo failed (OAUTH_STATE_INVALID)');
    expect(page.url()).toBe(`${base}/admin`);
  });

  it('turns the integration off and on again', async () => {
    const active = page.getByRole('switch', { name: 'Active', exact: true });
    await active.uncheck();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await pwExpect(page.locator('#settings-status')).toHaveText('Settings saved.');
    await page.reload();
    await pwExpect(active).not.toBeChecked();
    await pwExpect(page.locator('#integration-off')).toBeVisible();
    expect((await api('/webinar-integration/settings').expect(200)).body.active).toBe(false);
    await active.check();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await pwExpect(page.locator('#settings-status')).toHaveText('Settings saved.');
    expect((await api('/webinar-integration/settings').expect(200)).body.active).toBe(true);
    await pwExpect(page.locator('#integration-off')).toBeHidden();
  });

  it('signs out and forgets the key', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await pwExpect(page.getByLabel('Account API key')).toBeVisible();
    expect(await page.evaluate(() => sessionStorage.getItem('webinar-sync.apiKey'))).toBeNull();
    await page.reload();
    await pwExpect(page.getByLabel('Account API key')).toBeVisible();
  });
});
