import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseWfdbAnnotations, type WfdbAnnotation } from '../src/wfdbAnnotations.js';
import { parseWfdbHeader } from '../src/wfdbHeader.js';
import { readWfdbRecord, type WfdbRecord } from '../src/wfdbSignals.js';

/** The shared ECG data folder, resolved from the repository root (`../shared/data/ecg`). */
export const ECG_DATA_DIR = fileURLToPath(new URL('../../../../shared/data/ecg/', import.meta.url));

/** The 22 non-paced MIT-BIH records in the data folder. */
export const MITDB_NON_PACED = [
  '101', '106', '108', '109', '112', '114', '115', '116', '118', '119', '122', '124', '201', '203', '205', '207',
  '208', '209', '215', '220', '223', '230',
]; // biome-ignore format: table

/** The paced MIT-BIH records. */
export const MITDB_PACED = ['102', '104', '107', '217'];

/** Beat counts from the data README. */
export const README_BEATS: Record<string, number> = {
  '101': 1865, '106': 2027, '108': 1763, '109': 2532, '112': 2539, '114': 1879, '115': 1953, '116': 2412,
  '118': 2278, '119': 1987, '122': 2476, '124': 1619, '201': 1963, '203': 2980, '205': 2656, '207': 1860,
  '208': 2955, '209': 3005, '215': 3363, '220': 2048, '223': 2605, '230': 2256, '102': 2187, '104': 2229,
  '107': 2137, '217': 2208, '800': 1883,
}; // biome-ignore format: table

/** Loads a record (`mitdb/101`) with the signals given (default all). */
export async function loadRecord(path: string, signals?: number[]): Promise<WfdbRecord> {
  const dir = ECG_DATA_DIR + path.slice(0, path.lastIndexOf('/') + 1);
  const header = parseWfdbHeader(await readFile(`${ECG_DATA_DIR}${path}.hea`, 'utf8'));
  return readWfdbRecord({
    header,
    readFile: (name) => readFile(dir + name),
    ...(signals ? { signals } : {}),
  });
}

/** Loads a record's reference annotations. */
export async function loadAnnotations(path: string): Promise<WfdbAnnotation[]> {
  return parseWfdbAnnotations(await readFile(`${ECG_DATA_DIR}${path}.atr`));
}
