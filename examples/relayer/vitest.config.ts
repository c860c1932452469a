import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@mhrchain/source'] },
  ssr: { resolve: { conditions: ['@mhrchain/source'] } },
  test: {
    name: 'relayer',
    include: ['src/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
