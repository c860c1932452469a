import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KuboStartError } from './errors.js';
import { type KuboConfig, type KuboInstance, localOnlyViolations, startKubo } from './kubo.js';

/** Process ids of this process's children (the daemons it started). */
const children = () =>
  execFileSync('ps', ['-o', 'pid=', '--ppid', String(process.pid)], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map(Number)
    .filter((pid) => alive(pid) && !/^(ps|sh)$/.test(commandOf(pid)));
const commandOf = (pid: number) => {
  try {
    return execFileSync('ps', ['-o', 'comm=', '-p', String(pid)], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
};

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

// biome-ignore lint/suspicious/noExplicitAny: RPC answers are read field by field in expectations.
async function rpc(node: KuboInstance, command: string): Promise<any> {
  const response = await fetch(`${node.apiUrl}/api/v0/${command}`, { method: 'POST' });
  expect(response.ok).toBe(true);
  return response.json();
}

describe('startKubo', () => {
  let nodes: KuboInstance[] = [];
  beforeAll(async () => {
    nodes = await Promise.all([startKubo(), startKubo()]);
  });
  afterAll(async () => {
    await Promise.all(nodes.map((node) => node.destroy()));
  });

  it('runs daemons whose configuration cannot dial off this machine', async () => {
    for (const node of nodes) {
      const config = await node.config();
      expect(localOnlyViolations(config)).toEqual([]);
      // What the check covers, spelled out against the running daemon's own configuration.
      expect(config.Bootstrap ?? []).toEqual([]);
      expect(config.Peering?.Peers ?? []).toEqual([]);
      expect(config.Discovery.MDNS.Enabled).toBe(false);
      expect(config.Routing.Type).toBe('none');
      expect(config.Swarm.RelayClient.Enabled).toBe(false);
      expect(config.Swarm.RelayService.Enabled).toBe(false);
      expect(config.AutoNAT.ServiceMode).toBe('disabled');
      expect(config.Swarm.DisableNatPortMap).toBe(true);
      for (const address of [config.Addresses.API, config.Addresses.Gateway, ...config.Addresses.Swarm].flat())
        expect(address).toMatch(/^\/ip4\/127\.0\.0\.1\/tcp\/\d+$/);
    }
  });

  it('listens and announces on loopback only, and knows no peer until told', async () => {
    for (const node of nodes) {
      const id = await rpc(node, 'id');
      expect(id.ID).toBe(node.peerId);
      expect(id.Addresses.length).toBeGreaterThan(0);
      for (const address of id.Addresses) expect(address).toMatch(/^\/ip4\/127\.0\.0\.1\/tcp\/\d+\/p2p\//);
      expect((await rpc(node, 'swarm/peers')).Peers ?? []).toEqual([]);
      expect((await rpc(node, 'bootstrap/list')).Peers ?? []).toEqual([]);
    }
    const [a, b] = nodes as [KuboInstance, KuboInstance];
    await a.connect(b);
    const peers = ((await rpc(a, 'swarm/peers')).Peers ?? []).map((p: { Peer: string }) => p.Peer);
    expect(peers).toEqual([b.peerId]);
  });

  it('restarts on the same repository, ports and identity', async () => {
    const node = nodes[0]!;
    const before = { apiUrl: node.apiUrl, gatewayUrl: node.gatewayUrl, swarmAddress: node.swarmAddress };
    const pid = node.pid!;
    await node.stop();
    expect(node.running).toBe(false);
    expect(alive(pid)).toBe(false);
    await expect(fetch(`${before.apiUrl}/api/v0/id`, { method: 'POST' })).rejects.toThrow();
    await node.restart();
    expect({ apiUrl: node.apiUrl, gatewayUrl: node.gatewayUrl, swarmAddress: node.swarmAddress }).toEqual(before);
    expect(localOnlyViolations(await node.config())).toEqual([]);
  });

  it('refuses to start a node configured to reach out, and leaves nothing behind', async () => {
    const before = children();
    let repo: string | undefined;
    const error = await startKubo({
      configure: (config, dir) => {
        repo = dir;
        config.Bootstrap = ['/dnsaddr/bootstrap.libp2p.io/p2p/QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJN'];
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KuboStartError);
    expect((error as KuboStartError).details).toMatch(/Bootstrap/);
    expect(existsSync(repo!)).toBe(false);
    expect(children()).toEqual(before);
  });

  it('kills a daemon that does not become ready in time (no orphan), and deletes its repository', async () => {
    const before = children();
    let repo: string | undefined;
    const error = await startKubo({
      timeoutMs: 1,
      configure: (_, dir) => {
        repo = dir;
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KuboStartError);
    expect((error as KuboStartError).shortMessage).toMatch(/ready in time/);
    expect(existsSync(repo!)).toBe(false);
    expect(children()).toEqual(before);
  });

  it('reports a missing binary as KuboStartError', async () => {
    const error = await startKubo({ binary: '/nonexistent/ipfs' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KuboStartError);
    expect(existsSync('/nonexistent/ipfs')).toBe(false);
  });
});

describe('localOnlyViolations', () => {
  const local = (): KuboConfig => ({
    Addresses: {
      API: '/ip4/127.0.0.1/tcp/5001',
      Gateway: '/ip4/127.0.0.1/tcp/8080',
      Swarm: ['/ip4/127.0.0.1/tcp/4001'],
      Announce: [],
      AppendAnnounce: [],
    },
    Bootstrap: [],
    Peering: { Peers: null },
    Discovery: { MDNS: { Enabled: false } },
    Routing: { Type: 'none', Routers: null, DelegatedRouters: [] },
    Ipns: { DelegatedPublishers: [] },
    DNS: { Resolvers: {} },
    Swarm: {
      RelayClient: { Enabled: false },
      RelayService: { Enabled: false },
      EnableHolePunching: false,
      DisableNatPortMap: true,
    },
    AutoNAT: { ServiceMode: 'disabled' },
    AutoTLS: { Enabled: false },
    AutoConf: { Enabled: false },
    HTTPRetrieval: { Enabled: false },
    Plugins: { Plugins: { telemetry: { Config: { Mode: 'off' } } } },
  });

  it('accepts a local-only configuration', () => {
    expect(localOnlyViolations(local())).toEqual([]);
  });

  const risky: [string, (config: KuboConfig) => void][] = [
    ['a bootstrap peer', (c) => c.Bootstrap.push('/dnsaddr/bootstrap.libp2p.io')],
    ['the AutoConf bootstrap placeholder', (c) => c.Bootstrap.push('auto')],
    ['a peering peer', (c) => (c.Peering.Peers = [{ ID: '12D3Koo', Addrs: ['/ip4/1.2.3.4/tcp/4001'] }])],
    ['MDNS', (c) => (c.Discovery.MDNS.Enabled = true)],
    ['MDNS left at its default', (c) => delete c.Discovery.MDNS.Enabled],
    ['DHT routing', (c) => (c.Routing.Type = 'dht')],
    ['auto routing', (c) => (c.Routing.Type = 'auto')],
    ['delegated routers', (c) => c.Routing.DelegatedRouters.push('https://delegated-ipfs.dev')],
    ['custom routers', (c) => (c.Routing.Routers = { r: { Type: 'http' } })],
    ['delegated IPNS publishers', (c) => c.Ipns.DelegatedPublishers.push('https://delegated-ipfs.dev')],
    ['DNS-over-HTTPS resolvers', (c) => (c.DNS.Resolvers = { '.': 'https://dns.example/dns-query' })],
    ['a swarm listener on every interface', (c) => c.Addresses.Swarm.push('/ip4/0.0.0.0/tcp/4001')],
    ['a QUIC listener on IPv6', (c) => c.Addresses.Swarm.push('/ip6/::/udp/4001/quic-v1')],
    ['an API on every interface', (c) => (c.Addresses.API = '/ip4/0.0.0.0/tcp/5001')],
    ['a gateway on a LAN address', (c) => (c.Addresses.Gateway = '/ip4/192.168.1.2/tcp/8080')],
    ['a public announce address', (c) => c.Addresses.Announce.push('/ip4/203.0.113.1/tcp/4001')],
    ['a DNS swarm address', (c) => c.Addresses.AppendAnnounce.push('/dns4/example.org/tcp/4001')],
    ['the relay client', (c) => (c.Swarm.RelayClient.Enabled = true)],
    ['the relay client at its default', (c) => delete c.Swarm.RelayClient.Enabled],
    ['the relay service', (c) => (c.Swarm.RelayService.Enabled = true)],
    ['hole punching', (c) => (c.Swarm.EnableHolePunching = true)],
    ['NAT port mapping', (c) => (c.Swarm.DisableNatPortMap = false)],
    ['the AutoNAT service', (c) => (c.AutoNAT.ServiceMode = 'enabled')],
    ['AutoNAT at its default', (c) => delete c.AutoNAT.ServiceMode],
    ['AutoTLS', (c) => (c.AutoTLS.Enabled = true)],
    ['AutoConf', (c) => (c.AutoConf.Enabled = true)],
    ['HTTP retrieval', (c) => (c.HTTPRetrieval.Enabled = true)],
    ['telemetry', (c) => delete c.Plugins.Plugins.telemetry],
  ];
  it.each(risky)('flags %s', (_, change) => {
    const config = local();
    change(config);
    expect(localOnlyViolations(config)).not.toEqual([]);
  });
});
