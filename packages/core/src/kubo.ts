/**
 * `@mhrchain/core/kubo`: start local Kubo (IPFS) daemons for tests and examples (Node only). Each daemon has its own
 * temporary repository, listens on free loopback ports only and can dial nothing off this machine: no bootstrap
 * peers, no routing, no MDNS, no relays, no AutoNAT, no AutoTLS, no AutoConf, no telemetry. Peers are connected
 * explicitly with {@link KuboInstance.connect}.
 *
 * @packageDocumentation
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { KuboStartError } from './errors.js';

/** The Kubo version the SDK is tested against (built by `packages/core/scripts/ensure-kubo.mjs`). */
export const KUBO_VERSION = '0.43.1';

/** Options of {@link startKubo}. */
export interface StartKuboOptions {
  /** Path of the `ipfs` binary. Default: {@link kuboBinaryPath}. */
  readonly binary?: string;
  /** Milliseconds to wait for `Daemon is ready`. Default: 30,000. */
  readonly timeoutMs?: number;
  /**
   * Further edits of the node's configuration before each start (checked by {@link localOnlyViolations} after);
   * `repo` is the repository directory.
   */
  readonly configure?: (config: KuboConfig, repo: string) => void;
}

/** A Kubo configuration (the repository's `config` file), loosely typed. */
// biome-ignore lint/suspicious/noExplicitAny: Kubo's configuration is a large, versioned JSON document; edited by path.
export type KuboConfig = Record<string, any>;

/** A running local Kubo daemon. */
export interface KuboInstance {
  /** RPC API base URL, `http://127.0.0.1:<port>` (for `createKuboStorage({ url })`). */
  readonly apiUrl: string;
  /** Gateway base URL, `http://127.0.0.1:<port>` (a trustless gateway: `createGatewayStorage({ gateways })`). */
  readonly gatewayUrl: string;
  /** The node's libp2p address, `/ip4/127.0.0.1/tcp/<port>/p2p/<peer id>`. */
  readonly swarmAddress: string;
  /** The node's libp2p peer id. */
  readonly peerId: string;
  /** The repository directory (`IPFS_PATH`). */
  readonly repo: string;
  /** The daemon's process id (undefined while stopped). */
  readonly pid: number | undefined;
  /** Whether the daemon is running. */
  readonly running: boolean;
  /** The configuration the running daemon uses (RPC `config/show`). */
  config(): Promise<KuboConfig>;
  /** Connects to another node (`ipfs swarm connect`). */
  connect(other: KuboInstance | string): Promise<void>;
  /** Stops the daemon and waits for it to exit; the repository stays. Idempotent. */
  stop(): Promise<void>;
  /** Kills the daemon at once (`SIGKILL`, as a crash or power loss would) and waits for it to exit. */
  crash(): Promise<void>;
  /** Starts the daemon again on the same repository and the same ports. */
  restart(): Promise<void>;
  /** Stops the daemon and deletes the repository. Idempotent. */
  destroy(): Promise<void>;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Kill every daemon still running when this process exits, however the tests ended. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

/**
 * Where the `ipfs` binary is: `$KUBO_BINARY`, or the one `packages/core/scripts/ensure-kubo.mjs` builds into the
 * toolchain cache (`${MHR_CACHE:-${XDG_CACHE_HOME:-~/.cache}/mhrchain}/kubo-v0.43.1/ipfs`).
 *
 * @example
 * ```ts
 * import { kuboBinaryPath } from '@mhrchain/core/kubo';
 *
 * console.log(kuboBinaryPath());
 * ```
 */
export function kuboBinaryPath(): string {
  if (process.env.KUBO_BINARY) return process.env.KUBO_BINARY;
  const cache = process.env.MHR_CACHE || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'mhrchain');
  return join(cache, `kubo-v${KUBO_VERSION}`, 'ipfs');
}

/**
 * The settings of a Kubo configuration through which the node could reach beyond this machine: bootstrap or
 * peering peers, MDNS, routing other than `none`, delegated routers or publishers, non-loopback listen or announce
 * addresses, relays, hole punching, AutoNAT, UPnP/NAT-PMP, AutoTLS, AutoConf, DNS-over-HTTPS resolvers, HTTP
 * retrieval, telemetry. Empty when the node is local only.
 *
 * @example
 * ```ts
 * import { localOnlyViolations } from '@mhrchain/core/kubo';
 *
 * console.log(localOnlyViolations({ Bootstrap: ['/dnsaddr/bootstrap.libp2p.io'] })); // [ 'Bootstrap: …' ]
 * ```
 */
