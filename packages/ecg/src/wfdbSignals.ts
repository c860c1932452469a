import { InvalidWfdbFileError } from './errors.js';
import type { WfdbHeader } from './wfdbHeader.js';

/** Parameters of {@link decodeWfdbSignalFile}. */
export interface DecodeWfdbSignalFileParameters {
  /** Storage format: 212 or 16. */
  format: number;
  /** Number of signals interleaved in the file. */
  signalCount: number;
  /** Bytes to skip at the start of the file. */
  byteOffset?: number;
}

/**
 * Decodes one WFDB signal file (format 212 or 16) into interleaved samples (`[s0 c0, s0 c1, s1 c0, ...]`).
 * A trailing incomplete frame is dropped.
 *
 * @example
 * ```ts
 * import { decodeWfdbSignalFile } from '@mhrchain/ecg';
 *
 * // Two 12-bit samples, 0x123 and -1, packed in format 212.
 * const samples = decodeWfdbSignalFile(new Uint8Array([0x23, 0xf1, 0xff]), { format: 212, signalCount: 2 });
 * // Int32Array [291, -1]
 * ```
 */
export function decodeWfdbSignalFile(bytes: Uint8Array, parameters: DecodeWfdbSignalFileParameters): Int32Array {
  const { format, signalCount } = parameters;
  const offset = parameters.byteOffset ?? 0;
  if (!Number.isInteger(signalCount) || signalCount < 1) {
    throw new InvalidWfdbFileError('A WFDB signal file needs at least one signal.', { details: String(signalCount) });
  }
  if (offset < 0 || offset > bytes.length) throw new InvalidWfdbFileError('WFDB byte offset lies outside the file.');
  const available = bytes.length - offset;
  if (format === 16) {
    const frames = Math.floor(available / 2 / signalCount);
    const out = new Int32Array(frames * signalCount);
    for (let i = 0, p = offset; i < out.length; i++, p += 2) {
      out[i] = ((bytes[p]! | (bytes[p + 1]! << 8)) << 16) >> 16;
    }
    return out;
  }
  if (format === 212) {
    const total = Math.floor((available * 2) / 3);
    const frames = Math.floor(total / signalCount);
    const out = new Int32Array(frames * signalCount);
    const n = out.length;
    let p = offset;
    let i = 0;
    for (; i + 1 < n; i += 2, p += 3) {
      const b0 = bytes[p]!;
      const b1 = bytes[p + 1]!;
      const b2 = bytes[p + 2]!;
      out[i] = ((b0 | ((b1 & 0x0f) << 8)) << 20) >> 20;
      out[i + 1] = ((b2 | ((b1 & 0xf0) << 4)) << 20) >> 20;
    }
    if (i < n) out[i] = ((bytes[p]! | ((bytes[p + 1]! & 0x0f) << 8)) << 20) >> 20;
    return out;
  }
  throw new InvalidWfdbFileError('Unsupported WFDB signal format (212 and 16 are supported).', {
    details: String(format),
  });
}

/** A WFDB record's samples, all signals interleaved. */
export interface WfdbRecord {
  /** The parsed header. */
  header: WfdbHeader;
  /** Number of channels (signals). */
  channels: number;
  /** Samples per channel. */
  length: number;
  /** Interleaved samples in ADC units: `samples[t * channels + c]`. */
  samples: Int32Array;
}

/** Parameters of {@link readWfdbRecord}. */
export interface ReadWfdbRecordParameters {
  /** The parsed header. */
  header: WfdbHeader;
  /** Returns the bytes of a signal file named in the header (from disk, fetch, a zip...). */
  readFile: (fileName: string) => Uint8Array | Promise<Uint8Array>;
  /** Indices of the signals to read (default: all), e.g. `[0, 1]`; files of other signals are not read. */
  signals?: readonly number[];
}

