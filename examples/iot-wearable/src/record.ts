import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseWfdbHeader, readWfdbRecord, type WfdbRecord } from '@mhrchain/ecg';

/** The repository root. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The shared ECG data folder: `../shared/data/ecg` from the repository root. */
export const ECG_DATA_DIR = join(REPO_ROOT, '..', 'shared', 'data', 'ecg');

/** Loads a MIT-BIH Arrhythmia Database record (`101`, `203`, …): 360 Hz, 2 leads, 30 minutes. */
export async function loadMitBihRecord(name: string): Promise<WfdbRecord> {
  const dir = join(ECG_DATA_DIR, 'mitdb');
  const header = parseWfdbHeader(await readFile(join(dir, `${name}.hea`), 'utf8'));
  return readWfdbRecord({ header, readFile: (file) => readFile(join(dir, file)) });
}
