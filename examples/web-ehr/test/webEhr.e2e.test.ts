import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../src/server/stack.js';
import { launchBrowser, type TestBrowser } from './browser.js';

describe('web EHR in Chromium', () => {
  let stack: Stack;
  let browser: TestBrowser;

  beforeAll(async () => {
    stack = await startStack({ outDir: 'dist/e2e' });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('loads the app connected to the chain and the storage node', async () => {
    const { page, errors } = await browser.newPage('patient');
    await page.goto(`${stack.appUrl}#/patient`);
    await expect.poll(() => page.locator('[data-testid=storage]').textContent()).toBe('ok');
    await expect.poll(() => page.locator('[data-testid=block]').textContent()).toMatch(/^\d+$/);
    expect(await page.locator('h2').textContent()).toBe('Patient');
    await browser.screenshot(page, '01-patient-start');
    expect(errors).toEqual([]);
  });
});
