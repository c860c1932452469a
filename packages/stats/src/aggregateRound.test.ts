import { describe, expect, it } from 'vitest';
import { aggregateRound } from './aggregateRound.js';
import { InvalidReportError, InvalidStatsParametersError } from './errors.js';
import { tallyReports } from './estimate.js';
import { createPrivacyBudget } from './privacyBudget.js';
import { seededRandom } from './random.js';
import { createReporter } from './reporter.js';
import { createMemoryReportLedger } from './reportLedger.js';
import { defineSchema } from './schema.js';

const schema = defineSchema({ categories: ['I10', 'E11', 'J45'], epsilon: 2, maxConditions: 2 });
const other = defineSchema({ categories: ['I10', 'E11', 'J45'], epsilon: 1, maxConditions: 2 });

describe('aggregateRound', () => {
  it('counts a round end to end, skipping junk and other-schema reports posted to the ledger', async () => {
    const ledger = createMemoryReportLedger();
    const round = await ledger.openRound({ schemaHash: schema.hash });
    const random = seededRandom(3);
    for (let i = 0; i < 3000; i++) {
      const reporter = createReporter({ schema, budget: createPrivacyBudget({ limit: 2 }), random });
      await ledger.submitReport({ round, patient: `p${i}`, report: reporter.report('r', i % 3 === 0 ? ['I10'] : []) });
    }
    await ledger.submitReport({ round, patient: 'junk', report: new Uint8Array([9, 9, 9]) });
    const foreign = createReporter({ schema: other, budget: createPrivacyBudget({ limit: 1 }) }).report('r', []);
    await ledger.submitReport({ round, patient: 'foreign', report: foreign });

    const result = await aggregateRound({ ledger, round, schema, k: 10 });
    expect(result.reports).toBe(3000);
    expect(result.rejected).toBe(2);
    const i10 = result.categories[0];
    expect(i10?.suppressed).toBe(false);
    if (i10?.suppressed === false) {
      expect(i10.interval[0]).toBeLessThan(1 / 3);
      expect(i10.interval[1]).toBeGreaterThan(1 / 3);
    }
    // Strict counting refuses the same input.
    const reports = (await ledger.listReports(round)).map((entry) => entry.report);
    expect(() => tallyReports(schema, reports)).toThrow(InvalidReportError);
    expect(tallyReports(schema, reports, { invalid: 'skip' }).rejected).toBe(2);
  });

  it('refuses a round opened for another schema, and an unknown round', async () => {
    const ledger = createMemoryReportLedger();
    const round = await ledger.openRound({ schemaHash: other.hash });
    await expect(aggregateRound({ ledger, round, schema })).rejects.toThrow(/another schema/);
    await expect(aggregateRound({ ledger, round: 5n, schema })).rejects.toThrow(InvalidStatsParametersError);
  });
});
