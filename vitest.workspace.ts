import { defineConfig } from 'vitest/config';

/**
 * Root test configuration: one vitest project per package and example, each with its own
 * `vitest.config.ts` beside its `package.json`. Run with `vitest --config vitest.workspace.ts`.
 */
export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts', 'examples/*/vitest.config.ts'],
  },
});
