import { FRAME_BODY_WASM } from './frameBodyWasm.generated.js';

/**
 * The frame body codec compiled to WebAssembly (assembly/frameBody.ts): the same bytes and samples as the
 * JavaScript one in frameBody.ts, about twice as fast. Where WebAssembly cannot run (no `WebAssembly`, a content
 * security policy without `wasm-unsafe-eval`) the functions here return `undefined` and the caller uses the
 * JavaScript codec. Browsers refuse to compile a module this size synchronously on the main thread: there it is
 * compiled in the background on first use, and frames coded before it is ready use the JavaScript codec.
 */

interface FrameBodyExports {
  readonly memory: WebAssembly.Memory;
  readonly heapBase: WebAssembly.Global;
  workBytes(channels: number, n: number): number;
  encodeBody(
    x: number,
    channels: number,
    n: number,
    bitDepth: number,
    out: number,
    capacity: number,
    work: number,
    version: number,
  ): number;
  decodeBody(
    body: number,
    length: number,
    out: number,
    channels: number,
    n: number,
    bitDepth: number,
    work: number,
    version: number,
  ): number;
  pairWorkBytes(channels: number, n: number): number;
  encodeBodies(
    x: number,
    x2: number,
    channels: number,
    n: number,
    bitDepth: number,
    out: number,
    out2: number,
    capacity: number,
    work: number,
    version: number,
  ): number;
  secondBodyLength(): number;
  decodeBodies(
    body: number,
    length: number,
    body2: number,
    length2: number,
    out: number,
    out2: number,
    channels: number,
    n: number,
    bitDepth: number,
    work: number,
    version: number,
  ): number;
}

let enabled = true;
let state: 'idle' | 'compiling' | 'ready' | 'unavailable' = 'idle';
let exports: FrameBodyExports | undefined;

/** Turns the WebAssembly codec on or off (tests compare both); returns the previous setting. */
export function setWasmFrameBody(on: boolean): boolean {
  const previous = enabled;
  enabled = on;
  return previous;
}

/** Whether the WebAssembly codec can run now; like the codec functions, the first call compiles it. */
export function wasmFrameBodyAvailable(): boolean {
  return wasm() !== undefined;
}

/** Whether the WebAssembly codec is compiled and in use (it is compiled on first use). */
export function wasmFrameBodyReady(): boolean {
  return enabled && state === 'ready';
}

