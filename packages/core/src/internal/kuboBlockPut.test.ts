import { CID } from 'multiformats/cid';
import * as raw from 'multiformats/codecs/raw';
import { sha256 } from 'multiformats/hashes/sha2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomData } from '../../test/corruptingProxy.js';
import { KuboRpcError } from '../errors.js';
import { type KuboInstance, startKubo } from '../kubo.js';
import { createKuboBlockPut } from './kuboBlockPut.js';

describe('createKuboBlockPut', () => {
  let kubo: KuboInstance;
  beforeAll(async () => {
    kubo = await startKubo();
  });
  afterAll(async () => {
    await kubo?.destroy();
  });

  for (const transport of ['node', 'fetch'] as const)
    it(`${transport}: the node files the block under the CID of its bytes, and a refusal is a KuboRpcError`, async () => {
      const put = createKuboBlockPut(kubo.apiUrl, {}, { transport });
      try {
        // Bytes that contain the multipart delimiter's prefix do not cut the body short.
        const bytes = new Uint8Array([...new TextEncoder().encode('\r\n--mhr-block-\r\n'), ...randomData(300_000)]);
        const cid = CID.createV1(raw.code, await sha256.digest(bytes));
        expect(await put.put(bytes, { 'cid-codec': 'raw', mhtype: 'sha2-256' }, AbortSignal.timeout(10_000))).toBe(
          cid.toString(),
        );
        const stat = await fetch(`${kubo.apiUrl}/api/v0/block/stat?arg=${cid}&offline=true`, { method: 'POST' });
        expect((await stat.json()).Size).toBe(bytes.length);

        // A hash function the node does not know: it answers an error.
        const refused = await put
          .put(randomData(100), { 'cid-codec': 'raw', mhtype: 'no-such-hash' }, AbortSignal.timeout(10_000))
          .catch((e: unknown) => e);
        expect(refused).toBeInstanceOf(KuboRpcError);
        expect((refused as KuboRpcError).details).toMatch(/^HTTP 500: /);
      } finally {
        put.close();
      }
    });
});
