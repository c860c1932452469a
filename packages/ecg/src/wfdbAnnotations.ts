import { InvalidWfdbFileError } from './errors.js';

/** One annotation of a WFDB (MIT format) annotation file. */
export interface WfdbAnnotation {
  /** Sample index (per signal) the annotation refers to. */
  sample: number;
  /** Annotation code (1..49), e.g. 1 for a normal beat. */
  code: number;
  /** Mnemonic of the code, e.g. `N`, `V`, `+`. */
  symbol: string;
  /** Annotation subtype (SUB), 0 unless given. */
  subtype: number;
  /** Signal number (CHN); persists until changed, as in WFDB. */
  channel: number;
  /** Annotator number (NUM); persists until changed, as in WFDB. */
  num: number;
  /** Auxiliary text (AUX), e.g. a rhythm label `(AFIB`, when given. */
  aux: string | undefined;
}

const SYMBOLS: readonly string[] = [
  ' ', 'N', 'L', 'R', 'a', 'V', 'F', 'J', 'A', 'S', 'E', 'j', '/', 'Q', '~', '', '|', '', 's', 'T', '*', 'D', '"',
  '=', 'p', 'B', '^', 't', '+', 'u', '?', '!', '[', ']', 'e', 'n', '@', 'x', 'f', '(', ')', 'r',
]; // biome-ignore format: table

const BEAT_SYMBOLS = new Set([
  'N',
  'L',
  'R',
  'B',
  'A',
  'a',
  'J',
  'S',
  'V',
  'r',
  'F',
  'e',
  'j',
  'n',
  'E',
  '/',
  'f',
  'Q',
  '?',
]);

/**
 * Mnemonic of an MIT annotation code (`N` for 1, `V` for 5...); `[code]` for codes without one.
 *
 * @example
 * ```ts
 * import { annotationSymbol } from '@mhrchain/ecg';
 *
 * annotationSymbol(5); // 'V'
 * ```
 */
export function annotationSymbol(code: number): string {
  const symbol = SYMBOLS[code];
  return symbol ? symbol : `[${code}]`;
}

/**
 * Whether an annotation symbol is a beat (QRS) label as counted by ANSI/AAMI EC57:
 * `N L R B A a J S V r F e j n E / f Q ?`.
 *
 * @example
 * ```ts
 * import { isBeatSymbol } from '@mhrchain/ecg';
 *
 * isBeatSymbol('V'); // true
 * isBeatSymbol('+'); // false (rhythm change)
 * ```
 */
export function isBeatSymbol(symbol: string): boolean {
  return BEAT_SYMBOLS.has(symbol);
}

const SKIP = 59;
const NUM = 60;
const SUB = 61;
const CHN = 62;
const AUX = 63;

/**
 * Parses a WFDB annotation file in MIT format (`.atr`), including SKIP, NUM, SUB, CHN and AUX pseudo-annotations.
 * Truncated input gives a {@link InvalidWfdbFileError}.
 *
 * @example
 * ```ts
 * import { readFile } from 'node:fs/promises';
 * import { isBeatSymbol, parseWfdbAnnotations } from '@mhrchain/ecg';
 *
 * const annotations = parseWfdbAnnotations(await readFile('./mitdb/101.atr'));
 * const beats = annotations.filter((a) => isBeatSymbol(a.symbol)); // 1865 beats
 * ```
 */
export function parseWfdbAnnotations(bytes: Uint8Array): WfdbAnnotation[] {
  const out: WfdbAnnotation[] = [];
  let time = 0;
  let num = 0;
  let channel = 0;
  let current: WfdbAnnotation | undefined;
  let p = 0;
  const word = (): number => {
    if (p + 2 > bytes.length)
      throw new InvalidWfdbFileError('WFDB annotation file is truncated.', { details: `at byte ${p}` });
    const w = bytes[p]! | (bytes[p + 1]! << 8);
    p += 2;
    return w;
  };
  while (p < bytes.length) {
    if (p + 1 === bytes.length)
      throw new InvalidWfdbFileError('WFDB annotation file is truncated.', { details: `at byte ${p}` });
    const w = word();
    const code = w >> 10;
    const value = w & 0x3ff;
    if (code === 0 && value === 0) break;
    switch (code) {
      case SKIP: {
        const high = word();
        const low = word();
        const skip = (high << 16) | low | 0;
        time += skip;
        break;
      }
      case NUM:
        num = value;
        if (current) current.num = num;
        break;
      case SUB:
        if (current) current.subtype = value;
        break;
      case CHN:
        channel = value;
        if (current) current.channel = channel;
        break;
      case AUX: {
        if (p + value > bytes.length) throw new InvalidWfdbFileError('WFDB annotation AUX string is truncated.');
        let end = p;
        while (end < p + value && bytes[end] !== 0) end++;
        const aux = new TextDecoder('latin1').decode(bytes.subarray(p, end));
        p += value + (value & 1);
        if (current) current.aux = aux;
        break;
      }
      default: {
        time += value;
        current = {
          sample: time,
          code,
          symbol: annotationSymbol(code),
          subtype: 0,
          channel,
          num,
          aux: undefined,
        };
        out.push(current);
      }
    }
  }
  return out;
}

/**
 * Ventricular flutter/fibrillation episodes marked in an annotation file (`[` onset to `]` end), as sample
 * intervals `[from, to)`. An episode without an end runs to `Infinity`.
 *
 * @example
 * ```ts
 * import { readFile } from 'node:fs/promises';
 * import { flutterEpisodes, parseWfdbAnnotations } from '@mhrchain/ecg';
 *
 * const episodes = flutterEpisodes(parseWfdbAnnotations(await readFile('./mitdb/207.atr')));
 * // [[14665, 18350], ...]
 * ```
 */
export function flutterEpisodes(annotations: readonly WfdbAnnotation[]): [number, number][] {
  const episodes: [number, number][] = [];
  let onset: number | undefined;
  for (const a of annotations) {
    if (a.symbol === '[' && onset === undefined) onset = a.sample;
    else if (a.symbol === ']' && onset !== undefined) {
      episodes.push([onset, a.sample + 1]);
      onset = undefined;
    }
  }
  if (onset !== undefined) episodes.push([onset, Number.POSITIVE_INFINITY]);
  return episodes;
}