/**
 * Reads every signal of a single-segment WFDB record, across one or more signal files, and checks each signal's
 * checksum and initial value when the header gives them.
 *
 * @example
 * ```ts
 * import { readFile } from 'node:fs/promises';
 * import { parseWfdbHeader, readWfdbRecord } from '@mhrchain/ecg';
 *
 * const dir = './mitdb/';
 * const header = parseWfdbHeader(await readFile(`${dir}100.hea`, 'utf8'));
 * const record = await readWfdbRecord({ header, readFile: (name) => readFile(dir + name) });
 * record.samples.length; // 2 * 650000
 * ```
 */
export async function readWfdbRecord(parameters: ReadWfdbRecordParameters): Promise<WfdbRecord> {
  const { header } = parameters;
  const selected = parameters.signals ?? header.signals.map((_, index) => index);
  for (const index of selected) {
    if (!Number.isInteger(index) || index < 0 || index >= header.signalCount) {
      throw new InvalidWfdbFileError('Requested WFDB signal does not exist.', { details: String(index) });
    }
  }
  const channels = selected.length;
  const groups = new Map<string, number[]>();
  header.signals.forEach((signal, index) => {
    if (!selected.includes(index)) return;
    if (signal.samplesPerFrame !== 1) {
      throw new InvalidWfdbFileError('Multi-frequency WFDB records are not supported.', { details: signal.fileName });
    }
    const group = groups.get(signal.fileName) ?? [];
    group.push(index);
    groups.set(signal.fileName, group);
  });
  const decoded: { indices: number[]; data: Int32Array; length: number }[] = [];
  let length = header.sampleCount && header.sampleCount > 0 ? header.sampleCount : Number.POSITIVE_INFINITY;
  for (const [fileName, indices] of groups) {
    const first = header.signals[indices[0]!]!;
    for (const index of indices) {
      const s = header.signals[index]!;
      if (s.format !== first.format || s.byteOffset !== first.byteOffset) {
        throw new InvalidWfdbFileError('Signals sharing a WFDB file must share format and offset.', {
          details: fileName,
        });
      }
    }
    const bytes = await parameters.readFile(fileName);
    const inFile = header.signals.filter((s) => s.fileName === fileName).length;
    const data = decodeWfdbSignalFile(bytes, {
      format: first.format,
      signalCount: inFile,
      byteOffset: first.byteOffset,
    });
    const fileLength = data.length / inFile;
    if (header.sampleCount && fileLength < header.sampleCount) {
      throw new InvalidWfdbFileError('WFDB signal file is shorter than the header says.', {
        details: `${fileName}: ${fileLength}`,
      });
    }
    length = Math.min(length, fileLength);
    decoded.push({ indices, data, length: fileLength });
  }
  if (!Number.isFinite(length)) length = 0;
  const samples = new Int32Array(length * channels);
  for (const { indices, data } of decoded) {
    const fileName = header.signals[indices[0]!]!.fileName;
    const inFile = header.signals.flatMap((s, i) => (s.fileName === fileName ? [i] : []));
    const k = inFile.length;
    indices.forEach((signal) => {
      const j = inFile.indexOf(signal);
      const channel = selected.indexOf(signal);
      const spec = header.signals[signal]!;
      let sum = 0;
      for (let t = 0; t < length; t++) {
        const v = data[t * k + j]!;
        samples[t * channels + channel] = v;
        sum = (sum + v) | 0;
      }
      if (spec.checksum !== undefined && (sum & 0xffff) !== (spec.checksum & 0xffff)) {
        throw new InvalidWfdbFileError('WFDB signal checksum mismatch.', {
          details: `${spec.fileName} signal ${signal}`,
        });
      }
      if (spec.initialValue !== undefined && length > 0 && data[j] !== spec.initialValue) {
        throw new InvalidWfdbFileError('WFDB signal initial value mismatch.', {
          details: `${spec.fileName} signal ${signal}`,
        });
      }
    });
  }
  return { header, channels, length, samples };
}
