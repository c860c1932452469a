import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startAnvil } from './anvil.js';
import { AnvilStartError } from './errors.js';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Whether `pid` runs (a zombie, killed but not yet reaped by its new parent, counts as dead). */
function isAlive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('startAnvil', () => {
  it('starts on a free loopback port with funded signers, and stops without leaving a process', async () => {
    const [a, b] = await Promise.all([startAnvil(), startAnvil({ chainId: 1337, accounts: 3 })]);
    try {
      expect(a.rpcUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(a.port).not.toBe(b.port);
      expect(b.signers).toHaveLength(3);
      expect((await b.provider.getNetwork()).chainId).toBe(1337n);
      expect(a.signers[0]!.address).toBe('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266');
      expect(await a.provider.getBalance(a.signers[9]!.address)).toBeGreaterThan(10n ** 21n);
      const block = await a.provider.getBlock('latest');
      await a.increaseTime(3600);
      expect((await a.provider.getBlock('latest'))!.timestamp).toBeGreaterThanOrEqual(block!.timestamp + 3600);
      const id = await a.snapshot();
      await (await a.signers[0]!.sendTransaction({ to: a.signers[1]!.address, value: 1n })).wait();
      const nonce = await a.provider.getTransactionCount(a.signers[0]!.address);
      await a.revert(id);
      expect(await a.provider.getTransactionCount(a.signers[0]!.address)).toBe(nonce - 1);
      expect(isAlive(a.pid) && isAlive(b.pid)).toBe(true);
    } finally {
      await Promise.all([a.stop(), b.stop(), a.stop()]);
    }
    expect(isAlive(a.pid) || isAlive(b.pid)).toBe(false);
  });

  it('kills anvil when the process dies of a failure without calling stop()', () => {
    const result = spawnSync(
      process.execPath,
      ['--conditions=@mhrchain/source', '--import', 'tsx', join(packageDir, 'test', 'anvilOrphan.fixture.ts')],
      { cwd: packageDir, encoding: 'utf8', timeout: 60_000 },
    );
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('a failing test');
    const pid = Number(/ANVIL_PID=(\d+)/.exec(result.stdout)?.[1]);
    expect(pid).toBeGreaterThan(0);
    expect(isAlive(pid)).toBe(false);
  });

  it('reports a missing binary as a typed error', async () => {
    await expect(startAnvil({ binary: '/nonexistent/anvil' })).rejects.toBeInstanceOf(AnvilStartError);
  });

  it('reports an anvil that exits at once as a typed error', async () => {
    const error = await startAnvil({ args: ['--no-such-flag'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AnvilStartError);
    expect((error as AnvilStartError).details).toContain('no-such-flag');
  });
});
