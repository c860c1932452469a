/**
 * `@mhrchain/contracts/anvil`: start a local anvil chain from the `@foundry-rs/anvil` npm package (Node only).
 *
 * @packageDocumentation
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { HDNodeWallet, JsonRpcProvider, Network } from 'ethers';
import { AnvilNotInstalledError, AnvilStartError } from './errors.js';

/** The mnemonic anvil funds its default accounts from (public: for local chains only). */
export const ANVIL_MNEMONIC = 'test test test test test test test test test test test junk';

/** Options of {@link startAnvil}. */
export interface StartAnvilOptions {
  /** Chain id. Default: 31337. */
  chainId?: number;
  /** Number of funded accounts. Default: 10. */
  accounts?: number;
  /** Path of the anvil binary. Default: the one of the `@foundry-rs/anvil` npm package (or `$ANVIL_BINARY`). */
  binary?: string;
  /** Milliseconds to wait for `Listening on`. Default: 15,000. */
  timeoutMs?: number;
  /** Extra command-line arguments (e.g. `['--block-time', '1']`). */
  args?: readonly string[];
}

/** A running anvil. */
export interface AnvilInstance {
  /** `http://127.0.0.1:<port>`. */
  readonly rpcUrl: string;
  readonly port: number;
  readonly chainId: number;
  /** The anvil process id. */
  readonly pid: number;
  /** A provider on the chain (static network, fast polling). */
  readonly provider: JsonRpcProvider;
  /** The funded accounts, as wallets connected to {@link AnvilInstance.provider}. */
  readonly signers: readonly HDNodeWallet[];
  /** Saves the chain state; returns an id for {@link AnvilInstance.revert}. */
  snapshot(): Promise<string>;
  /** Restores a saved state (each id works once). */
  revert(id: string): Promise<void>;
  /** Moves the chain's clock forward by `seconds` and mines a block. */
  increaseTime(seconds: number): Promise<void>;
  /** Stops anvil and waits for it to exit. Idempotent. */
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Kill every anvil still running when this process exits, however the tests ended. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

/**
 * The path of the anvil binary of the `@foundry-rs/anvil` npm package for this platform.
 *
 * @throws `AnvilNotInstalledError` (exported by `@mhrchain/contracts`) when `@foundry-rs/anvil` (an optional peer dependency) is not installed.
 * @example
 * ```ts
 * import { anvilBinaryPath } from '@mhrchain/contracts/anvil';
 *
 * console.log(anvilBinaryPath());
 * ```
 */
export function anvilBinaryPath(): string {
  if (process.env.ANVIL_BINARY) return process.env.ANVIL_BINARY;
  const require = createRequire(import.meta.url);
  let wrapper: string;
  try {
    // An optional peer dependency: consumers that start local chains install it themselves.
    wrapper = require.resolve('@foundry-rs/anvil/package.json');
  } catch (cause) {
    throw new AnvilNotInstalledError({ cause });
  }
  const arch = ({ x64: 'amd64', arm64: 'arm64' } as Record<string, string>)[process.arch] ?? process.arch;
  const platformPackage = `@foundry-rs/anvil-${process.platform}-${arch}/package.json`;
  const binary = process.platform === 'win32' ? 'anvil.exe' : 'anvil';
  try {
    return join(dirname(createRequire(wrapper).resolve(platformPackage)), 'bin', binary);
  } catch (cause) {
    throw new AnvilStartError(`No anvil binary for ${process.platform}-${process.arch}.`, { cause });
  }
}

/**
 * Starts anvil on a free loopback port (`--port 0`, reading `Listening on`), and returns its RPC URL, a provider and
 * the funded accounts. The process is killed by `stop()`, and in any case when this Node process exits.
 *
 * @throws `AnvilNotInstalledError` (exported by `@mhrchain/contracts`) when no `binary` is given and `@foundry-rs/anvil` (an optional peer
 * dependency: `npm install --save-dev @foundry-rs/anvil`) is not installed.
 * @example
 * ```ts
 * import { startAnvil } from '@mhrchain/contracts/anvil';
 *
 * const anvil = await startAnvil();
 * try {
 *   console.log(anvil.rpcUrl, await anvil.provider.getBlockNumber());
 * } finally {
 *   await anvil.stop();
 * }
 * ```
 */
export async function startAnvil(options: StartAnvilOptions = {}): Promise<AnvilInstance> {
  const chainId = options.chainId ?? 31337;
  const accounts = options.accounts ?? 10;
  const binary = options.binary ?? anvilBinaryPath();
  const args = [
    '--host',
    '127.0.0.1',
    '--port',
    '0',
    '--chain-id',
    String(chainId),
    '--accounts',
    String(accounts),
    '--mnemonic',
    ANVIL_MNEMONIC,
    ...(options.args ?? []),
  ];
  installExitHook();
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      running.delete(child);
      resolve();
    });
  });

  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(
        () => reject(new AnvilStartError('anvil did not start listening in time.', { details: output.slice(-500) })),
        options.timeoutMs ?? 15_000,
      );
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /Listening on [\d.]+:(\d+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          child.stdout?.off('data', onData);
          child.stdout?.resume();
          resolve(Number(match[1]));
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      child.once('error', (cause) => {
        clearTimeout(timer);
        reject(new AnvilStartError(`anvil could not be started from ${binary}.`, { cause }));
      });
      // 'close', not 'exit': it comes after stdout and stderr are drained, so the details hold anvil's last words.
      child.once('close', (code) => {
        clearTimeout(timer);
        reject(new AnvilStartError(`anvil exited with code ${code}.`, { details: output.slice(-500) }));
      });
    });
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }

  const rpcUrl = `http://127.0.0.1:${port}`;
  const provider = new JsonRpcProvider(rpcUrl, Network.from(chainId), {
    staticNetwork: true,
    pollingInterval: 20,
    cacheTimeout: -1,
  });
  const root = HDNodeWallet.fromPhrase(ANVIL_MNEMONIC, undefined, "m/44'/60'/0'/0");
  const signers = Array.from({ length: accounts }, (_, i) => root.deriveChild(i).connect(provider));
  let stopping: Promise<void> | undefined;

  return {
    rpcUrl,
    port,
    chainId,
    pid: child.pid!,
    provider,
    signers,
    snapshot: () => provider.send('evm_snapshot', []) as Promise<string>,
    async revert(id) {
      const ok = (await provider.send('evm_revert', [id])) as boolean;
      if (!ok) throw new AnvilStartError(`anvil could not revert to snapshot ${id}.`);
    },
    async increaseTime(seconds) {
      await provider.send('evm_increaseTime', [seconds]);
      await provider.send('evm_mine', []);
    },
    stop() {
      stopping ??= (async () => {
        provider.destroy();
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 2_000);
          await exited;
          clearTimeout(timer);
        }
      })();
      return stopping;
    },
  };
}
