import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { HospitalNetworkReport } from './hospitalNetwork.js';

describe('hospital-network', () => {
  it('shares, survives a lost node and revokes across three Kubo nodes and separate processes', async () => {
    const main = fileURLToPath(new URL('main.ts', import.meta.url));
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', '--conditions=@mhrchain/source', main, '--json'],
      { maxBuffer: 16 * 1024 * 1024, timeout: 240_000 },
    );
    const report = JSON.parse(stdout.trim().split('\n').at(-1)!) as HospitalNetworkReport;
    const titles = ['Resting heart rate', 'Chest CT'];
    const intact = (title: string) => ({
      opened: true,
      title,
      size: report.records[title]!.size,
      sha256: report.records[title]!.sha256,
    });

    // Four processes, three local-only nodes peered with each other.
    expect(new Set(Object.values(report.pids)).size).toBe(4);
    expect(report.nodes.map((n) => n.localOnly)).toEqual([true, true, true]);
    expect(report.peers).toEqual({ home: 2, hospital: 2, clinic: 2 });

    // Shared: durable on at least k = 2 nodes, every block of each record on the pinning nodes.
    for (const title of titles) {
      const durability = report.shared.durability[title]!;
      expect(durability.pinned).toBeGreaterThanOrEqual(2);
      const placement = report.shared.placement[title]!;
      expect(placement.blocks).toBeGreaterThanOrEqual(2);
      const pinned = placement.nodes.filter((n) => n.state === 'pinned');
      expect(pinned.length).toBe(durability.pinned);
      for (const node of pinned) expect(node.blocks).toBe(placement.blocks);
    }
    expect(report.shared.placement['Chest CT']!.blocks).toBeGreaterThan(4); // header, root, a leaf per MiB
    expect(report.shared.access['Resting heart rate']).toEqual({
      patient: intact('Resting heart rate'),
      doctor: intact('Resting heart rate'),
      colleague: { opened: false, error: 'DecryptionError' }, // delegated the imaging only
    });
    expect(report.shared.access['Chest CT']).toEqual({
      patient: intact('Chest CT'),
      doctor: intact('Chest CT'),
      colleague: intact('Chest CT'),
    });
    expect(report.shared.listed.doctor.map((r) => r.cid).sort()).toEqual(
      titles.map((t) => report.shared.versions[t]).sort(),
    );
    expect(report.shared.listed.colleague.map((r) => r.cid)).toEqual([report.shared.versions['Chest CT']]);

    // The hospital node (the doctor's first gateway) stopped: still k copies, and every reader still reads.
    for (const title of titles) {
      const durability = report.nodeLost.durability[title]!;
      expect(durability.perNode[1]).toBe('unreachable');
      expect(durability.pinned).toBeGreaterThanOrEqual(2);
      expect(report.nodeLost.access[title]).toEqual(report.shared.access[title]);
    }

    // Revoked: nothing listed, the new versions closed to both, the old ones gone from every node.
    expect(report.revoked.revocation.rotated.map((v) => v.recordId).sort()).toEqual(
      titles.map((t) => report.records[t]!.recordId).sort(),
    );
    expect(report.revoked.listed.doctor).toEqual([]);
    expect(report.revoked.listed.colleague).toEqual([]);
    for (const title of titles) {
      expect(report.revoked.versions[title]).not.toBe(report.shared.versions[title]);
      expect(report.revoked.access[title]).toEqual({
        patient: intact(title),
        doctor: { opened: false, error: 'DecryptionError' },
        colleague: { opened: false, error: 'DecryptionError' },
      });
      expect(report.revoked.previousAccess[title]).toEqual({
        doctor: { opened: false, error: 'BlockNotFoundError' },
        colleague: { opened: false, error: 'BlockNotFoundError' },
      });
      expect(report.revoked.previousPlacement[title]!.nodes.map((n) => n.state)).toEqual([
        'absent',
        'absent',
        'absent',
      ]);
    }

    // The story is printed for a reader.
    expect(stdout).toContain('local only: yes');
    expect(stdout).toMatch(/Chest CT +pinned on [23] of 3 \(k = 2\)/);
    expect(stdout).toContain('The hospital node stopped.');
    expect(stdout).toMatch(/The chain lists for the doctor 0 record\(s\), for the colleague 0\./);
  });
});
