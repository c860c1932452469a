/** Constant-time equality of two byte arrays (time depends on the length only). */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** Concatenates byte arrays. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * Frees the memory of `bytes` at once, by detaching its buffer, when the array spans a whole buffer of its own (a
 * cipher output, not a slice of a shared pool); otherwise does nothing. Only for arrays nothing else refers to:
 * memory freed this way is reused by the next allocation instead of waiting for a collection, by which time the
 * allocator may have handed it back to the system (fresh pages are slow to fault in on some machines).
 */
export function releaseBytes(bytes: Uint8Array): void {
  const buffer = bytes.buffer as ArrayBuffer;
  if (bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength && typeof buffer.transfer === 'function')
    buffer.transfer(0);
}

/** Reads a whole Web stream of bytes into one array. */
export async function collectBytes(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const part of iterateStream(stream)) parts.push(part);
  return concatBytes(parts);
}

/** Iterates a Web stream (portable: not every lib typing has `ReadableStream[Symbol.asyncIterator]`). */
export async function* iterateStream<T>(stream: ReadableStream<T>): AsyncGenerator<T> {
  const reader = stream.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        return;
      }
      yield value;
    }
  } catch (error) {
    finished = true;
    throw error;
  } finally {
    if (!finished) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}
