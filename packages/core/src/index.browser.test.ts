import { describe, expect, it } from 'vitest';
import * as browser from './index.browser.js';
import * as node from './index.js';

describe('the browser build', () => {
  it('exports the same names as the Node build', () => {
    expect(Object.keys(browser).sort()).toEqual(Object.keys(node).sort());
  });

  it('has its own embedded node (IndexedDB: a typed error where there is none) and keeps the portable functions', async () => {
    expect(browser.createHeliaStorage).not.toBe(node.createHeliaStorage);
    await expect(browser.createHeliaStorage({ directory: 'unused' })).rejects.toBeInstanceOf(
      browser.PlatformNotSupportedError,
    );
    expect(browser.encryptRecord).toBe(node.encryptRecord);
    expect(browser.createMemoryStorage).toBe(node.createMemoryStorage);
  });
});
