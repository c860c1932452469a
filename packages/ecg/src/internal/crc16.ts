/** CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final xor); check value of "123456789" is 0x29B1. */

/** The remainder of each byte value (one byte through the register), and of each byte followed by a zero byte. */
const [TABLE, TABLE2] = /* @__PURE__ */ (() => {
  const one = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = i << 8;
    for (let b = 0; b < 8; b++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    one[i] = crc;
  }
  const two = new Uint16Array(256);
  for (let i = 0; i < 256; i++) two[i] = ((one[i]! << 8) & 0xffff) ^ one[one[i]! >>> 8]!;
  return [one, two];
})();

/** CRC-16/CCITT-FALSE of `bytes[start..end)`, two bytes per step (the register is linear in its input). */
export function crc16(bytes: Uint8Array, start: number, end: number): number {
  let crc = 0xffff;
  let i = start;
  for (; i + 1 < end; i += 2) {
    const x = crc ^ ((bytes[i]! << 8) | bytes[i + 1]!);
    crc = TABLE2[x >>> 8]! ^ TABLE[x & 0xff]!;
  }
  if (i < end) crc = ((crc << 8) & 0xffff) ^ TABLE[((crc >>> 8) ^ bytes[i]!) & 0xff]!;
  return crc;
}
