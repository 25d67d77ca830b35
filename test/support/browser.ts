import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BrowserContext, chromium, Page } from 'playwright-core';

// Debian's chromium (apt), driven by playwright-core: `npx playwright install` cannot download here.
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
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
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

// A fresh headless Chromium with its own profile directory (playwright passes it as
// --user-data-dir), one context, one page.
export async function launchBrowser(options: { baseURL: string; viewport?: { width: number; height: number } }): Promise<TestBrowser> {
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
    screenshot: async (name) => {
      const file = join(ARTIFACTS_DIR, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
