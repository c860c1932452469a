import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/anvil.ts', 'src/node.ts', 'src/testing.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2023',
  platform: 'node',
  external: ['vitest'],
});
