import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { loadEnvelope, storeEnvelope } from './envelopeStorage.js';
import { StorageReadOnlyError } from './errors.js';
import { createGatewayStorage } from './gatewayStorage.js';
import { generateIdentity } from './identity.js';
import { equalBytes } from './internal/bytes.js';
import { createMemoryStorage, type Storage } from './storage.js';
import { createTrustlessGatewayHandler, type TrustlessGatewayHandler } from './trustlessGateway.js';

const servers: Server[] = [];
afterAll(async () => {
  for (const server of servers) await new Promise((resolve) => server.close(resolve));
});

async function serve(handler: TrustlessGatewayHandler): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const patient = generateIdentity();
const data = new Uint8Array(500_000).map((_, i) => (i * 13) & 0xff);

async function origin(): Promise<{ storage: Storage; cid: import('multiformats/cid').CID }> {
  const storage = createMemoryStorage();
  const { cid } = await storeEnvelope(storage, {
    data,
    metadata: { mediaType: 'application/octet-stream' },
    recipients: [patient.publicKey],
  });
  return { storage, cid };
}

describe('trustless gateway handler', () => {
  it('answers raw blocks only, with the right status codes', async () => {
    const { storage, cid } = await origin();
    const url = await serve(createTrustlessGatewayHandler(storage));
    const raw = await fetch(`${url}/ipfs/${cid}`, { headers: { accept: 'application/vnd.ipld.raw' } });
    expect(raw.status).toBe(200);
    expect(raw.headers.get('content-type')).toBe('application/vnd.ipld.raw');
    expect(equalBytes(new Uint8Array(await raw.arrayBuffer()), await storage.get(cid))).toBe(true);
    expect((await fetch(`${url}/ipfs/${cid}?format=raw`)).status).toBe(200);
    expect((await fetch(`${url}/ipfs/${cid}`)).status).toBe(406);
    expect((await fetch(`${url}/ipfs/not-a-cid?format=raw`)).status).toBe(400);
    const absent = 'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy';
    expect((await fetch(`${url}/ipfs/${absent}?format=raw`)).status).toBe(404);
    expect((await fetch(`${url}/ipfs/${cid}?format=raw`, { method: 'POST' })).status).toBe(405);
  });
});

describe('gateway storage (trustless gateway over loopback)', () => {
  it('reads and decrypts an envelope through the gateway; is read-only', async () => {
    const { storage, cid } = await origin();
    const url = await serve(createTrustlessGatewayHandler(storage));
    const remote = await createGatewayStorage({ gateways: [url], allowInsecure: true, timeout: 10_000 });
    try {
      const record = await loadEnvelope(remote, cid, patient);
      expect(equalBytes(await record.bytes(), data)).toBe(true);
      await expect(remote.put(cid, new Uint8Array(1))).rejects.toThrow(StorageReadOnlyError);
      await expect(remote.pin(cid)).rejects.toThrow(StorageReadOnlyError);
    } finally {
      await remote.close();
    }
  }, 30_000);

  it('rejects a gateway that serves a wrong block', async () => {
    const { storage, cid } = await origin();
    const header = await storage.get(cid);
    const wrong = header.slice();
    wrong[wrong.length - 1]! ^= 1;
    const lying = createTrustlessGatewayHandler({
      ...storage,
      async get() {
        return wrong;
      },
    });
    const url = await serve(lying);
    const remote = await createGatewayStorage({ gateways: [url], allowInsecure: true, timeout: 5_000 });
    try {
      const error = await remote.get(cid).then(
        () => null,
        (e: unknown) => e as Error,
      );
      expect(error?.name).toMatch(/BlockNotFoundError|InvalidBlockError/);
      await expect(loadEnvelope(remote, cid, patient)).rejects.toThrow();
    } finally {
      await remote.close();
    }
  }, 30_000);
});
