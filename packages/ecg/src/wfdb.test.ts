import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXCERPTS, EXCERPTS_DIR, loadAnnotations, loadRecord } from '../test/data.js';
import { InvalidWfdbFileError } from './errors.js';
import { annotationSymbol, isBeatSymbol, parseWfdbAnnotations } from './wfdbAnnotations.js';
import { parseWfdbHeader } from './wfdbHeader.js';
import { decodeWfdbSignalFile, readWfdbRecord } from './wfdbSignals.js';

describe('parseWfdbHeader', () => {
  it('parses record and signal lines, CRLF and comments', () => {
    const h = parseWfdbHeader(
      '# leading\r\n100 2 360 650000 12:00:00 01/01/2000\r\n100.dat 212 200 11 1024 995 -22131 0 MLII\r\n' +
        '100.dat 212+0 150(10)/uV 11 1024 1011 20052 0 V5 lead\r\n# Age: 69\r\n',
    );
    expect(h).toMatchObject({ recordName: '100', signalCount: 2, sampleRate: 360, sampleCount: 650000 });
    expect(h.baseTime).toBe('12:00:00');
    expect(h.signals[0]).toMatchObject({
      format: 212,
      gain: 200,
      baseline: 1024,
      adcResolution: 11,
      description: 'MLII',
    });
    expect(h.signals[1]).toMatchObject({
      gain: 150,
      baseline: 10,
      units: 'uV',
      description: 'V5 lead',
      checksum: 20052,
    });
    expect(h.comments).toEqual(['leading', 'Age: 69']);
  });

  it('rejects malformed headers with InvalidWfdbFileError', () => {
    for (const text of [
      '',
      '100 x 360',
      '100 2 360\n100.dat 212\n',
      '100/2 2 360',
      '100 1 -5\na.dat 212',
      '100 1 360\na.dat zz',
    ]) {
      expect(() => parseWfdbHeader(text)).toThrow(InvalidWfdbFileError);
    }
  });
});

describe('decodeWfdbSignalFile', () => {
  it('unpacks format 212 with sign extension and an odd trailing sample', () => {
    const bytes = new Uint8Array([0x23, 0xf1, 0xff, 0x00, 0x08, 0x7f]);
    expect(Array.from(decodeWfdbSignalFile(bytes, { format: 212, signalCount: 2 }))).toEqual([0x123, -1, -2048, 0x7f]);
    expect(Array.from(decodeWfdbSignalFile(bytes, { format: 212, signalCount: 1 }))).toEqual([0x123, -1, -2048, 0x7f]);
    expect(Array.from(decodeWfdbSignalFile(bytes, { format: 212, signalCount: 3 }))).toEqual([0x123, -1, -2048]);
  });

  it('unpacks format 16 little-endian with offset', () => {
    const bytes = new Uint8Array([9, 9, 0x01, 0x80, 0xff, 0x7f]);
    expect(Array.from(decodeWfdbSignalFile(bytes, { format: 16, signalCount: 1, byteOffset: 2 }))).toEqual([
      -32767, 32767,
    ]);
  });

  it('rejects unsupported formats and offsets', () => {
    expect(() => decodeWfdbSignalFile(new Uint8Array(4), { format: 310, signalCount: 1 })).toThrow(
      InvalidWfdbFileError,
    );
    expect(() => decodeWfdbSignalFile(new Uint8Array(4), { format: 16, signalCount: 1, byteOffset: 9 })).toThrow(
      InvalidWfdbFileError,
    );
  });
});

