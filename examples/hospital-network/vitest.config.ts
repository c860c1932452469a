import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@mhrchain/source'] },
  ssr: { resolve: { conditions: ['@mhrchain/source'] } },
  test: {
    name: 'hospital-network',
    include: ['src/**/*.test.ts'],
    environment: 'node',
    testTimeout: 300_000,
    hookTimeout: 60_000,
  },
});
