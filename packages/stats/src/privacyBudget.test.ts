import { describe, expect, it } from 'vitest';
import { InvalidStatsParametersError, PrivacyBudgetExceededError } from './errors.js';
import { createPrivacyBudget } from './privacyBudget.js';
import { seededRandom } from './random.js';
import { decodeReport } from './report.js';
import { createReporter } from './reporter.js';
import { defineSchema } from './schema.js';

const schema = defineSchema({ categories: ['I10', 'E11', 'J45'], epsilon: 1, maxConditions: 2 });

describe('privacy budget', () => {
  it('refuses a round past the budget and records nothing for it', () => {
    const budget = createPrivacyBudget({ limit: 2.5 });
    const reporter = createReporter({ schema, budget, random: seededRandom(1) });
    reporter.report('r1', ['I10']);
    reporter.report('r2', ['I10']);
    expect(budget.spent()).toBe(2);
    let refused: unknown;
    try {
      reporter.report('r3', ['I10']);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(PrivacyBudgetExceededError);
    expect((refused as PrivacyBudgetExceededError).remaining).toBeCloseTo(0.5, 12);
    expect(budget.entry('r3')).toBeUndefined();
    expect(budget.spent()).toBe(2);
  });

  it('re-sends the same report for a round instead of drawing a new one (no second look, no second charge)', () => {
    const budget = createPrivacyBudget({ limit: 1 });
    const reporter = createReporter({ schema, budget, random: seededRandom(2) });
    const first = reporter.report('r1', ['E11']);
    for (let i = 0; i < 20; i++) expect(reporter.report('r1', ['E11'])).toEqual(first);
    expect(budget.spent()).toBe(1);
    expect(() => decodeReport(schema, first)).not.toThrow();
  });

  it('survives a restart from its persisted entries', () => {
    const budget = createPrivacyBudget({ limit: 1.5 });
    createReporter({ schema, budget }).report('r1', []);
    const restored = createPrivacyBudget({ limit: 1.5, entries: budget.entries() });
    expect(restored.remaining()).toBeCloseTo(0.5, 12);
    expect(() => createReporter({ schema, budget: restored }).report('r2', [])).toThrow(PrivacyBudgetExceededError);
    expect(() => createPrivacyBudget({ limit: 0.5, entries: budget.entries() })).toThrow(PrivacyBudgetExceededError);
  });

  it('lets ten rounds of ε = 0.1 fit a budget of 1 exactly, not eleven', () => {
    const small = defineSchema({ categories: ['I10'], epsilon: 0.1, maxConditions: 1 });
    const budget = createPrivacyBudget({ limit: 1 });
    const reporter = createReporter({ schema: small, budget });
    for (let r = 0; r < 10; r++) reporter.report(`r${r}`, []);
    expect(() => reporter.report('r10', [])).toThrow(PrivacyBudgetExceededError);
  });

  it('rejects bad limits, entries and double charges', () => {
    expect(() => createPrivacyBudget({ limit: Number.NaN })).toThrow(InvalidStatsParametersError);
    const budget = createPrivacyBudget({ limit: 3 });
    budget.spend({ round: 'r', epsilon: 1, report: new Uint8Array(11) });
    expect(() => budget.spend({ round: 'r', epsilon: 1, report: new Uint8Array(11) })).toThrow(/already charged/);
    expect(() => budget.spend({ round: 's', epsilon: -1, report: new Uint8Array(11) })).toThrow(
      InvalidStatsParametersError,
    );
  });
});
