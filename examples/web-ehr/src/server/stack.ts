import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HDNodeWallet, JsonRpcProvider } from 'ethers';
import type { AppConfig } from '../shared/config.js';
import { spawnAnvil } from './anvil.js';
import { type AppServer, startAppServer } from './appServer.js';
import { createEcgFeedRoute } from './ecgFeed.js';
import { createRelayRoute } from './relay.js';
import { type StorageNode, startStorageNode } from './storageNode.js';

/** anvil's public test mnemonic: its accounts are funded on every fresh anvil. Never use it on a real chain. */
const DEV_MNEMONIC = 'test test test test test test test test test test test junk';

/** The repository root: the nearest folder above this file holding `pnpm-workspace.yaml`. */
function repositoryRoot(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(directory, 'pnpm-workspace.yaml'))) {
    const parent = dirname(directory);
    if (parent === directory) throw new Error('Cannot find the repository root (pnpm-workspace.yaml).');
    directory = parent;
  }
  return directory;
}

/** The shared ECG recordings: `$MHR_ECG_DATA`, else `../shared/data/ecg` from the repository root. */
export function ecgDataDir(): string {
  return process.env.MHR_ECG_DATA ?? resolve(repositoryRoot(), '../shared/data/ecg');
}

/** Derives anvil's dev account `index` (0 deploys, 1 is the patient, 2 the doctor). */
export function devWallet(index: number): HDNodeWallet {
  return HDNodeWallet.fromPhrase(DEV_MNEMONIC, undefined, `m/44'/60'/0'/0/${index}`);
}

/** Options of {@link startStack}. */
export interface StackOptions {
  /** Data directory of the storage node. Default a fresh temporary directory, removed on close. */
  dataDir?: string;
  /** How the app is served; see {@link startAppServer}. */
  mode?: 'preview' | 'dev';
  /** Output directory of the app build. */
  outDir?: string;
  /** Progress messages. */
  log?: (message: string) => void;
}

/** Everything the example runs, started. */
export interface Stack {
  /** URL of the browser app. */
  appUrl: string;
  config: AppConfig;
  storage: StorageNode;
  /** Stops everything, in reverse order. */
  close(): Promise<void>;
}

/**
 * Starts the whole example on 127.0.0.1: the storage node, anvil, the contracts, and the app.
 *
 * @example
 * ```ts
 * const stack = await startStack();
 * console.log(stack.appUrl);
 * await stack.close();
 * ```
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const log = options.log ?? (() => {});
  const closers: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const closer of closers.reverse()) await closer().catch(() => {});
  };
  try {
    let dataDir = options.dataDir;
    if (dataDir === undefined) {
      const temporary = await mkdtemp(join(tmpdir(), 'mhr-web-ehr-'));
      closers.push(() => rm(temporary, { recursive: true, force: true }));
      dataDir = temporary;
    }
    const relay = createRelayRoute();
    const storage = await startStorageNode({
      directory: dataDir,
      routes: [relay, createEcgFeedRoute({ dataDir: ecgDataDir() })],
    });
    closers.push(async () => {
      relay.close();
      await storage.close();
    });
    log(`storage node   ${storage.url}`);

    const anvil = await spawnAnvil();
    closers.push(() => anvil.close());
    log(`anvil          ${anvil.rpcUrl}`);
    const provider = new JsonRpcProvider(anvil.rpcUrl, undefined, { staticNetwork: true });
    const chainId = Number((await provider.getNetwork()).chainId);
    provider.destroy();

    const config: AppConfig = {
      rpcUrl: anvil.rpcUrl,
      chainId,
      storageUrl: storage.url,
      contracts: {},
      wallets: { patient: devWallet(1).privateKey, doctor: devWallet(2).privateKey },
    };
    const app: AppServer = await startAppServer({ config, mode: options.mode, outDir: options.outDir });
    closers.push(() => app.close());
    log(`app            ${app.url}`);
    return { appUrl: app.url, config, storage, close };
  } catch (error) {
    await close();
    throw error;
  }
}
