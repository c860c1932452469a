import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseWfdbAnnotations, type WfdbAnnotation } from '../src/wfdbAnnotations.js';
import { parseWfdbHeader } from '../src/wfdbHeader.js';
import { readWfdbRecord, type WfdbRecord } from '../src/wfdbSignals.js';

/**
 * The PhysioNet excerpts committed with the package (`test/vectors/physionet`, see its README): what tests read.
 * Cut by `scripts/cut-excerpts.ts`.
 */
export const EXCERPTS_DIR = fileURLToPath(new URL('./vectors/physionet/', import.meta.url));

/**
 * A full corpus (the whole PhysioNet records, laid out as `mitdb/`, `svdb/`, `ptbdb/`) for benchmarks and
 * corpus-wide checks: `$MHR_ECG_CORPUS`, else none. Get one with `./pnpmw fetch-ecg <dir>`.
 */
export const ECG_CORPUS_DIR: string | undefined = process.env.MHR_ECG_CORPUS || undefined;

/** The excerpts: samples per signal and annotated beats of each, as the cutter wrote them in the README. */
export const EXCERPTS: Record<string, { samples: number; beats: number | undefined }> = {
  'mitdb/101': { samples: 324000, beats: 944 },
  'mitdb/106': { samples: 108000, beats: 331 },
  'mitdb/119': { samples: 216000, beats: 659 },
  'mitdb/203': { samples: 108000, beats: 499 },
  'mitdb/208': { samples: 216000, beats: 1013 },
  'svdb/800': { samples: 38400, beats: 314 },
  'ptbdb/s0010_re': { samples: 10000, beats: undefined },
};

/** The 22 non-paced MIT-BIH records of a full corpus (the "DS1" half). */
export const MITDB_NON_PACED = [
  '101', '106', '108', '109', '112', '114', '115', '116', '118', '119', '122', '124', '201', '203', '205', '207',
  '208', '209', '215', '220', '223', '230',
]; // biome-ignore format: table

/** The paced MIT-BIH records of a full corpus. */
export const MITDB_PACED = ['102', '104', '107', '217'];

/** Beat counts of the whole records of a full corpus (from the corpus README). */
export const CORPUS_BEATS: Record<string, number> = {
  '101': 1865, '106': 2027, '108': 1763, '109': 2532, '112': 2539, '114': 1879, '115': 1953, '116': 2412,
  '118': 2278, '119': 1987, '122': 2476, '124': 1619, '201': 1963, '203': 2980, '205': 2656, '207': 1860,
  '208': 2955, '209': 3005, '215': 3363, '220': 2048, '223': 2605, '230': 2256, '102': 2187, '104': 2229,
  '107': 2137, '217': 2208, '800': 1883,
}; // biome-ignore format: table

const sums = new Map<string, Promise<Map<string, string> | undefined>>();

/** A folder's `SHA256SUMS` (file → hex digest); undefined when a corpus folder has none. */
function checksumsOf(directory: string): Promise<Map<string, string> | undefined> {
  let pending = sums.get(directory);
  if (!pending) {
    pending = (async () => {
      const path = join(directory, 'SHA256SUMS');
      if (!existsSync(path)) {
        if (directory === EXCERPTS_DIR) throw new Error(`${path} is missing`);
        return undefined;
      }
      const out = new Map<string, string>();
      for (const line of (await readFile(path, 'utf8')).split('\n')) {
        const m = /^([0-9a-f]{64}) [ *](.+)$/.exec(line.trim());
        if (m) out.set(m[2]!, m[1]!);
      }
      return out;
    })();
    sums.set(directory, pending);
  }
  return pending;
}

/** Reads `directory/file`, checked against the folder's SHA256SUMS (a clear error naming the file if it differs). */
async function readChecked(directory: string, file: string): Promise<Buffer> {
  const [bytes, listed] = await Promise.all([readFile(join(directory, file)), checksumsOf(directory)]);
  if (listed) {
    const expected = listed.get(file);
    if (expected === undefined)
      throw new Error(`${join(directory, file)} is not listed in ${join(directory, 'SHA256SUMS')}`);
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== expected) {
      throw new Error(
        `${join(directory, file)}: SHA-256 ${actual} differs from ${expected} in SHA256SUMS (file changed or damaged)`,
      );
    }
  }
  return bytes;
}

/**
 * Loads a record (`mitdb/101`) with the signals given (default all), from the committed excerpts unless another
 * folder (a full corpus) is given.
 */
export async function loadRecord(path: string, signals?: number[], directory = EXCERPTS_DIR): Promise<WfdbRecord> {
  const folder = path.slice(0, path.lastIndexOf('/') + 1);
  const header = parseWfdbHeader((await readChecked(directory, `${path}.hea`)).toString('utf8'));
  return readWfdbRecord({
    header,
    readFile: (name) => readChecked(directory, folder + name),
    ...(signals ? { signals } : {}),
  });
}

/** Loads a record's reference annotations, from the committed excerpts unless another folder is given. */
export async function loadAnnotations(path: string, directory = EXCERPTS_DIR): Promise<WfdbAnnotation[]> {
  return parseWfdbAnnotations(await readChecked(directory, `${path}.atr`));
}