export function localOnlyViolations(config: KuboConfig): string[] {
  const problems: string[] = [];
  const at = (path: string) =>
    path
      .split('.')
      .reduce<unknown>(
        (value, key) =>
          value === null || typeof value !== 'object' ? undefined : (value as Record<string, unknown>)[key],
        config,
      );
  const list = (path: string): unknown[] => {
    const value = at(path);
    return Array.isArray(value) ? value : value === null || value === undefined ? [] : [value];
  };
  const mustBeEmpty = (path: string) => {
    const value = at(path);
    const empty =
      value === undefined ||
      value === null ||
      (Array.isArray(value) && value.length === 0) ||
      (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0);
    if (!empty) problems.push(`${path}: ${JSON.stringify(value)} (must be empty)`);
  };
  const mustBe = (path: string, expected: unknown) => {
    if (at(path) !== expected)
      problems.push(`${path}: ${JSON.stringify(at(path))} (must be ${JSON.stringify(expected)})`);
  };
  const loopback = (address: unknown) =>
    typeof address === 'string' && /^\/(ip4\/127\.\d+\.\d+\.\d+|ip6\/::1)\/(tcp|udp)\/\d+(\/|$)/.test(address);

  mustBeEmpty('Bootstrap');
  mustBeEmpty('Peering.Peers');
  mustBe('Discovery.MDNS.Enabled', false);
  mustBe('Routing.Type', 'none');
  mustBeEmpty('Routing.Routers');
  mustBeEmpty('Routing.DelegatedRouters');
  mustBeEmpty('Ipns.DelegatedPublishers');
  mustBeEmpty('DNS.Resolvers');
  for (const path of ['Addresses.API', 'Addresses.Gateway', 'Addresses.Swarm'])
    for (const address of list(path))
      if (!loopback(address)) problems.push(`${path}: ${JSON.stringify(address)} (must be a loopback address)`);
  for (const path of ['Addresses.Announce', 'Addresses.AppendAnnounce'])
    for (const address of list(path))
      if (!loopback(address)) problems.push(`${path}: ${JSON.stringify(address)} (must be a loopback address)`);
  mustBe('Swarm.RelayClient.Enabled', false);
  mustBe('Swarm.RelayService.Enabled', false);
  mustBe('Swarm.EnableHolePunching', false);
  mustBe('Swarm.DisableNatPortMap', true);
  mustBe('AutoNAT.ServiceMode', 'disabled');
  mustBe('AutoTLS.Enabled', false);
  mustBe('AutoConf.Enabled', false);
  mustBe('HTTPRetrieval.Enabled', false);
  mustBe('Plugins.Plugins.telemetry.Config.Mode', 'off');
  return problems;
}

/** Makes a configuration local only (what {@link localOnlyViolations} checks), listening on the given ports. */
function makeLocalOnly(config: KuboConfig, ports: { api: number; gateway: number; swarm: number }): void {
  const set = (path: string, value: unknown) => {
    const keys = path.split('.');
    let node = config;
    for (const key of keys.slice(0, -1)) node = node[key] ??= {};
    node[keys.at(-1)!] = value;
  };
  set('Addresses.API', `/ip4/127.0.0.1/tcp/${ports.api}`);
  set('Addresses.Gateway', `/ip4/127.0.0.1/tcp/${ports.gateway}`);
  set('Addresses.Swarm', [`/ip4/127.0.0.1/tcp/${ports.swarm}`]);
  set('Addresses.Announce', []);
  set('Addresses.AppendAnnounce', []);
  set('Addresses.NoAnnounce', []);
  set('Bootstrap', []);
  set('Peering.Peers', []);
  set('Discovery.MDNS.Enabled', false);
  set('Routing.Type', 'none');
  set('Routing.Routers', {});
  set('Routing.Methods', {});
  set('Routing.DelegatedRouters', []);
  set('Ipns.DelegatedPublishers', []);
  set('DNS.Resolvers', {});
  set('Swarm.RelayClient.Enabled', false);
  set('Swarm.RelayService.Enabled', false);
  set('Swarm.EnableHolePunching', false);
  set('Swarm.DisableNatPortMap', true);
  set('AutoNAT.ServiceMode', 'disabled');
  set('AutoTLS.Enabled', false);
  set('AutoConf.Enabled', false);
  set('HTTPRetrieval.Enabled', false);
  set('Plugins.Plugins.telemetry.Config.Mode', 'off');
  // Only TCP on loopback: no QUIC, WebTransport, WebRTC or WebSocket listeners to reason about.
  set('Swarm.Transports.Network.QUIC', false);
  set('Swarm.Transports.Network.WebTransport', false);
  set('Swarm.Transports.Network.WebRTCDirect', false);
  set('Swarm.Transports.Network.Websocket', false);
  set('Swarm.Transports.Network.Relay', false);
}

