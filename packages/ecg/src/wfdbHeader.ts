import { InvalidWfdbFileError } from './errors.js';

/** One signal line of a WFDB header. */
export interface WfdbSignalSpec {
  /** Name of the file that holds the signal (several signals may share a file, interleaved). */
  fileName: string;
  /** Storage format: 212 (two 12-bit samples in 3 bytes) or 16 (16-bit little-endian) are readable. */
  format: number;
  /** Samples per frame (for multi-rate records); 1 for ordinary records. */
  samplesPerFrame: number;
  /** Byte offset of the first sample in the file. */
  byteOffset: number;
  /** ADC units per physical unit (200 adu/mV for MIT-BIH). */
  gain: number;
  /** ADC value that corresponds to 0 physical units. */
  baseline: number;
  /** Physical unit, `mV` by default. */
  units: string;
  /** ADC resolution in bits. */
  adcResolution: number;
  /** ADC value at mid-range input. */
  adcZero: number;
  /** Value of the first sample, when given. */
  initialValue: number | undefined;
  /** 16-bit checksum of all samples, when given. */
  checksum: number | undefined;
  /** Signal description (lead name), e.g. `MLII`. */
  description: string;
}

/** A parsed WFDB header (`.hea`). */
export interface WfdbHeader {
  /** Record name. */
  recordName: string;
  /** Number of signals. */
  signalCount: number;
  /** Sampling frequency in Hz (per signal, per frame). */
  sampleRate: number;
  /** Samples per signal, when given. */
  sampleCount: number | undefined;
  /** Base time as written (`hh:mm:ss`), when given. */
  baseTime: string | undefined;
  /** Base date as written (`dd/mm/yyyy`), when given. */
  baseDate: string | undefined;
  /** One entry per signal, in header order. */
  signals: WfdbSignalSpec[];
  /** Comment lines (without the leading `#`). */
  comments: string[];
}

function num(text: string, what: string): number {
  const value = Number(text);
  if (text === '' || !Number.isFinite(value))
    throw new InvalidWfdbFileError(`Invalid ${what} in WFDB header.`, { details: text });
  return value;
}

function int(text: string, what: string): number {
  const value = num(text, what);
  if (!Number.isInteger(value)) throw new InvalidWfdbFileError(`Invalid ${what} in WFDB header.`, { details: text });
  return value;
}

/**
 * Parses a WFDB header (`.hea` text, LF or CRLF). Multi-segment records are rejected.
 *
 * @example
 * ```ts
 * import { parseWfdbHeader } from '@mhrchain/ecg';
 *
 * const header = parseWfdbHeader('100 1 360 3\n100.dat 212 200 11 1024 995 0 0 MLII\n');
 * header.sampleRate; // 360
 * header.signals[0]?.gain; // 200
 * ```
 */
export function parseWfdbHeader(text: string): WfdbHeader {
  const comments: string[] = [];
  const lines: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '') continue;
    if (line.startsWith('#')) {
      comments.push(line.slice(1).trim());
      continue;
    }
    lines.push(line);
  }
  const recordLine = lines[0];
  if (recordLine === undefined) throw new InvalidWfdbFileError('WFDB header has no record line.');
  const fields = recordLine.split(/\s+/);
  const [nameField = '', countField = ''] = fields;
  if (nameField.includes('/'))
    throw new InvalidWfdbFileError('Multi-segment WFDB records are not supported.', { details: nameField });
  const signalCount = int(countField, 'signal count');
  if (signalCount < 0) throw new InvalidWfdbFileError('Negative signal count in WFDB header.');
  let sampleRate = 250;
  if (fields[2] !== undefined) {
    const freq = fields[2].split('/')[0] ?? '';
    sampleRate = num(freq, 'sampling frequency');
    if (sampleRate <= 0)
      throw new InvalidWfdbFileError('Non-positive sampling frequency in WFDB header.', { details: freq });
  }
  const sampleCount = fields[3] !== undefined ? int(fields[3], 'sample count') : undefined;
  if (lines.length - 1 < signalCount) {
    throw new InvalidWfdbFileError('WFDB header has fewer signal lines than signals.', {
      details: `${lines.length - 1} < ${signalCount}`,
    });
  }
  const signals: WfdbSignalSpec[] = [];
  for (let i = 0; i < signalCount; i++) {
    const parts = (lines[i + 1] ?? '').split(/\s+/);
    const fileName = parts[0] ?? '';
    const fmt = /^(\d+)(?:x(\d+))?(?::(-?\d+))?(?:\+(\d+))?$/.exec(parts[1] ?? '');
    if (!fmt) throw new InvalidWfdbFileError('Invalid signal format in WFDB header.', { details: parts[1] });
    let gain = 200;
    let baseline: number | undefined;
    let units = 'mV';
    if (parts[2] !== undefined) {
      const g = /^([-+0-9.eE]+)(?:\((-?\d+)\))?(?:\/(\S+))?$/.exec(parts[2]);
      if (!g) throw new InvalidWfdbFileError('Invalid gain in WFDB header.', { details: parts[2] });
      gain = num(g[1] ?? '', 'gain');
      if (gain === 0) gain = 200;
      if (g[2] !== undefined) baseline = int(g[2], 'baseline');
      if (g[3] !== undefined) units = g[3];
    }
    const adcResolution = parts[3] !== undefined ? int(parts[3], 'ADC resolution') : 12;
    const adcZero = parts[4] !== undefined ? int(parts[4], 'ADC zero') : 0;
    signals.push({
      fileName,
      format: Number(fmt[1]),
      samplesPerFrame: fmt[2] !== undefined ? Math.max(1, Number(fmt[2])) : 1,
      byteOffset: fmt[4] !== undefined ? Number(fmt[4]) : 0,
      gain,
      baseline: baseline ?? adcZero,
      units,
      adcResolution,
      adcZero,
      initialValue: parts[5] !== undefined ? int(parts[5], 'initial value') : undefined,
      checksum: parts[6] !== undefined ? int(parts[6], 'checksum') : undefined,
      description: parts.slice(8).join(' '),
    });
  }
  return {
    recordName: nameField,
    signalCount,
    sampleRate,
    sampleCount,
    baseTime: fields[4],
    baseDate: fields[5],
    signals,
    comments,
  };
}
