import { anvilTest } from '@mhrchain/contracts/testing';
import { describe, expect } from 'vitest';
import { anchoredCount, assertInvariant, patientApp, setUp, useCrashWorld } from '../test/crashWorld.js';
import { type AddRecordProgress, addRecord } from './addRecord.js';
import { pendingActions } from './internal/journal.js';

useCrashWorld();

const bytes = (n: number) => new Uint8Array(n).map((_, i) => (i * 7) % 251);

describe('addRecord progress and cancel', () => {
  anvilTest('reports encrypting, storing and anchoring, each counting up to its total', async ({ anvil, mhrChain }) => {
    const world = await setUp(anvil, mhrChain);
    const data = bytes(3 * 1024 * 1024 + 17);
    const seen: AddRecordProgress[] = [];
    await addRecord(world.patient, {
      data,
      metadata: { mediaType: 'application/octet-stream' },
      category: 1,
      onProgress: (p) => seen.push(p),
    });
    expect([...new Set(seen.map((p) => p.phase))]).toEqual(['encrypting', 'storing', 'anchoring']);
    for (const phase of ['encrypting', 'storing'] as const) {
      const steps = seen.filter((p) => p.phase === phase);
      expect(steps.length).toBeGreaterThan(2);
      const done = steps.map((p) => p.done);
      expect(done).toEqual([...done].sort((a, b) => a - b));
      expect(steps.at(-1)!.done).toBe(steps.at(-1)!.total);
    }
    expect(seen.find((p) => p.phase === 'encrypting')!.total).toBe(data.length);
    expect(seen.find((p) => p.phase === 'storing')!.total).toBeGreaterThan(data.length); // ciphertext and header
  });

  anvilTest(
    'cancelled while storing: what was stored is released, nothing is anchored, nothing is left to resume',
    async ({ anvil, mhrChain }) => {
      const world = await setUp(anvil, mhrChain);
      const controller = new AbortController();
      const stored: string[] = [];
      const call = addRecord(world.patient, {
        data: bytes(3 * 1024 * 1024),
        metadata: { mediaType: 'application/octet-stream' },
        category: 1,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.phase === 'storing' && p.done > 0) {
            stored.push(String(p.done));
            if (stored.length === 2) controller.abort(new Error('the patient cancelled'));
          }
        },
      });
      await expect(call).rejects.toThrow('the patient cancelled');
      expect(stored).toHaveLength(2);
      expect(await anchoredCount(world)).toBe(0);
      expect(await pendingActions(world.patient)).toEqual([]);
      expect(await world.patient.journal.keys('readers/')).toEqual([]);
      await assertInvariant(world);
    },
  );

  anvilTest('a signal aborted before the call changes nothing', async ({ anvil, mhrChain }) => {
    const world = await setUp(anvil, mhrChain);
    const before = await world.patient.journal.keys('');
    const controller = new AbortController();
    controller.abort(new Error('already cancelled'));
    await expect(
      addRecord(world.patient, {
        data: bytes(100),
        metadata: { mediaType: 'text/plain' },
        category: 1,
        signal: controller.signal,
      }),
    ).rejects.toThrow('already cancelled');
    expect(await world.patient.journal.keys('')).toEqual(before);
    world.patient = await patientApp(world);
    expect(await anchoredCount(world)).toBe(0);
  });
});
