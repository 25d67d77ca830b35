import { readFileSync } from 'node:fs';
import { Page, Route } from 'playwright-core';
import { DataSource } from 'typeorm';
import { GOTO_WEBINAR_OPTIONS } from '../../src/goto-webinar/goto-webinar.options';
import { RunningSimulator, startSimulator } from '../../src/simulator/simulator';
import { SYNC_WORKER_OPTIONS } from '../../src/sync/sync-worker.service';
import { describeWithBrowser, launchBrowser, pwExpect, TestBrowser } from '../support/browser';
import { eventually } from '../support/eventually';
import { createTestApp, TestApp } from '../support/test-app';
import { waitForIdle } from '../support/wait-for-idle';

// The webinar page (charts, exports, reconciliation, history, Register a target group) and the
// Activity view in headless Chromium, against the real app (SQLite, worker on) and the simulator.
jest.setTimeout(120_000);

interface WebinarRow {
  id: number;
  subject: string;
  startsAt: string;
  status: string;
}

describeWithBrowser('webinar page and activity in Chromium (SQLite)', () => {
  let sim: RunningSimulator;
  let t: TestApp;
  let b: TestBrowser;
  let page: Page;
  let ds: DataSource;
  let account: { id: number; apiKey: string; auth: { Authorization: string } };
  let held: WebinarRow;
  let upcoming: WebinarRow;
  const csp: string[] = [];

  const api = (path: string) => t.http().get(`/api/v1${path}`).set(account.auth);
  const noticeText = () => page.locator('#page-notice');
  /** Requests matching `url` are held (not answered) until released. */
  const holdRequests = async (url: RegExp) => {
    const held: Route[] = [];
    await page.route(url, (route) => void held.push(route));
    return {
      held,
      /** Lets them through and waits until the page has read their answers. */
      release: async () => {
        const finished = held.map((r) =>
          page.waitForEvent('requestfinished', { predicate: (req) => req === r.request() }),
        );
        for (const r of held) await r.continue();
        await page.unroute(url);
        await Promise.all(finished);
        // One task later the page has run what follows each answer (it is read in microtasks).
        await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));
      },
    };
  };
  /** Chart.js's values on a canvas (null when none is drawn there). */
  const chartValues = (id: string) =>
    page.locator(`#${id}`).evaluate((c) => {
      type ChartLib = {
        getChart(c: HTMLCanvasElement): { data: { datasets: { data: number[] }[] } };
      };
      const lib = (window as unknown as { Chart?: ChartLib }).Chart;
      return lib?.getChart(c as HTMLCanvasElement)?.data.datasets[0].data ?? null;
    });
  const openWebinar = async (w: WebinarRow) => {
    await page.getByRole('link', { name: 'Setup & webinars' }).click();
    await page.locator(`#webinars-body tr[data-webinar-id="${w.id}"] a.subject-text`).click();
    await pwExpect(page.locator('#webinar-title')).toHaveText(w.subject);
    expect(new URL(page.url()).pathname).toBe(`/admin/webinars/${w.id}`);
  };

  beforeAll(async () => {
    sim = await startSimulator({ seed: 8, organizers: 1, webinars: 4, registrants: 30 });
    t = await createTestApp('sqlite', {
      config: {
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
    ds = t.app.get(DataSource);
    account = await t.createAccount('Charts Marketing');
    const put = t.http().put('/api/v1/webinar-integration/settings').set(account.auth);
    await put.send({ engagementMinutes: 10 }).expect(200);
    const [org] = sim.store.listOrganizers();
    await t
      .http()
      .post('/api/v1/organizers')
      .set(account.auth)
      .send({ email: org.email, password: org.password })
      .expect(201);
    await waitForIdle(t, account.id, 60_000);
    const all: WebinarRow[] = (await api('/webinars?pageSize=50').expect(200)).body.items;
    // Upcoming by the simulator's clock (the one that dated its webinars), with a day to spare.
    const soonest = sim.store.now().getTime() + 86_400_000;
    upcoming = all.find((w) => w.status === 'scheduled' && Date.parse(w.startsAt) > soonest)!;
    // The held webinar with the most attendees.
    const [top] = await ds.query(
      `SELECT wp.webinar_id AS id FROM webinar_participant wp JOIN webinar w ON w.id = wp.webinar_id
        WHERE w.account_id = ? AND wp.webinar_participant_status_id = 2
        GROUP BY wp.webinar_id ORDER BY COUNT(*) DESC`,
      [account.id],
    );
    held = all.find((w) => w.id === Number(top.id))!;
    expect(upcoming && held).toBeTruthy();

    const port = (t.app.getHttpServer().address() as { port: number }).port;
    b = await launchBrowser({ baseURL: `http://127.0.0.1:${port}` });
    page = b.page;
    // Every CSP violation the page reports, across navigations.
    await b.context.exposeBinding('reportCspViolation', (_source, v: string) => void csp.push(v));
    await b.context.addInitScript(() =>
      document.addEventListener('securitypolicyviolation', (e) =>
        (window as unknown as { reportCspViolation(v: string): void }).reportCspViolation(
          `${e.violatedDirective} ${e.blockedURI}`,
        ),
      ),
    );
    await page.goto('/admin');
    await page.getByLabel('Account API key').fill(account.apiKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await pwExpect(page.locator('#account-name')).toHaveText('Charts Marketing');
  });

  afterAll(async () => {
    await b?.close();
    await t?.close();
    await sim?.close();
  });

  it('opens a webinar from the list and draws its three charts from the stats API', async () => {
    await openWebinar(held);
    const stats = (await api(`/webinars/${held.id}/stats`).expect(200)).body;
    const expected: Record<string, number[]> = {
      'chart-registrations': stats.registrationsPerDay.map((d: { count: number }) => d.count),
      'chart-funnel': stats.funnel.map((f: { count: number }) => f.count),
      'chart-attendance': stats.attendanceMinutes.bars.map((x: { count: number }) => x.count),
    };
    expect(expected['chart-funnel']).toHaveLength(3); // engaged: engagementMinutes is set
    expect(expected['chart-registrations'].length).toBeGreaterThan(0);
    for (const [id, values] of Object.entries(expected)) {
      const canvas = page.locator(`#${id}`);
      await pwExpect(canvas).toBeVisible();
      const drawn = await canvas.evaluate((c) => {
        type ChartLib = {
          getChart(c: HTMLCanvasElement): { data: { datasets: { data: number[] }[] } };
        };
        const chart = (window as unknown as { Chart: ChartLib }).Chart.getChart(
          c as HTMLCanvasElement,
        );
        const box = c.getBoundingClientRect();
        return {
          values: chart?.data.datasets[0].data ?? null,
          width: (c as HTMLCanvasElement).width,
          height: (c as HTMLCanvasElement).height,
          shown: box.width > 0 && box.height > 0,
        };
      });
      expect(drawn.values).toEqual(values);
      expect(drawn.width).toBeGreaterThan(0);
      expect(drawn.height).toBeGreaterThan(0);
      expect(drawn.shown).toBe(true);
    }
    await pwExpect(page.locator('#chart-funnel-caption')).toHaveText(
      'Registered → Attended → Engaged (≥ 10 min)',
    );
    // A held webinar offers no registration.
    await pwExpect(page.locator('#register-card')).toBeHidden();
    await b.screenshot('13-webinar-page');
  });

  it('exports the participants and each standard group as CSV (links to the API, saved by name)', async () => {
    const groups = (await api(`/target-groups?webinarId=${held.id}`).expect(200)).body.items as {
      id: number;
    }[];
    expect(groups).toHaveLength(4);
    const hrefs = await page
      .locator('#webinar-exports a')
      .evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    expect(hrefs).toEqual([
      `/api/v1/webinars/${held.id}/participants/export`,
      ...groups.map((g) => `/api/v1/target-groups/${g.id}/members/export`),
    ]);
    const cases: Array<[string, string]> = [
      ['Participants CSV', `/webinars/${held.id}/participants/export`],
      ['Attended CSV', `/target-groups/${groups[1].id}/members/export`],
    ];
    for (const [name, path] of cases) {
      const res = await api(path).expect(200);
      const filename = /filename="([^"]+)"/.exec(res.headers['content-disposition'])![1];
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name, exact: true }).click(),
      ]);
      expect(download.suggestedFilename()).toBe(filename);
      expect(readFileSync(await download.path(), 'utf8')).toBe(res.text);
      await pwExpect(noticeText()).toHaveText(`Downloaded ${filename}.`);
    }
  });

  it('shows the sync history newest first, as the API lists it, with the source of each change', async () => {
    // A batch of webhook events recorded a change (as the webhook handler stores it).
    await ds.query(
      `INSERT INTO participant_sync_change
         (account_id, webinar_id, sync_job_id, synced_at, added, cancelled, attended, status_changed, samples, source)
       SELECT account_id, webinar_id, NULL, synced_at, 0, 1, 0, 0, '{}', 'webhook'
         FROM participant_sync_change WHERE webinar_id = ? ORDER BY id DESC LIMIT 1`,
      [held.id],
    );
    await page.reload();
    const history = (await api(`/webinars/${held.id}/history?pageSize=20`).expect(200)).body.items;
    expect(history.length).toBeGreaterThan(0);
    const rows = page.locator('#history-body tr');
    await pwExpect(rows).toHaveCount(history.length);
    await pwExpect(rows.first()).toHaveAttribute('data-history-id', String(history[0].id));
    await pwExpect(rows.first().locator('td.num').first()).toHaveText(
      String(history[0].added.count),
    );
    expect(history.map((h: { source: string }) => h.source)).toContain('sync');
    const sources = history.map((h: { source: string }) =>
      h.source === 'webhook' ? 'GoTo event' : 'Sync',
    );
    expect(sources[0]).toBe('GoTo event');
    expect(await rows.locator('td[data-source]').allTextContents()).toEqual(sources);
    await pwExpect(page.getByRole('columnheader', { name: 'Source' })).toBeVisible();
  });

  it('shows a drift badge on the page and its Repair queues a participant sync', async () => {
    await pwExpect(page.locator('#webinar-reconciliation')).toContainText('Matches GoTo');
    const [p] = await ds.query(
      `SELECT id FROM webinar_participant WHERE webinar_id = ? AND registration_status <> 'cancelled' ORDER BY id`,
      [held.id],
    );
    await ds.query(
      `UPDATE webinar_participant SET registration_status = 'cancelled' WHERE id = ?`,
      [p.id],
    );
    // A deep link loads the same page.
    await page.reload();
    await pwExpect(page.locator('#webinar-reconciliation')).toContainText('Differs from GoTo');
    await b.screenshot('14-webinar-drift');
    const jobs = async () =>
      Number(
        (await ds.query('SELECT COUNT(*) AS n FROM sync_job WHERE webinar_id = ?', [held.id]))[0].n,
      );
    const before = await jobs();
    await page.getByRole('button', { name: `Repair: ${held.subject}` }).click();
    await pwExpect(noticeText()).toHaveText(`Participants of "${held.subject}" synced.`, {
      timeout: 30_000,
    });
    expect(await jobs()).toBe(before + 1);
    await pwExpect(page.locator('#webinar-reconciliation')).toContainText('Matches GoTo');
  });

  it('registers a target group for an upcoming webinar and follows it to the end', async () => {
    await openWebinar(upcoming);
    await pwExpect(page.locator('#webinar-charts-note')).toContainText(
      'Attendance fills in once the webinar has been held.',
    );
    const card = page.locator('#register-card');
    await pwExpect(card).toBeVisible();
    const group = (await api(`/target-groups?webinarId=${held.id}`).expect(200)).body.items[0];
    expect(group.memberCount).toBeGreaterThan(0);
    await card.getByLabel('Target group', { exact: true }).selectOption(String(group.id));
    // Slow GoTo down so the progress shows while people are registered.
    sim.faults.inject({ type: 'latency', latencyMs: 100, count: 10 });
    await card.getByRole('button', { name: 'Register' }).click();
    await pwExpect(card.getByRole('progressbar', { name: 'Registration progress' })).toBeVisible();
    await pwExpect(card.locator('.register-status')).toContainText('Done:', { timeout: 60_000 });
    sim.faults.clear();
    const regs = (await api(`/webinars/${upcoming.id}/registrations?pageSize=1`).expect(200)).body;
    expect(regs.counts.pending).toBe(0);
    expect(regs.counts.registered + regs.counts.already_registered).toBeGreaterThan(0);
    for (const [outcome, n] of Object.entries(regs.counts))
      await pwExpect(card.locator(`[data-outcome="${outcome}"] strong`)).toHaveText(String(n));
    await pwExpect(noticeText()).toContainText('finished');
    await b.screenshot('15-register-group');
  });

  it('lists recent syncs across organizers in Activity, with a failure and its error', async () => {
    const [w] = await ds.query('SELECT webinar_key AS k FROM webinar WHERE id = ?', [held.id]);
    sim.faults.inject({ type: 'malformed-json', path: `webinars/${w.k}/registrants` });
    await t.http().post(`/api/v1/webinars/${held.id}/sync`).set(account.auth).expect(202);
    await waitForIdle(t, account.id, 60_000);
    sim.faults.clear();
    const failed = (await api('/activity?status=failed').expect(200)).body.items[0];
    await page.getByRole('link', { name: 'Activity' }).click();
    expect(new URL(page.url()).pathname).toBe('/admin/activity');
    await pwExpect(page.getByRole('heading', { name: 'Activity', exact: true })).toBeVisible();
    const row = page.locator(`#activity-body tr[data-job-id="${failed.jobId}"]`);
    await pwExpect(row).toContainText('Failed');
    await pwExpect(row.locator('.error-text')).toHaveText(failed.lastError);
    await pwExpect(row).toContainText(held.subject);
    const total = (await api('/activity?pageSize=25').expect(200)).body;
    await pwExpect(page.locator('#activity-body tr')).toHaveCount(total.items.length);
    await pwExpect(
      page.locator('#activity-body tr').filter({ hasText: 'added' }).first(),
    ).toBeVisible();
    await b.screenshot('16-activity');
    await page.getByLabel('Failures only').check();
    await pwExpect(page.locator('#activity-body tr')).toHaveCount(
      (await api('/activity?status=failed').expect(200)).body.items.length,
    );
    // Its webinar link opens the webinar page; Back returns to Activity.
    await row.getByRole('link', { name: held.subject }).click();
    await pwExpect(page.locator('#webinar-title')).toHaveText(held.subject);
    await page.goBack();
    await pwExpect(page.locator('#activity-view')).toBeVisible();
  });

  it('shows a failed load of Activity as the notice, from Refresh and from the navigation', async () => {
    await page.route(/\/api\/v1\/activity\?/, (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/json',
        body: JSON.stringify({ message: 'Activity is resting' }),
      }),
    );
    await page.getByRole('button', { name: 'Refresh' }).click();
    await pwExpect(noticeText()).toContainText('Activity is resting');
    await pwExpect(noticeText()).toHaveAttribute('class', 'notice notice-error');
    await page.getByRole('link', { name: 'Setup & webinars' }).click();
    await pwExpect(page.locator('#main-view')).toBeVisible();
    await page.evaluate(() => document.getElementById('page-notice')!.setAttribute('hidden', ''));
    await page.getByRole('link', { name: 'Activity' }).click();
    await pwExpect(noticeText()).toContainText('Activity is resting');
    await page.unroute(/\/api\/v1\/activity\?/);
  });

  it('keeps the Activity page asked for last when an earlier answer arrives late', async () => {
    const filter = page.getByLabel('Failures only');
    if (await filter.isChecked()) await filter.uncheck();
    const all = (await api('/activity?pageSize=25').expect(200)).body.items;
    const failedOnly = (await api('/activity?status=failed').expect(200)).body.items;
    expect(failedOnly.length).not.toBe(all.length);
    const rows = page.locator('#activity-body tr');
    await pwExpect(rows).toHaveCount(all.length);
    const slow = await holdRequests(/\/api\/v1\/activity\?.*status=failed/);
    await filter.check();
    await eventually(async () => expect(slow.held).toHaveLength(1));
    await filter.uncheck();
    await pwExpect(rows).toHaveCount(all.length);
    await slow.release();
    expect(await rows.count()).toBe(all.length);
    expect(await filter.isChecked()).toBe(false);
  });

  it('keeps the webinar list asked for last when a search answer arrives late', async () => {
    await page.getByRole('link', { name: 'Setup & webinars' }).click();
    const rows = page.locator('#webinars-body tr[data-webinar-id]');
    const all = (await api('/webinars?pageSize=50&order=desc').expect(200)).body.items.length;
    await pwExpect(rows).toHaveCount(all);
    // The search's list comes back; the detail it then asks for is held (only that first one).
    const detail = new RegExp(`/api/v1/webinars/${held.id}$`);
    const late: Route[] = [];
    await page.route(detail, (route) =>
      late.length === 0 ? void late.push(route) : void route.continue(),
    );
    const asked = page.waitForRequest(detail);
    await page.getByLabel('Search').fill(held.subject);
    await asked;
    // The search is cleared (typing waits 250 ms): the full list and its details are answered.
    const fresh = page.waitForResponse((res) => detail.test(res.url()));
    await page.getByLabel('Search').fill('');
    await fresh;
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));
    await pwExpect(rows).toHaveCount(all);
    // Now the search's held detail is answered: its list must not replace the full one.
    const finished = page.waitForEvent('requestfinished', {
      predicate: (req) => req === late[0].request(),
    });
    await late[0].continue();
    await page.unroute(detail);
    await finished;
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));
    await pwExpect(rows).toHaveCount(all);
  });

  it('keeps late answers for the webinar left behind off the page of the next webinar', async () => {
    const slow = await holdRequests(
      new RegExp(`/api/v1/webinars/${held.id}/(history|stats|reconciliation)`),
    );
    await openWebinar(held);
    await eventually(async () => expect(slow.held).toHaveLength(3));
    await openWebinar(upcoming);
    const stats = (await api(`/webinars/${upcoming.id}/stats`).expect(200)).body;
    const history = (await api(`/webinars/${upcoming.id}/history?pageSize=20`).expect(200)).body
      .items as { id: number }[];
    const ids = history.map((h) => String(h.id));
    const shownIds = () =>
      page
        .locator('#history-body tr')
        .evaluateAll((r) => r.map((x) => x.getAttribute('data-history-id')));
    await pwExpect(page.locator(`[data-reconciliation="${upcoming.id}"]`)).toBeVisible();
    await pwExpect(page.locator('#webinar-charts-note')).toContainText('Attendance fills in');
    await eventually(async () => expect(await shownIds()).toEqual(ids));
    const registrations = stats.registrationsPerDay.map((d: { count: number }) => d.count);
    await eventually(async () =>
      expect(await chartValues('chart-registrations')).toEqual(registrations),
    );
    await slow.release();
    await pwExpect(page.locator('#webinar-title')).toHaveText(upcoming.subject);
    expect(await page.locator(`[data-reconciliation="${held.id}"]`).count()).toBe(0);
    expect(await shownIds()).toEqual(ids);
    expect(await chartValues('chart-registrations')).toEqual(registrations);
    await pwExpect(page.locator('#webinar-charts-note')).toContainText('Attendance fills in');
    await pwExpect(page.locator('#register-card')).toBeVisible();
  });

  it('says so when the target groups or Chart.js could not be loaded', async () => {
    const groups = /\/api\/v1\/target-groups\?webinarId=/;
    const chartJs = /\/admin\/vendor\/chart\.umd\.min\.js/;
    await page.route(groups, (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/json',
        body: JSON.stringify({ message: 'Groups are resting' }),
      }),
    );
    await page.route(chartJs, (route) => route.abort());
    await page.goto(`/admin/webinars/${held.id}`);
    await pwExpect(page.locator('#webinar-title')).toHaveText(held.subject);
    await pwExpect(noticeText()).toContainText('Groups are resting');
    await pwExpect(page.locator('#webinar-exports a')).toHaveCount(1);
    await pwExpect(page.locator('#webinar-exports a')).toHaveText('Participants CSV');
    await pwExpect(page.locator('#webinar-charts-missing')).toContainText(
      'The charts could not be drawn: the chart library did not load.',
    );
    for (const id of ['chart-registrations', 'chart-funnel', 'chart-attendance'])
      await pwExpect(page.locator(`#${id}`)).toBeHidden();
    await page.unroute(groups);
    await page.unroute(chartJs);
    await page.reload();
    await pwExpect(page.locator('#webinar-exports a')).toHaveCount(5);
    await pwExpect(page.locator('#chart-registrations')).toBeVisible();
    await pwExpect(page.locator('#webinar-charts-missing')).toBeHidden();
    expect(await chartValues('chart-registrations')).not.toBeNull();
  });

  it('had no CSP violation and no script error', async () => {
    expect(csp).toEqual([]);
    expect(b.errors.filter((e) => !e.includes('Failed to load resource'))).toEqual([]);
    // The listener does hear a violation: an inline script is refused and reported.
    const heard = await page.evaluate(
      () =>
        new Promise<string>((resolve) => {
          document.addEventListener(
            'securitypolicyviolation',
            (e) => resolve(e.violatedDirective),
            { once: true },
          );
          const s = document.createElement('script');
          s.textContent = 'void 0';
          document.head.append(s);
        }),
    );
    expect(heard).toMatch(/^script-src/);
    // ... and the listener of every page (added first) passed it on.
    await eventually(async () => expect(csp).toEqual([expect.stringMatching(/^script-src/)]));
  });
});
