import { describe, expect, it } from 'vitest';
import * as browser from './index.browser.js';
import * as node from './index.js';

describe('the browser build', () => {
  it('exports the same names as the Node build', () => {
    expect(Object.keys(browser).sort()).toEqual(Object.keys(node).sort());
  });

  it('rejects createHeliaStorage with a typed error, and keeps the portable functions', async () => {
    await expect(browser.createHeliaStorage({ directory: '/tmp/unused' })).rejects.toBeInstanceOf(
      browser.UnsupportedPlatformError,
    );
    expect(browser.encryptRecord).toBe(node.encryptRecord);
    expect(browser.createMemoryStorage).toBe(node.createMemoryStorage);
  });
});
