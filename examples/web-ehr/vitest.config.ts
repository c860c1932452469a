import { defineProject } from 'vitest/config';

// The end-to-end test starts everything it needs (storage node, anvil, contracts, a build of the app served by
// Vite, headless Chromium) on 127.0.0.1 with free ports, and stops it all afterwards.
export default defineProject({
  resolve: { conditions: ['@mhrchain/source'] },
  ssr: { resolve: { conditions: ['@mhrchain/source'] } },
  test: {
    name: 'web-ehr',
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    environment: 'node',
    testTimeout: 90_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    expect: { poll: { timeout: 20_000, interval: 100 } },
  },
});
