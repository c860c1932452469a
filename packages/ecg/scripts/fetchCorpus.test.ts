import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { fetchCorpus, type ManifestEntry, main, parseManifest } from './fetchCorpus.js';

const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');
const bytes = (length: number, seed: number) => Uint8Array.from({ length }, (_, i) => (i * 31 + seed * 7) & 0xff);
const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

/** How the server answers one request; `undefined` serves the file properly (honouring Range). */
type Behaviour = (request: IncomingMessage, response: ServerResponse, body: Uint8Array, count: number) => boolean;

interface TestServer {
  baseUrl: string;
  requests: { path: string; range: string | undefined }[];
  maxInFlight: number;
}

let server: Server;
let dir: string;

async function serve(files: Record<string, Uint8Array>, behaviours: Record<string, Behaviour> = {}, delayMs = 0) {
  const state: TestServer = { baseUrl: '', requests: [], maxInFlight: 0 };
  let inFlight = 0;
  const counts = new Map<string, number>();
  server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname.replace(/^\/files\//, ''));
    state.requests.push({ path, range: request.headers.range });
    const count = (counts.get(path) ?? 0) + 1;
    counts.set(path, count);
    inFlight += 1;
    state.maxInFlight = Math.max(state.maxInFlight, inFlight);
    response.on('close', () => {
      inFlight -= 1;
    });
    if (delayMs) await new Promise((done) => setTimeout(done, delayMs));
    const body = files[path];
    if (!body) {
      response.writeHead(404).end('not found');
      return;
    }
    if (behaviours[path]?.(request, response, body, count)) return;
    const range = /^bytes=(\d+)-$/.exec(request.headers.range ?? '');
    if (range) {
      const start = Number(range[1]);
      if (start >= body.length) {
        response.writeHead(416, { 'content-range': `bytes */${body.length}` }).end();
        return;
      }
      response
        .writeHead(206, { 'content-range': `bytes ${start}-${body.length - 1}/${body.length}` })
        .end(body.subarray(start));
      return;
    }
    response.writeHead(200, { 'content-length': body.length }).end(body);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  state.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/files/`;
  return state;
}

/** Sends the first half with the full Content-Length, then drops the connection. */
const cutHalfway: Behaviour = (_request, response, body) => {
  response.writeHead(200, { 'content-length': body.length });
  response.write(body.subarray(0, body.length >> 1), () => {
    setTimeout(() => response.socket?.destroy(), 100);
  });
  return true;
};

const entry = (path: string, content: Uint8Array | string): ManifestEntry => ({
  path,
  url: path,
  sha256: sha256(content),
});

const fast = { retryDelayMs: 10, timeoutMs: 5_000, log: () => {} };

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fetch-ecg-'));
});

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((done) => server?.close(done));
  await rm(dir, { recursive: true, force: true });
});

describe('fetchCorpus', () => {
  test('downloads and verifies every file, writes the licence note, leaves no .part', async () => {
    const a = bytes(10_000, 1);
    const b = bytes(3_000, 2);
    const { baseUrl, requests } = await serve({ 'db/1.0.0/a.dat': a, 'db/1.0.0/b.atr': b });
    const manifest = [
      { ...entry('db/a.dat', a), url: 'db/1.0.0/a.dat' },
      { ...entry('db/b.atr', b), url: 'db/1.0.0/b.atr' },
    ];
    const result = await fetchCorpus({ dir, baseUrl, manifest, ...fast });
    expect(result.failed).toEqual([]);
    expect(result.downloaded.sort()).toEqual(['db/a.dat', 'db/b.atr']);
    expect(await readFile(join(dir, 'db/a.dat'))).toEqual(Buffer.from(a));
    expect(await readFile(join(dir, 'db/b.atr'))).toEqual(Buffer.from(b));
    expect(await exists(join(dir, 'db/a.dat.part'))).toBe(false);
    expect(requests.map((r) => r.range)).toEqual([undefined, undefined]);
    const readme = await readFile(join(dir, 'README.md'), 'utf8');
    expect(readme).toContain('ODC-By 1.0');
    expect(readme).toContain('PhysioNet');
    expect(await readFile(join(dir, 'SHA256SUMS'), 'utf8')).toBe(`${sha256(a)}  db/a.dat\n${sha256(b)}  db/b.atr\n`);
  });

  test('a corrupted file: named with expected and got hashes, nothing left of it, the good ones kept, exit 1', async () => {
    const good = bytes(5_000, 3);
    const right = bytes(5_000, 4);
    const served = right.slice();
    served[100]! ^= 1;
    const { baseUrl } = await serve({ 'good.dat': good, 'bad.dat': served });
    const manifestFile = join(dir, 'manifest.txt');
    await writeFile(
      manifestFile,
      `# test manifest\n\n${sha256(good)}  good.dat  good.dat\n${sha256(right)}  bad.dat  bad.dat\n`,
    );
    const target = join(dir, 'corpus');

    const result = await fetchCorpus({ dir: target, baseUrl, manifest: manifestFile, ...fast });
    expect(result.downloaded).toEqual(['good.dat']);
    expect(result.failed).toEqual([
      expect.objectContaining({ path: 'bad.dat', kind: 'hash', expected: sha256(right), got: sha256(served) }),
    ]);
    expect(await exists(join(target, 'bad.dat'))).toBe(false);
    expect(await exists(join(target, 'bad.dat.part'))).toBe(false);
    expect(await readFile(join(target, 'good.dat'))).toEqual(Buffer.from(good));

    // the command line: exit code 1 and a message naming the file with both hashes
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const code = await main([target, '--base-url', baseUrl, '--manifest', manifestFile, '--retries', '0']);
      expect(code).toBe(1);
      const text = stderr.mock.calls.map(([chunk]) => String(chunk)).join('');
      expect(text).toContain('1 already there, 1 failed');
      expect(text).toMatch(new RegExp(`bad\\.dat: SHA-256 mismatch: expected ${sha256(right)}, got ${sha256(served)}`));
    } finally {
      stderr.mockRestore();
    }
    expect(await exists(join(target, 'bad.dat.part'))).toBe(false);
  });

  test('resumes with a Range request after the server cut the connection half-way', async () => {
    const data = bytes(200_000, 5);
    const { baseUrl, requests } = await serve(
      { 'rec.dat': data },
      { 'rec.dat': (request, response, body, count) => count === 1 && cutHalfway(request, response, body, count) },
    );
    const result = await fetchCorpus({ dir, baseUrl, manifest: [entry('rec.dat', data)], ...fast });
    expect(result.failed).toEqual([]);
    expect(requests).toHaveLength(2);
    expect(requests[0]!.range).toBeUndefined();
    const start = Number(/^bytes=(\d+)-$/.exec(requests[1]!.range ?? '')?.[1]);
    expect(start).toBeGreaterThan(0);
    expect(start).toBeLessThan(data.length);
    expect(await readFile(join(dir, 'rec.dat'))).toEqual(Buffer.from(data));
  });

  test('a network failure keeps the .part, and the next run resumes it', async () => {
    const data = bytes(100_000, 6);
    const { baseUrl, requests } = await serve(
      { 'rec.dat': data },
      { 'rec.dat': (request, response, body, count) => count <= 2 && cutHalfway(request, response, body, count) },
    );
    const manifest = [entry('rec.dat', data)];
    const first = await fetchCorpus({ dir, baseUrl, manifest, ...fast, retries: 1 });
    expect(first.failed).toEqual([expect.objectContaining({ path: 'rec.dat', kind: 'network' })]);
    expect(first.failed[0]!.message).toContain('kept: run again to resume');
    expect(await exists(join(dir, 'rec.dat'))).toBe(false);
    const kept = (await stat(join(dir, 'rec.dat.part'))).size;
    expect(kept).toBeGreaterThan(0);

    const second = await fetchCorpus({ dir, baseUrl, manifest, ...fast });
    expect(second.downloaded).toEqual(['rec.dat']);
    expect(requests.at(-1)!.range).toBe(`bytes=${kept}-`);
    expect(await readFile(join(dir, 'rec.dat'))).toEqual(Buffer.from(data));
  });

  test('a server that ignores Range (200) restarts the file from zero', async () => {
    const data = bytes(20_000, 7);
    const { baseUrl, requests } = await serve(
      { 'rec.dat': data },
      {
        'rec.dat': (_request, response, body) => {
          response.writeHead(200, { 'content-length': body.length }).end(body);
          return true;
        },
      },
    );
    await writeFile(join(dir, 'rec.dat.part'), data.subarray(0, 7_000));
    const result = await fetchCorpus({ dir, baseUrl, manifest: [entry('rec.dat', data)], ...fast });
    expect(result.failed).toEqual([]);
    expect(requests).toEqual([{ path: 'rec.dat', range: 'bytes=7000-' }]);
    expect(await readFile(join(dir, 'rec.dat'))).toEqual(Buffer.from(data));
  });

  test('416 for a .part longer than the file: deleted, downloaded again', async () => {
    const data = bytes(4_000, 8);
    const { baseUrl, requests } = await serve({ 'rec.dat': data });
    await writeFile(join(dir, 'rec.dat.part'), bytes(6_000, 9));
    const result = await fetchCorpus({ dir, baseUrl, manifest: [entry('rec.dat', data)], ...fast });
    expect(result.failed).toEqual([]);
    expect(requests.map((r) => r.range)).toEqual(['bytes=6000-', undefined]);
    expect(await readFile(join(dir, 'rec.dat'))).toEqual(Buffer.from(data));
  });

  test('a resumed result that does not verify starts over from zero', async () => {
    const data = bytes(4_000, 10);
    const { baseUrl, requests } = await serve({ 'rec.dat': data });
    await writeFile(join(dir, 'rec.dat.part'), bytes(1_000, 11)); // not this file's first kilobyte
    const result = await fetchCorpus({ dir, baseUrl, manifest: [entry('rec.dat', data)], ...fast });
    expect(result.failed).toEqual([]);
    expect(requests.map((r) => r.range)).toEqual(['bytes=1000-', undefined]);
    expect(await readFile(join(dir, 'rec.dat'))).toEqual(Buffer.from(data));
  });

  test('files already there with the right hash are not downloaded again; a wrong one is', async () => {
    const a = bytes(8_000, 12);
    const b = bytes(8_000, 13);
    const { baseUrl, requests } = await serve({ 'a.dat': a, 'b.dat': b });
    const manifest = [entry('a.dat', a), entry('b.dat', b)];
    await fetchCorpus({ dir, baseUrl, manifest, ...fast });
    expect(requests).toHaveLength(2);

    const again = await fetchCorpus({ dir, baseUrl, manifest, ...fast });
    expect(again.skipped.sort()).toEqual(['a.dat', 'b.dat']);
    expect(again.downloaded).toEqual([]);
    expect(requests).toHaveLength(2);

    await writeFile(join(dir, 'b.dat'), 'damaged');
    const repaired = await fetchCorpus({ dir, baseUrl, manifest, ...fast });
    expect(repaired.skipped).toEqual(['a.dat']);
    expect(repaired.downloaded).toEqual(['b.dat']);
    expect(requests).toHaveLength(3);
    expect(await readFile(join(dir, 'b.dat'))).toEqual(Buffer.from(b));
  });

  test('.hea headers served with CRLF are written and hashed with LF line ends', async () => {
    const crlf =
      '800 2 128 230400\r\n800.dat 212 200 10 0 -101 -25183 0 ECG\r\n800.dat 212 200 10 0 123 10510 0 ECG\r\n';
    const lf = crlf.replaceAll('\r\n', '\n');
    const { baseUrl } = await serve({ 'svdb/1.0.0/800.hea': new TextEncoder().encode(crlf) });
    const manifest = [{ ...entry('svdb/800.hea', lf), url: 'svdb/1.0.0/800.hea' }];
    const result = await fetchCorpus({ dir, baseUrl, manifest, ...fast });
    expect(result.failed).toEqual([]);
    expect(await readFile(join(dir, 'svdb/800.hea'), 'utf8')).toBe(lf);

    // and it counts as complete on the next run
    const again = await fetchCorpus({ dir, baseUrl, manifest, ...fast });
    expect(again.skipped).toEqual(['svdb/800.hea']);
  });

  test('transient errors are retried; 404 is not; a silent server times out', async () => {
    const ok = bytes(2_000, 14);
    const slow = bytes(2_000, 15);
    const { baseUrl, requests } = await serve(
      { 'flaky.dat': ok, 'slow.dat': slow },
      {
        'flaky.dat': (_request, response, _body, count) => {
          if (count > 2) return false;
          response.writeHead(503).end();
          return true;
        },
        'slow.dat': () => true, // never answers
      },
    );
    const result = await fetchCorpus({
      dir,
      baseUrl,
      manifest: [entry('flaky.dat', ok), entry('missing.dat', ok), entry('slow.dat', slow)],
      ...fast,
      retries: 2,
      timeoutMs: 200,
    });
    expect(result.downloaded).toEqual(['flaky.dat']);
    const byPath = Object.fromEntries(result.failed.map((f) => [f.path, f]));
    expect(byPath['missing.dat']).toMatchObject({ kind: 'network', message: expect.stringContaining('HTTP 404') });
    expect(byPath['slow.dat']).toMatchObject({
      kind: 'network',
      message: expect.stringContaining('no data for 200 ms'),
    });
    const count = (path: string) => requests.filter((r) => r.path === path).length;
    expect([count('flaky.dat'), count('missing.dat'), count('slow.dat')]).toEqual([3, 1, 3]);
  });

  test('at most `concurrency` downloads at once', async () => {
    const files = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`f${i}.dat`, bytes(1_000, i)]));
    const state = await serve(files, {}, 30);
    const manifest = Object.entries(files).map(([path, content]) => entry(path, content));
    const result = await fetchCorpus({ dir, baseUrl: state.baseUrl, manifest, ...fast, concurrency: 3 });
    expect(result.downloaded).toHaveLength(8);
    expect(state.requests).toHaveLength(8);
    expect(state.maxInFlight).toBe(3);
  });
});

describe('the committed manifest', () => {
  test('lists the 83 files of the corpus with their PhysioNet paths', async () => {
    const manifest = parseManifest(await readFile(new URL('corpus-manifest.txt', import.meta.url), 'utf8'));
    expect(manifest).toHaveLength(26 * 3 + 3 + 2);
    expect(new Set(manifest.map((e) => e.path)).size).toBe(manifest.length);
    expect(manifest).toContainEqual(expect.objectContaining({ path: 'mitdb/101.dat', url: 'mitdb/1.0.0/101.dat' }));
    expect(manifest).toContainEqual(expect.objectContaining({ path: 'svdb/800.atr', url: 'svdb/1.0.0/800.atr' }));
    expect(manifest).toContainEqual(
      expect.objectContaining({ path: 'ptbdb/s0010_re.hea', url: 'ptbdb/1.0.0/patient001/s0010_re.hea' }),
    );
  });

  test('rejects malformed lines and paths leaving the folder', () => {
    expect(() => parseManifest('abc  a.dat  a.dat')).toThrow(/line 1/);
    expect(() => parseManifest(`${'0'.repeat(64)}  ../a.dat  a.dat`)).toThrow(/inside the corpus folder/);
  });
});
