import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';

// The workspace packages resolve to their TypeScript sources (the `@mhrchain/source` export condition), so the app
// runs against the SDK in this checkout without building it first.
export default defineConfig({
  plugins: [react()],
  resolve: {
    conditions: ['@mhrchain/source', ...defaultClientConditions],
  },
  build: { target: 'es2023', sourcemap: true, chunkSizeWarningLimit: 4096 },
});
