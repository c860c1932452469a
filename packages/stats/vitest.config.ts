import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@mhrchain/source'] },
  ssr: { resolve: { conditions: ['@mhrchain/source'] } },
  test: {
    name: 'stats',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    // The chain ledger test talks to a real anvil; on a loaded machine a transaction can take seconds.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
