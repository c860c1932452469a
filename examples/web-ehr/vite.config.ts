import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';

// The workspace packages resolve to their TypeScript sources (the `@mhrchain/source` export condition), so the app
// runs against the SDK in this checkout without building it first.
export default defineConfig({
  plugins: [react()],
  resolve: {
    conditions: ['@mhrchain/source', ...defaultClientConditions],
    // `@mhrchain/ecg/live` imports `{ connect }` from mqtt, whose browser build has only a default export; the app
    // does not use MQTT (see src/app/shims/mqtt.ts).
    alias: [{ find: /^mqtt$/, replacement: fileURLToPath(new URL('./src/app/shims/mqtt.ts', import.meta.url)) }],
  },
  build: { target: 'es2023', sourcemap: true, chunkSizeWarningLimit: 4096 },
});
