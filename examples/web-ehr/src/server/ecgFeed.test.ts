import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeEcg } from '@mhrchain/ecg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEcgFeedRoute } from './ecgFeed.js';
import { ecgDataDir } from './stack.js';
import { type StorageNode, startStorageNode } from './storageNode.js';

describe('ECG feed', () => {
  let directory: string;
  let node: StorageNode;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'mhr-ecg-'));
    node = await startStorageNode({ directory, routes: [createEcgFeedRoute({ dataDir: ecgDataDir() })] });
  });
  afterAll(async () => {
    await node?.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('serves an excerpt of a MIT-BIH record in the ECG codec', async () => {
    const response = await fetch(`${node.url}/ecg/mitdb/101?from=2&seconds=3&frame=90`);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-ecg-gain')).toBe('200');
    const decoded = decodeEcg(new Uint8Array(await response.arrayBuffer()));
    expect(decoded.sampleRate).toBe(360);
    expect(decoded.channels).toBe(1);
    expect(decoded.firstSampleIndex).toBe(720);
    expect(decoded.samples.length).toBe(3 * 360);
    expect(decoded.frames).toHaveLength(12);
    // A real ECG: MIT-BIH samples sit around the ADC zero (1024) and the QRS complexes swing by hundreds of units.
    const min = Math.min(...decoded.samples);
    const max = Math.max(...decoded.samples);
    expect(max - min).toBeGreaterThan(200);
  });

  it('answers 404 for a record that is not there', async () => {
    expect((await fetch(`${node.url}/ecg/mitdb/999`)).status).toBe(404);
  });
});
