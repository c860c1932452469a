import { mkdir, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

/** Screenshots of the end-to-end test land here, at the repository root (gitignored). */
export const ARTIFACTS_DIR = fileURLToPath(new URL('../../../test-artifacts/web-ehr/', import.meta.url));

/**
 * The machine's Chromium (Debian package), never a downloaded browser. Playwright gives every launch a fresh
 * temporary profile (`--user-data-dir`) and removes it on close; each `newContext()` is isolated from the others,
 * like two different people's browsers.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** A headless Chromium with helpers for the test. */
export interface TestBrowser {
  browser: Browser;
  /** A page in a fresh, isolated context, with its console errors collected into `errors`. */
  newPage(label: string, timezoneId?: string): Promise<{ context: BrowserContext; page: Page; errors: string[] }>;
  /** Saves a full-page screenshot as `test-artifacts/web-ehr/<name>.png` and returns its bytes. */
  screenshot(page: Page, name: string): Promise<Buffer>;
  /** Saves a screenshot of the viewport only (smaller), as `test-artifacts/web-ehr/<name>.png`. */
  viewportShot(page: Page, name: string): Promise<Buffer>;
  close(): Promise<void>;
}

/** Launches Chromium; the screenshots of an earlier run are removed first. */
export async function launchBrowser(): Promise<TestBrowser> {
  await rm(ARTIFACTS_DIR, { recursive: true, force: true });
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS, timeout: 30_000 });
  return {
    browser,
    async newPage(label, timezoneId) {
      const context = await browser.newContext({
        viewport: { width: 1280, height: 900 },
        acceptDownloads: true,
        ...(timezoneId ? { timezoneId } : {}),
      });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(`[${label}] ${message.text()}`);
      });
      page.on('pageerror', (error) => errors.push(`[${label}] ${error.message}`));
      return { context, page, errors };
    },
    screenshot: (page, name) => page.screenshot({ path: `${ARTIFACTS_DIR}${name}.png`, fullPage: true }),
    viewportShot: (page, name) => page.screenshot({ path: `${ARTIFACTS_DIR}${name}.png` }),
    close: () => browser.close(),
  };
}
