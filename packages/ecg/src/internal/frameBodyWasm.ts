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
  ): number;
  decodeBody(
    body: number,
    length: number,
    out: number,
    channels: number,
    n: number,
    bitDepth: number,
    work: number,
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
  try {
    exports = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes()), {})
      .exports as unknown as FrameBodyExports;
    state = 'ready';
    return exports;
  } catch {
    state = 'compiling';
    WebAssembly.instantiate(moduleBytes(), {}).then(
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

function reserve(memory: WebAssembly.Memory, bytes: number): void {
  const missing = bytes - memory.buffer.byteLength;
  if (missing > 0) memory.grow(Math.ceil(missing / 65536));
}

/**
 * Encodes a frame body. Returns the body; or the index of the first sample outside the bit depth (nothing encoded);
 * or `undefined` when WebAssembly is unavailable or the body would exceed 2 bytes per sample.
 */
export function encodeBodyWasm(
  x: Int32Array,
  channels: number,
  n: number,
  bitDepth: number,
): Uint8Array | number | undefined {
  const w = wasm();
  if (!w) return undefined;
  const xAt = align(w.heapBase.value as number);
  const capacity = 64 + 2 * x.length;
  const outAt = align(xAt + 4 * x.length);
  const workAt = align(outAt + capacity);
  reserve(w.memory, workAt + w.workBytes(channels, n));
  new Int32Array(w.memory.buffer, xAt, x.length).set(x);
  const length = w.encodeBody(xAt, channels, n, bitDepth, outAt, capacity, workAt);
  if (length <= -2) return -2 - length;
  if (length < 0) return undefined;
  return new Uint8Array(w.memory.buffer, outAt, length).slice();
}

/**
 * Decodes the body `bytes[start, end)` into `out` (`n` sample sets of `channels`): true, or false when a sample
 * falls outside the bit depth; `undefined` when WebAssembly is unavailable.
 */
export function decodeBodyWasm(
  bytes: Uint8Array,
  start: number,
  end: number,
  out: Int32Array,
  channels: number,
  n: number,
  bitDepth: number,
): boolean | undefined {
  const w = wasm();
  if (!w) return undefined;
  const bodyAt = align(w.heapBase.value as number);
  const outAt = align(bodyAt + (end - start));
  const workAt = align(outAt + 4 * out.length);
  reserve(w.memory, workAt + w.workBytes(channels, n));
  new Uint8Array(w.memory.buffer, bodyAt, end - start).set(bytes.subarray(start, end));
  const ok = w.decodeBody(bodyAt, end - start, outAt, channels, n, bitDepth, workAt) === 1;
  out.set(new Int32Array(w.memory.buffer, outAt, out.length));
  return ok;
}
