import { describe, expect, it } from 'vitest';
import * as browser from './index.browser.js';
import * as node from './index.js';

describe('the browser build of @mhrchain/ecg/live', () => {
  it('exports the same names as the Node build', () => {
    expect(Object.keys(browser).sort()).toEqual(Object.keys(node).sort());
  });

  it('rejects startMosquitto with a typed error, and keeps the portable functions', async () => {
    await expect(browser.startMosquitto()).rejects.toBeInstanceOf(browser.MosquittoStartError);
    expect(browser.createLivePublisher).toBe(node.createLivePublisher);
  });
});