describe('parseWfdbAnnotations', () => {
  const word = (code: number, value: number) => [value & 0xff, (code << 2) | (value >> 8)];
  it('handles SKIP, NUM, SUB, CHN and AUX', () => {
    const bytes = new Uint8Array([
      ...word(1, 100), // N at 100
      ...word(61, 3), // SUB 3
      ...word(59, 0),
      0x01,
      0x00,
      0x00,
      0x00, // SKIP 65536 (high word first)
      ...word(5, 4), // V at 100 + 65536 + 4
      ...word(62, 1), // CHN 1
      ...word(60, 2), // NUM 2
      ...word(28, 10), // + at ... + 10
      ...word(63, 5),
      0x28,
      0x41,
      0x46,
      0x49,
      0x42,
      0x00, // AUX "(AFIB" padded
      ...word(1, 1), // N, inherits chan 1 and num 2
      0,
      0,
    ]);
    const a = parseWfdbAnnotations(bytes);
    expect(a.map((x) => [x.sample, x.symbol, x.subtype, x.channel, x.num, x.aux])).toEqual([
      [100, 'N', 3, 0, 0, undefined],
      [65640, 'V', 0, 1, 2, undefined],
      [65650, '+', 0, 1, 2, '(AFIB'],
      [65651, 'N', 0, 1, 2, undefined],
    ]);
  });

  it('rejects truncated files', () => {
    expect(() => parseWfdbAnnotations(new Uint8Array([1]))).toThrow(InvalidWfdbFileError);
    expect(() => parseWfdbAnnotations(new Uint8Array([0, 0xec, 1, 0]))).toThrow(InvalidWfdbFileError);
    expect(() => parseWfdbAnnotations(new Uint8Array([5, 0xfc, 0x41]))).toThrow(InvalidWfdbFileError);
  });

  it('names codes', () => {
    expect(annotationSymbol(1)).toBe('N');
    expect(annotationSymbol(12)).toBe('/');
    expect(annotationSymbol(99)).toBe('[99]');
    expect(isBeatSymbol('/')).toBe(true);
    expect(isBeatSymbol('~')).toBe(false);
  });
});

describe('real PhysioNet records', () => {
  it('counts the beats of every excerpt that the excerpts README lists', async () => {
    const readme = await readFile(join(EXCERPTS_DIR, 'README.md'), 'utf8');
    for (const [path, { beats }] of Object.entries(EXCERPTS)) {
      if (beats === undefined) continue;
      const counted = (await loadAnnotations(path)).filter((a) => isBeatSymbol(a.symbol)).length;
      expect(counted, path).toBe(beats);
      expect(readme, path).toMatch(new RegExp(`\\| \`${path}\` \\|[^\\n]* \\| ${beats} \\|`));
    }
  });

  it('reads format 212 records with checksums and initial values verified', async () => {
    const record = await loadRecord('mitdb/101');
    expect(record.channels).toBe(2);
    expect(record.length).toBe(EXCERPTS['mitdb/101']!.samples); // 15 minutes
    expect(Array.from(record.samples.subarray(0, 2))).toEqual([955, 992]);
    const svdb = await loadRecord('svdb/800');
    expect(svdb.header.sampleRate).toBe(128);
    expect(svdb.length).toBe(EXCERPTS['svdb/800']!.samples); // 5 minutes
    for (const [path, { samples }] of Object.entries(EXCERPTS)) {
      const signals = path.startsWith('ptbdb') ? [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] : undefined;
      expect((await loadRecord(path, signals)).length, path).toBe(samples);
    }
  });

  it('reads a selection of format 16 signals (15-lead PTB record, .dat file only)', async () => {
    const record = await loadRecord('ptbdb/s0010_re', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(record.channels).toBe(12);
    expect(record.header.signalCount).toBe(15);
    expect(record.length).toBe(10000); // 10 s
    expect(Array.from(record.samples.subarray(0, 3))).toEqual([-489, -458, 31]);
  });

  it('refuses an excerpt whose bytes differ from SHA256SUMS, naming the file', async () => {
    const copy = await mkdtemp(join(tmpdir(), 'ecg-excerpts-'));
    try {
      await cp(EXCERPTS_DIR, copy, { recursive: true });
      const dat = join(copy, 'mitdb/101.dat');
      const bytes = await readFile(dat);
      bytes[1000] = bytes[1000]! ^ 1;
      await writeFile(dat, bytes);
      await expect(loadRecord('mitdb/101', undefined, copy)).rejects.toThrow(
        /mitdb\/101\.dat: SHA-256 [0-9a-f]{64} differs/,
      );
      await expect(loadAnnotations('mitdb/101', copy)).resolves.toHaveLength(
        (await loadAnnotations('mitdb/101')).length,
      );
    } finally {
      await rm(copy, { recursive: true, force: true });
    }
  });

  it('detects a corrupted signal file by checksum', async () => {
    const header = parseWfdbHeader('r 1 360 4\nr.dat 16 200 12 0 1 4 0 x\n');
    const ok = new Uint8Array([1, 0, 1, 0, 1, 0, 1, 0]);
    await expect(readWfdbRecord({ header, readFile: () => ok })).resolves.toMatchObject({ length: 4 });
    const bad = new Uint8Array([1, 0, 1, 0, 2, 0, 1, 0]);
    await expect(readWfdbRecord({ header, readFile: () => bad })).rejects.toThrow(InvalidWfdbFileError);
  });
});
