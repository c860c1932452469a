import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@mhrchain/source'] },
  ssr: { resolve: { conditions: ['@mhrchain/source'] } },
  test: {
    name: 'ecg',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    // Real-record tests read 5- to 15-minute excerpts (test/vectors/physionet); the shared machine can be slow.
    testTimeout: 120_000,
  },
});
