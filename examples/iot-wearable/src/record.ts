import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseWfdbHeader, readWfdbRecord, type WfdbRecord } from '@mhrchain/ecg';

/** The repository root. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * The ECG recordings: `$MHR_ECG_DATA` (a folder holding `mitdb/`), else the PhysioNet excerpts committed in the
 * repository (`packages/ecg/test/vectors/physionet`: MIT-BIH 101 for 15 minutes, 106, 119, 203, 208 for 5 to 10).
 */
export const ECG_DATA_DIR =
  process.env.MHR_ECG_DATA ?? join(REPO_ROOT, 'packages', 'ecg', 'test', 'vectors', 'physionet');

/** Loads a MIT-BIH Arrhythmia Database record (`101`, `203`, …): 360 Hz, 2 leads. */
export async function loadMitBihRecord(name: string): Promise<WfdbRecord> {
  const dir = join(ECG_DATA_DIR, 'mitdb');
  const header = parseWfdbHeader(await readFile(join(dir, `${name}.hea`), 'utf8'));
  return readWfdbRecord({ header, readFile: (file) => readFile(join(dir, file)) });
}