function moduleBytes(): Uint8Array<ArrayBuffer> {
  const text = atob(FRAME_BODY_WASM);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

function wasm(): FrameBodyExports | undefined {
  if (!enabled) return undefined;
  if (state === 'ready') return exports;
  if (state !== 'idle') return undefined;
  if (typeof WebAssembly === 'undefined') {
    state = 'unavailable';
    return undefined;
  }
  const binary = moduleBytes();
  try {
    exports = new WebAssembly.Instance(new WebAssembly.Module(binary), {}).exports as unknown as FrameBodyExports;
    state = 'ready';
    return exports;
  } catch {
    state = 'compiling';
    WebAssembly.instantiate(binary, {}).then(
      (result) => {
        exports = result.instance.exports as unknown as FrameBodyExports;
        state = 'ready';
      },
      () => {
        state = 'unavailable';
      },
    );
    return undefined;
  }
}

const align = (x: number) => (x + 15) & ~15;

// Views of the module's memory, made again only when it grows (growing detaches the old buffer).
let buffer: ArrayBuffer | undefined;
let bytes = new Uint8Array(0);
let words = new Int32Array(0);

function reserve(w: FrameBodyExports, size: number): void {
  const missing = size - w.memory.buffer.byteLength;
  if (missing > 0) w.memory.grow(Math.ceil(missing / 65536));
  if (w.memory.buffer !== buffer) {
    buffer = w.memory.buffer;
    bytes = new Uint8Array(buffer);
    words = new Int32Array(buffer);
  }
}

/**
 * Encodes a frame body. Returns the body (a view valid until the next call: copy it at once); or the index of the
 * first sample outside the bit depth (nothing encoded); or `undefined` when WebAssembly is unavailable or the body
 * would exceed 2 bytes per sample.
 */
export function encodeBodyWasm(
  x: Int32Array,
  channels: number,
  n: number,
  bitDepth: number,
  version: number,
): Uint8Array | number | undefined {
  const w = wasm();
  if (!w) return undefined;
  const xAt = align(w.heapBase.value as number);
  const capacity = 64 + 2 * x.length;
  const outAt = align(xAt + 4 * x.length);
  const workAt = align(outAt + capacity);
  reserve(w, workAt + w.workBytes(channels, n));
  words.set(x, xAt >> 2);
  const length = w.encodeBody(xAt, channels, n, bitDepth, outAt, capacity, workAt, version);
  if (length <= -2) return -2 - length;
  if (length < 0) return undefined;
  return bytes.subarray(outAt, outAt + length);
}

/**
 * Decodes the body `source[start, end)` into `out` (`n` sample sets of `channels`): true, or false when the body
 * is corrupt; `undefined` when WebAssembly is unavailable.
 */
export function decodeBodyWasm(
  source: Uint8Array,
  start: number,
  end: number,
  out: Int32Array,
  channels: number,
  n: number,
  bitDepth: number,
  version: number,
): boolean | undefined {
  const w = wasm();
  if (!w) return undefined;
  const bodyAt = align(w.heapBase.value as number);
  const outAt = align(bodyAt + (end - start));
  const workAt = align(outAt + 4 * out.length);
  reserve(w, workAt + w.workBytes(channels, n));
  copyBytes(source, start, end, bodyAt);
  const ok = w.decodeBody(bodyAt, end - start, outAt, channels, n, bitDepth, workAt, version) === 1;
  if (ok) copyWords(outAt >> 2, out.length, out, 0);
  return ok;
}

/** Where the two bodies {@link encodeBodiesWasm} wrote lie in `bytes`, the module's memory. */
export interface WasmBodies {
  bytes: Uint8Array;
  at: number;
  length: number;
  at2: number;
  length2: number;
}
// One result, reused: a recording is coded without an object per frame.
const pair: WasmBodies = { bytes, at: 0, length: 0, at2: 0, length2: 0 };

/**
 * Encodes the bodies of two consecutive frames of the same shape at once (both frames' predictions share the
 * module's two-lane instructions): the frames are `samples[offset, offset + n × channels)` and the same count
 * after it, and each body is what {@link encodeBodyWasm} gives for its frame. `undefined` when the module is not
 * ready, a body does not fit, or a sample is outside the bit depth: the caller then encodes the frames one at a
 * time, which reports the right frame. The result and the bodies it locates are valid until the module's next
 * call.
 */
export function encodeBodiesWasm(
  samples: Int32Array | Int16Array,
  offset: number,
  channels: number,
  n: number,
  bitDepth: number,
  version: number,
): WasmBodies | undefined {
  const w = wasm();
  if (!w) return undefined;
  const count = n * channels;
  const xAt = align(w.heapBase.value as number);
  // The second frame's samples follow the first's, copied in one go.
  const x2At = xAt + 4 * count;
  const capacity = 64 + 2 * count;
  const outAt = align(x2At + 4 * count);
  const out2At = align(outAt + capacity);
  const workAt = align(out2At + capacity);
  reserve(w, workAt + w.pairWorkBytes(channels, n));
  words.set(samples.subarray(offset, offset + 2 * count), xAt >> 2);
  const length = w.encodeBodies(xAt, x2At, channels, n, bitDepth, outAt, out2At, capacity, workAt, version);
  if (length < 0) return undefined;
  pair.bytes = bytes;
  pair.at = outAt;
  pair.length = length;
  pair.at2 = out2At;
  pair.length2 = w.secondBodyLength();
  return pair;
}

/**
 * Decodes the bodies `source[start, end)` and `source[start2, end2)` of two consecutive frames of the same shape at
 * once, into `out` from `outOffset` (the second frame's samples right after the first's). `true` when both decode;
 * `false` when either is corrupt (decode them one at a time to tell which); `undefined` when the module is not
 * ready.
 */
export function decodeBodiesWasm(
  source: Uint8Array,
  start: number,
  end: number,
  start2: number,
  end2: number,
  out: Int32Array,
  outOffset: number,
  channels: number,
  n: number,
  bitDepth: number,
  version: number,
): boolean | undefined {
  const w = wasm();
  if (!w) return undefined;
  const count = n * channels;
  const bodyAt = align(w.heapBase.value as number);
  const body2At = align(bodyAt + (end - start));
  const outAt = align(body2At + (end2 - start2));
  const out2At = align(outAt + 4 * count);
  const workAt = align(out2At + 4 * count);
  reserve(w, workAt + w.pairWorkBytes(channels, n));
  copyBytes(source, start, end, bodyAt);
  copyBytes(source, start2, end2, body2At);
  const ok =
    w.decodeBodies(
      bodyAt,
      end - start,
      body2At,
      end2 - start2,
      outAt,
      out2At,
      channels,
      n,
      bitDepth,
      workAt,
      version,
    ) === 1;
  if (ok) {
    copyWords(outAt >> 2, count, out, outOffset);
    copyWords(out2At >> 2, count, out, outOffset + count);
  }
  return ok;
}

// Copies through `set` over views: two small view objects per call cost less than the element-by-element loop
// (measured about 5 % of a whole decode on MIT-BIH records).
function copyBytes(source: Uint8Array, start: number, end: number, at: number): void {
  bytes.set(source.subarray(start, end), at);
}
function copyWords(from: number, count: number, out: Int32Array, offset: number): void {
  out.set(words.subarray(from, from + count), offset);
}
