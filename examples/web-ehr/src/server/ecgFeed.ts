import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeEcg, parseWfdbHeader, readWfdbRecord } from '@mhrchain/ecg';
import { json, type StorageNodeRoute } from './storageNode.js';

/** Options of {@link createEcgFeedRoute}. */
export interface EcgFeedOptions {
  /** The ECG data folder, holding `mitdb/` (the repository's `packages/ecg/test/vectors/physionet` by default). */
  dataDir: string;
  /** Longest excerpt served, in seconds. Default 120. */
  maxSeconds?: number;
}

const PATH = /^\/ecg\/mitdb\/(\d{3})$/;

/**
 * Plays the patient's wearable: `GET /ecg/mitdb/<record>?from=<s>&seconds=<n>&frame=<samples>` answers an excerpt
 * of lead 0 of a MIT-BIH Arrhythmia record, encoded with the ECG codec (`application/vnd.mhrchain.ecg`, frames of
 * `frame` samples, default a quarter second). The patient's browser decodes it and streams it on, encrypted.
 *
 * @example
 * ```ts
 * const node = await startStorageNode({ directory, routes: [createEcgFeedRoute({ dataDir })] });
 * // GET `${node.url}/ecg/mitdb/101?seconds=10`
 * ```
 */
export function createEcgFeedRoute(options: EcgFeedOptions): StorageNodeRoute {
  const maxSeconds = options.maxSeconds ?? 120;
  return async (request, response, url) => {
    const match = PATH.exec(url.pathname);
    if (!match || request.method !== 'GET') return false;
    const directory = join(options.dataDir, 'mitdb');
    let text: string;
    try {
      text = await readFile(join(directory, `${match[1]}.hea`), 'utf8');
    } catch {
      json(response, 404, { error: `no MIT-BIH record ${match[1]} under ${directory}` });
      return true;
    }
    const header = parseWfdbHeader(text);
    const rate = header.sampleRate;
    const from = Math.max(0, Number(url.searchParams.get('from') ?? 0) || 0);
    const seconds = Math.min(maxSeconds, Math.max(1, Number(url.searchParams.get('seconds') ?? 10) || 10));
    const frameSamples = Math.max(1, Math.round(Number(url.searchParams.get('frame') ?? rate / 4) || rate / 4));
    const record = await readWfdbRecord({ header, readFile: (name) => readFile(join(directory, name)), signals: [0] });
    const start = Math.min(Math.round(from * rate), record.length);
    const end = Math.min(start + Math.round(seconds * rate), record.length);
    const bits = header.signals[0]?.adcResolution || 12;
    const encoded = encodeEcg(record.samples.subarray(start, end), {
      sampleRate: Math.round(rate),
      channels: 1,
      bitDepth: Math.min(24, Math.max(8, bits + 1)),
      frameSamples,
      firstSampleIndex: start,
    });
    response.writeHead(200, {
      'content-type': 'application/vnd.mhrchain.ecg',
      'content-length': encoded.byteLength,
      'x-ecg-gain': String(header.signals[0]?.gain ?? 200),
      'x-ecg-baseline': String(header.signals[0]?.baseline ?? 0),
      'access-control-expose-headers': 'content-type, content-length, x-ecg-gain, x-ecg-baseline',
    });
    response.end(encoded);
    return true;
  };
}
