import { describe, expect, it } from 'vitest';
import { InvalidStatsParametersError, ReportAlreadySubmittedError, RoundNotOpenError } from './errors.js';
import { createMemoryReportLedger } from './reportLedger.js';
import { defineSchema } from './schema.js';

const schema = defineSchema({ categories: ['I10', 'E11'], epsilon: 1, maxConditions: 2 });

describe('memory report ledger', () => {
  it('accepts one report per patient per round and refuses the second', async () => {
    const ledger = createMemoryReportLedger();
    const r1 = await ledger.openRound({ schemaHash: schema.hash });
    const r2 = await ledger.openRound({ schemaHash: schema.hash });
    expect([r1, r2]).toEqual([1n, 2n]);
    await ledger.submitReport({ round: r1, patient: 'alice', report: new Uint8Array([1]) });
    await expect(ledger.submitReport({ round: r1, patient: 'alice', report: new Uint8Array([2]) })).rejects.toThrow(
      ReportAlreadySubmittedError,
    );
    // Another round, another patient: fine.
    await ledger.submitReport({ round: r2, patient: 'alice', report: new Uint8Array([3]) });
    await ledger.submitReport({ round: r1, patient: 'bob', report: new Uint8Array([4]) });
    expect(await ledger.hasReported(r1, 'alice')).toBe(true);
    expect(await ledger.hasReported(r2, 'bob')).toBe(false);
    expect(await ledger.listReports(r1)).toEqual([
      { patient: 'alice', report: new Uint8Array([1]) },
      { patient: 'bob', report: new Uint8Array([4]) },
    ]);
    expect((await ledger.getRound(r1))?.schemaHash).toBe(schema.hash);
  });

  it('refuses reports to unknown and closed rounds', async () => {
    let now = 1000n;
    const ledger = createMemoryReportLedger({ now: () => now });
    const round = await ledger.openRound({ schemaHash: schema.hash, closesAt: 1100n });
    await expect(ledger.submitReport({ round: 9n, patient: 'a', report: new Uint8Array(1) })).rejects.toThrow(
      RoundNotOpenError,
    );
    await ledger.submitReport({ round, patient: 'a', report: new Uint8Array(1) });
    now = 1100n;
    await expect(ledger.submitReport({ round, patient: 'b', report: new Uint8Array(1) })).rejects.toThrow(
      RoundNotOpenError,
    );
    await expect(ledger.openRound({ schemaHash: schema.hash, closesAt: 1000n })).rejects.toThrow(
      InvalidStatsParametersError,
    );
    await expect(ledger.openRound({ schemaHash: '0x1234' })).rejects.toThrow(InvalidStatsParametersError);
  });

  it('keeps its own copy of a report', async () => {
    const ledger = createMemoryReportLedger();
    const round = await ledger.openRound({ schemaHash: schema.hash });
    const report = new Uint8Array([7]);
    await ledger.submitReport({ round, patient: 'a', report });
    report[0] = 8;
    expect((await ledger.listReports(round))[0]?.report).toEqual(new Uint8Array([7]));
  });
});
