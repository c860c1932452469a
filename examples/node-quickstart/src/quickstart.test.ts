import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

describe('node-quickstart', () => {
  it('encrypts, stores, anchors, grants and reads', async () => {
    const main = fileURLToPath(new URL('quickstart.ts', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, [
      '--import',
      'tsx',
      '--conditions=@mhrchain/source',
      main,
    ]);
    expect(stdout).toMatch(/anchored bafy\w+ in block \d+/);
    expect(stdout).toContain(
      'the doctor reads "Resting heart rate": {"resourceType":"Observation","valueQuantity":{"value":72}}',
    );
  });
});
