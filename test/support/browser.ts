import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BrowserContext, chromium, Locator, Page } from 'playwright-core';

// Debian's chromium (apt), driven by playwright-core: `npx playwright install` cannot download here.
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * describe() when Chromium is installed; otherwise one visible skipped test saying how to install it
 * (a fresh machine runs `npm test` without it). REQUIRE_BROWSER=1 (CI) makes a missing Chromium fail.
 */
export const describeWithBrowser = (name: string, fn: () => void): void => {
  if (existsSync(CHROMIUM_PATH) || process.env.REQUIRE_BROWSER === '1') return describe(name, fn);
  describe(name, () => {
    it.skip(`Chromium not found at ${CHROMIUM_PATH}: apt-get install -y --no-install-recommends chromium`, () =>
      undefined);
  });
};
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export const ARTIFACTS_DIR = resolve(__dirname, '..', '..', 'test-artifacts', 'admin-ui');

export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  /** Console errors and failed page scripts seen so far (CSP violations land here too). */
  errors: string[];
  /** A PNG under test-artifacts/admin-ui/ (full page unless fullPage is false, e.g. for a modal). */
  screenshot(name: string, options?: { fullPage?: boolean }): Promise<string>;
  close(): Promise<void>;
}

// A fresh headless Chromium with its own profile directory (playwright passes it as
// --user-data-dir), one context, one page.
export async function launchBrowser(options: {
  baseURL: string;
  viewport?: { width: number; height: number };
}): Promise<TestBrowser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: apt-get install -y --no-install-recommends chromium (or set CHROMIUM_PATH)`,
    );
  }
  const profile = mkdtempSync(join(tmpdir(), 'ws-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    baseURL: options.baseURL,
    viewport: options.viewport ?? { width: 1360, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return {
    context,
    page,
    errors,
    screenshot: async (name, shot) => {
      const file = join(ARTIFACTS_DIR, `${name}.png`);
      await page.screenshot({ path: file, fullPage: shot?.fullPage ?? true });
      return file;
    },
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

// A small web-first assertion helper in the spirit of @playwright/test's `expect(locator)` (which
// playwright-core does not ship): each check is retried until it holds or the timeout passes.
type TextMatch = string | RegExp;
interface Options {
  timeout?: number;
}
const DEFAULT_TIMEOUT = 10_000;

const matches = (actual: string, expected: TextMatch, contains: boolean) =>
  expected instanceof RegExp
    ? expected.test(actual)
    : contains
      ? actual.includes(expected)
      : actual.trim() === expected.trim();

async function poll(
  describe: string,
  check: () => Promise<{ pass: boolean; actual: unknown }>,
  negate: boolean,
  options?: Options,
) {
  const deadline = Date.now() + (options?.timeout ?? DEFAULT_TIMEOUT);
  let last: unknown;
  for (;;) {
    try {
      const { pass, actual } = await check();
      last = actual;
      if (pass !== negate) return;
    } catch (e) {
      last = e instanceof Error ? e.message : e;
    }
    if (Date.now() > deadline)
      throw new Error(
        `expected locator ${negate ? 'not ' : ''}${describe}; last seen: ${JSON.stringify(last)}`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
}

function assertions(locator: Locator, negate: boolean) {
  const p = (
    describe: string,
    check: () => Promise<{ pass: boolean; actual: unknown }>,
    o?: Options,
  ) => poll(`${describe} (${locator})`, check, negate, o);
  return {
    toBeVisible: (o?: Options) =>
      p('to be visible', async () => ({ pass: await locator.isVisible(), actual: 'hidden' }), o),
    toBeHidden: (o?: Options) =>
      p('to be hidden', async () => ({ pass: await locator.isHidden(), actual: 'visible' }), o),
    toHaveText: (t: TextMatch, o?: Options) =>
      p(
        `to have text ${t}`,
        async () => {
          const actual = (await locator.textContent({ timeout: 1000 })) ?? '';
          return { pass: matches(actual, t, false), actual };
        },
        o,
      ),
    toContainText: (t: TextMatch, o?: Options) =>
      p(
        `to contain text ${t}`,
        async () => {
          const actual = (await locator.textContent({ timeout: 1000 })) ?? '';
          return { pass: matches(actual, t, true), actual };
        },
        o,
      ),
    toHaveValue: (v: TextMatch, o?: Options) =>
      p(
        `to have value ${v}`,
        async () => {
          const actual = await locator.inputValue({ timeout: 1000 });
          return { pass: matches(actual, v, false), actual };
        },
        o,
      ),
    toHaveAttribute: (name: string, v: string, o?: Options) =>
      p(
        `to have ${name}=${v}`,
        async () => {
          const actual = await locator.getAttribute(name, { timeout: 1000 });
          return { pass: actual === v, actual };
        },
        o,
      ),
    toBeChecked: (o?: Options) =>
      p(
        'to be checked',
        async () => ({ pass: await locator.isChecked({ timeout: 1000 }), actual: 'unchecked' }),
        o,
      ),
    toBeDisabled: (o?: Options) =>
      p(
        'to be disabled',
        async () => ({ pass: await locator.isDisabled({ timeout: 1000 }), actual: 'enabled' }),
        o,
      ),
    toBeEnabled: (o?: Options) =>
      p(
        'to be enabled',
        async () => ({ pass: await locator.isEnabled({ timeout: 1000 }), actual: 'disabled' }),
        o,
      ),
    toHaveCount: (n: number, o?: Options) =>
      p(
        `to have count ${n}`,
        async () => {
          const actual = await locator.count();
          return { pass: actual === n, actual };
        },
        o,
      ),
  };
}

export function pwExpect(locator: Locator) {
  return { ...assertions(locator, false), not: assertions(locator, true) };
}
