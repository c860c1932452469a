import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/chain.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2023',
  platform: 'neutral',
});
