import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** A running anvil. */
export interface RunningAnvil {
  /** JSON-RPC URL. */
  rpcUrl: string;
  /** Stops anvil and waits for it to exit. */
  close(): Promise<void>;
}

/**
 * Spawns the anvil binary shipped by `@foundry-rs/anvil` on `127.0.0.1` and a free port, with anvil's funded dev
 * accounts (the well-known test mnemonic).
 *
 * @example
 * ```ts
 * const anvil = await spawnAnvil();
 * console.log(anvil.rpcUrl);
 * await anvil.close();
 * ```
 */
export async function spawnAnvil(): Promise<RunningAnvil> {
  const require = createRequire(import.meta.url);
  const wrapper = dirname(require.resolve('@foundry-rs/anvil/package.json'));
  const platform = `${process.platform === 'win32' ? 'win32' : process.platform}-${process.arch === 'x64' ? 'amd64' : process.arch}`;
  const binaryPackage = dirname(
    createRequire(join(wrapper, 'package.json')).resolve(`@foundry-rs/anvil-${platform}/package.json`),
  );
  const binary = join(binaryPackage, 'bin', process.platform === 'win32' ? 'anvil.exe' : 'anvil');
  const child = spawn(binary, ['--host', '127.0.0.1', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const rpcUrl = await listeningUrl(child);
  return {
    rpcUrl,
    close: () => stopChild(child),
  };
}

function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Listening on ([\d.]+:\d+)/.exec(output);
      if (match) {
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        resolve(`http://${match[1]}`);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`anvil exited with code ${code}: ${output}`)));
  });
}

/** Sends SIGTERM, then SIGKILL after two seconds, and waits for the process to exit. */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
