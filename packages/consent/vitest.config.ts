import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@mhrchain/source'] },
  ssr: { resolve: { conditions: ['@mhrchain/source'] } },
  test: {
    name: 'consent',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    // Chain and storage tests: a crash-point test deploys, registers and resumes on a real anvil (seconds each).
    testTimeout: 60_000,
  },
});
