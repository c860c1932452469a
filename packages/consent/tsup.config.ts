import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/node.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2023',
  platform: 'neutral',
  // The Node entry (`@mhrchain/consent/node`) uses Node's own modules.
  external: [/^node:/],
});
