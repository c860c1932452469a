/**
 * A growing byte buffer written from front to back: the one-shot encoder writes every frame straight into it,
 * so a recording costs one output array rather than one per frame (and no copy to join them).
 */
export class ByteWriter {
  #bytes: Uint8Array;
  /** Bytes written so far. */
  length = 0;

  /** `capacity`: a first guess of the total; the buffer doubles when it is exceeded. */
  constructor(capacity: number) {
    this.#bytes = new Uint8Array(Math.max(64, Math.ceil(capacity)));
  }

  /** The buffer, with room for at least `size` more bytes from {@link length}. */
  reserve(size: number): Uint8Array {
    const needed = this.length + size;
    if (needed > this.#bytes.length) {
      const grown = new Uint8Array(Math.max(needed, 2 * this.#bytes.length));
      grown.set(this.#bytes.subarray(0, this.length));
      this.#bytes = grown;
    }
    return this.#bytes;
  }

  /** Appends `bytes`. */
  append(bytes: Uint8Array): void {
    this.reserve(bytes.length).set(bytes, this.length);
    this.length += bytes.length;
  }

  /** The bytes written, in an array of exactly their length (the buffer itself when it is full). */
  result(): Uint8Array {
    return this.length === this.#bytes.length ? this.#bytes : this.#bytes.slice(0, this.length);
  }
}
