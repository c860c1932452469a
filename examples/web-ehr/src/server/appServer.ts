import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, type Plugin, preview } from 'vite';
import { type AppConfig, CONFIG_PATH } from '../common/config.js';

/** Options of {@link startAppServer}. */
export interface AppServerOptions {
  /** Configuration handed to the browser at `/mhr-config.json`. */
  config: AppConfig;
  /** `preview` (default): build, then serve the bundle. `dev`: Vite's dev server with hot reload. */
  mode?: 'preview' | 'dev';
  /** Output directory of the build. Default `dist` beside the app. */
  outDir?: string;
  /** Skip the build when serving a preview of an existing bundle. */
  skipBuild?: boolean;
  /** Port; 0 (the default) picks a free one. */
  port?: number;
}

/** A running app server. */
export interface AppServer {
  /** URL of the app, e.g. `http://127.0.0.1:41235/`. */
  url: string;
  close(): Promise<void>;
}

const root = fileURLToPath(new URL('../..', import.meta.url));
const configFile = fileURLToPath(new URL('../../vite.config.ts', import.meta.url));

/**
 * Serves the browser app with Vite on 127.0.0.1, with the runtime configuration at `/mhr-config.json`.
 *
 * @example
 * ```ts
 * const app = await startAppServer({ config });
 * console.log(app.url);
 * ```
 */
export async function startAppServer(options: AppServerOptions): Promise<AppServer> {
  const plugin = configPlugin(options.config);
  const outDir = options.outDir ?? 'dist';
  const server = { host: '127.0.0.1', port: options.port ?? 0, strictPort: true };
  if (options.mode === 'dev') {
    const dev = await createServer({ root, configFile, plugins: [plugin], server, logLevel: 'warn' });
    await dev.listen();
    return { url: dev.resolvedUrls!.local[0]!, close: () => dev.close() };
  }
  if (!options.skipBuild) await buildApp(outDir);
  const served = await preview({
    root,
    configFile,
    plugins: [plugin],
    build: { outDir },
    preview: server,
    logLevel: 'warn',
  });
  return {
    url: served.resolvedUrls!.local[0]!,
    close: () => served.close(),
  };
}

/**
 * Builds the app in a child process with `NODE_ENV=production`, so the bundle is the production one even when the
 * caller is a test runner (which sets `NODE_ENV=test`).
 */
export function buildApp(outDir: string): Promise<void> {
  const vite = join(dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin', 'vite.js');
  const child = spawn(process.execPath, [vite, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`vite build exited with ${code}`))));
  });
}

function configPlugin(config: AppConfig): Plugin {
  const body = JSON.stringify(config);
  const middleware = (request: { url?: string }, response: import('node:http').ServerResponse, next: () => void) => {
    if (request.url?.split('?')[0] !== CONFIG_PATH) return next();
    response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(body);
  };
  return {
    name: 'mhr-config',
    configureServer(server) {
      server.middlewares.use(middleware);
    },
    configurePreviewServer(server) {
      server.middlewares.use(middleware);
    },
  };
}
