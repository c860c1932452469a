import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const here = fileURLToPath(new URL('.', import.meta.url));

function run(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@mhrchain/source', join(here, 'main.ts')], {
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => resolve({ code, output }));
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('the demo', () => {
  let directory = '';
  afterAll(async () => {
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('plays the whole story twice on the same data directory, leaves no process behind and writes the report', async () => {
    directory = await mkdtemp(join(tmpdir(), 'mhr-demo-'));
    for (const round of [1, 2]) {
      const { code, output } = await run({ MHR_DEMO_DATA: directory, MHR_DEMO_ECG_SECONDS: '4' });
      expect(code, output).toBe(0);
      // one patient action went to the relayer service over HTTP, paid for by the service's account
      expect(output).toMatch(
        /patient registered through the relayer service over HTTP: action identityRegistry:0x[0-9a-f]{40}:0 mined in block \d+, tx 0x[0-9a-f]{6}…[0-9a-f]{4}, gas paid by the relayer 0x[0-9a-fA-F]{6}…[0-9a-fA-F]{4}/,
      );
      await expect(stat(join(directory, 'relayer')), 'the relayer queue is removed with the service').rejects.toThrow();
      expect(output).toContain('records the doctor can list: 0');
      expect(output).toMatch(/access granted; data keys of 3 records re-wrapped/);
      expect(output).toContain('the decrypted PDF is byte-identical to the original');
      expect(output).toMatch(/the colleague can now list 1/);
      expect(output).toMatch(/frames decrypted, \d+ beats/);
      expect(output).toContain("patient's inbox: the cardiologist asks for all records for 30 days");
      expect(output).toMatch(/who has access now: the cardiologist \(all records, until \d{4}-\d\d-\d\d\)/);
      expect(output).toContain('who has access now: 0 doctors');
      expect(output).toContain('the doctor can now list 0 records');
      expect(output).toContain('access-revoked');
      expect(output).toMatch(/20004 randomised reports/);
      expect(output).toContain('a second report from the same patient in the round');
      expect(output).toMatch(/D50–D89 blood\s+suppressed/);
      // the privacy scan read the chain (storage included) and found nothing personal and no unlisted field
      expect(output).toMatch(/read \d+ blocks: \d+ transactions, \d+ events, [1-9]\d* storage slots/);
      expect(output).toMatch(/none of \d+ plaintexts .* appears anywhere/);
      expect(output).toMatch(/every one on the threat model's list/);
      const pids = [...output.matchAll(/pid (\d+)/g)].map((m) => Number(m[1]));
      expect(pids.length, `round ${round}`).toBeGreaterThan(0);
      for (const pid of pids) expect(alive(pid), `process ${pid} still running`).toBe(false);
    }
    const html = await readFile(join(directory, 'report.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('access-granted');
    expect(html.match(/class="beat"/g)?.length ?? 0).toBeGreaterThan(2);
  });
});