/**
 * Initialises a fresh repository (`ipfs init --profile test`), makes it local only (loopback ports, no bootstrap,
 * routing `none`, no MDNS, relays, AutoNAT or telemetry: see {@link localOnlyViolations}, checked before start),
 * starts `ipfs daemon` and waits for `Daemon is ready`. The daemon is killed by `stop()`/`destroy()`, and in any
 * case when this Node process exits; a daemon that fails to start is killed before the error is thrown.
 *
 * @throws `KuboStartError` (exported by `@mhrchain/core`) when there is no binary, `ipfs init` fails, or the daemon
 * exits or is not ready in time.
 * @example
 * ```ts
 * import { createKuboStorage } from '@mhrchain/core';
 * import { startKubo } from '@mhrchain/core/kubo';
 *
 * const kubo = await startKubo();
 * try {
 *   const storage = await createKuboStorage({ url: kubo.apiUrl });
 *   // storeEnvelope(storage, ...)
 *   await storage.close();
 * } finally {
 *   await kubo.destroy();
 * }
 * ```
 */
export async function startKubo(options: StartKuboOptions = {}): Promise<KuboInstance> {
  const binary = options.binary ?? kuboBinaryPath();
  if (!existsSync(binary))
    throw new KuboStartError('No Kubo binary.', {
      details: `${binary} does not exist: run \`node packages/core/scripts/ensure-kubo.mjs\` (needs Go) or set KUBO_BINARY`,
    });
  const timeoutMs = options.timeoutMs ?? 30_000;
  const repo = await mkdtemp(join(tmpdir(), 'mhr-kubo-'));
  const env = { ...process.env, IPFS_PATH: repo, IPFS_TELEMETRY: 'off', DO_NOT_TRACK: '1', GOLOG_LOG_LEVEL: 'error' };
  try {
    await run(binary, ['init', '--profile', 'test', '--empty-repo'], env);
    await writeConfig(repo, { api: 0, gateway: 0, swarm: 0 }, options.configure);
  } catch (error) {
    await rm(repo, { recursive: true, force: true });
    throw error;
  }

  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let ports = { api: 0, gateway: 0, swarm: 0 };
  let peerId = '';

  const launch = async () => {
    installExitHook();
    const daemon = spawn(binary, ['daemon', '--migrate=false'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child = daemon;
    running.add(daemon);
    exited = new Promise<void>((resolve) => {
      daemon.once('exit', () => {
        running.delete(daemon);
        resolve();
      });
    });
    try {
      ports = await new Promise((resolve, reject) => {
        let output = '';
        const timer = setTimeout(
          () => reject(new KuboStartError('Kubo did not become ready in time.', { details: output.slice(-800) })),
          timeoutMs,
        );
        daemon.stdout?.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          if (!output.includes('Daemon is ready')) return;
          clearTimeout(timer);
          const port = (label: string) =>
            Number(new RegExp(`${label} listening on /ip4/127\\.0\\.0\\.1/tcp/(\\d+)`).exec(output)?.[1]);
          const swarm = Number(/Swarm listening on (?:\/ip4\/)?127\.0\.0\.1[:/](?:tcp\/)?(\d+)/.exec(output)?.[1]);
          resolve({ api: port('RPC API server'), gateway: port('Gateway server'), swarm });
        });
        daemon.stderr?.on('data', (chunk: Buffer) => {
          output += chunk.toString();
        });
        daemon.once('error', (cause) => {
          clearTimeout(timer);
          reject(new KuboStartError(`Kubo could not be started from ${binary}.`, { cause }));
        });
        daemon.once('close', (code) => {
          clearTimeout(timer);
          reject(new KuboStartError(`Kubo exited with code ${code}.`, { details: output.slice(-800) }));
        });
      });
      const id = (await rpc(`http://127.0.0.1:${ports.api}`, 'id')) as { ID: string; Addresses: string[] | null };
      peerId = id.ID;
      if (!ports.swarm) {
        const tcp = (id.Addresses ?? []).map((a) => /^\/ip4\/127\.0\.0\.1\/tcp\/(\d+)\/p2p\//.exec(a)).find(Boolean);
        ports.swarm = Number(tcp?.[1]);
      }
      if (!ports.api || !ports.gateway || !ports.swarm)
        throw new KuboStartError('Kubo did not report its listening ports.', { details: JSON.stringify(ports) });
    } catch (error) {
      daemon.kill('SIGKILL');
      await exited;
      throw error;
    }
  };

  const stop = async () => {
    const daemon = child;
    if (!daemon || daemon.exitCode !== null || daemon.signalCode !== null) return;
    daemon.kill('SIGTERM');
    const timer = setTimeout(() => daemon.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };

  try {
    await launch();
  } catch (error) {
    await rm(repo, { recursive: true, force: true });
    throw error;
  }
  let destroyed: Promise<void> | undefined;

  const instance: KuboInstance = {
    get apiUrl() {
      return `http://127.0.0.1:${ports.api}`;
    },
    get gatewayUrl() {
      return `http://127.0.0.1:${ports.gateway}`;
    },
    get swarmAddress() {
      return `/ip4/127.0.0.1/tcp/${ports.swarm}/p2p/${peerId}`;
    },
    get peerId() {
      return peerId;
    },
    repo,
    get pid() {
      return child && child.exitCode === null && child.signalCode === null ? child.pid : undefined;
    },
    get running() {
      return child !== undefined && child.exitCode === null && child.signalCode === null;
    },
    async config() {
      return (await rpc(instance.apiUrl, 'config/show')) as KuboConfig;
    },
    async connect(other) {
      const address = typeof other === 'string' ? other : other.swarmAddress;
      await rpc(instance.apiUrl, 'swarm/connect', { arg: address });
    },
    stop,
    async crash() {
      const daemon = child;
      if (!daemon || daemon.exitCode !== null || daemon.signalCode !== null) return;
      daemon.kill('SIGKILL');
      await exited;
    },
    async restart() {
      if (destroyed) throw new KuboStartError('This Kubo node was destroyed.');
      await stop();
      // Same ports as before, so URLs and peers' addresses stay valid.
      await writeConfig(repo, ports, options.configure);
      await launch();
    },
    destroy() {
      destroyed ??= (async () => {
        await stop();
        await rm(repo, { recursive: true, force: true });
      })();
      return destroyed;
    },
  };
  return instance;
}

async function writeConfig(
  repo: string,
  ports: { api: number; gateway: number; swarm: number },
  configure: ((config: KuboConfig, repo: string) => void) | undefined,
): Promise<void> {
  const path = join(repo, 'config');
  const config = JSON.parse(await readFile(path, 'utf8')) as KuboConfig;
  makeLocalOnly(config, ports);
  configure?.(config, repo);
  const problems = localOnlyViolations(config);
  if (problems.length > 0)
    throw new KuboStartError('Refusing to start a Kubo node that could reach beyond this machine.', {
      details: problems.join('; '),
    });
  await writeFile(path, JSON.stringify(config, null, 2));
}

function run(binary: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('error', (cause) => reject(new KuboStartError(`Kubo could not be run from ${binary}.`, { cause })));
    child.once('close', (code) => {
      if (code === 0) resolve(output);
      else reject(new KuboStartError(`ipfs ${args[0]} exited with code ${code}.`, { details: output.slice(-800) }));
    });
  });
}

async function rpc(apiUrl: string, command: string, query: Record<string, string> = {}): Promise<unknown> {
  const url = `${apiUrl}/api/v0/${command}?${new URLSearchParams(query)}`;
  const response = await fetch(url, { method: 'POST', signal: AbortSignal.timeout(15_000) });
  const text = await response.text();
  if (!response.ok)
    throw new KuboStartError(`Kubo RPC ${command} failed (HTTP ${response.status}).`, { details: text });
  return text ? JSON.parse(text) : undefined;
}
