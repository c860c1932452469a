import { InvalidStatsParametersError, PrivacyBudgetExceededError } from './errors.js';

/** One contribution charged to a patient's budget. */
export interface BudgetEntry {
  /** The round's key (e.g. `"<chainId>:<contract>:<roundId>"` or just the round id). */
  readonly round: string;
  /** ε the contribution spent. */
  readonly epsilon: number;
  /** The exact report sent, so a retry re-sends it instead of drawing (and leaking) a fresh one. */
  readonly report: Uint8Array;
}

/** Parameters of {@link createPrivacyBudget}. */
export interface CreatePrivacyBudgetParameters {
  /** The patient's total ε across all rounds (lifetime or per period, as the deployment decides). */
  limit: number;
  /** Entries restored from storage (see {@link PrivacyBudget.entries}). */
  entries?: readonly BudgetEntry[];
}

/** A patient's ε account, kept on the patient's device. */
export interface PrivacyBudget {
  /** The total ε allowed. */
  readonly limit: number;
  /** ε spent so far (sequential composition: the sum of the rounds' ε). */
  spent(): number;
  /** ε still available. */
  remaining(): number;
  /** The entry of `round`, if the patient already contributed to it. */
  entry(round: string): BudgetEntry | undefined;
  /** Records a contribution; throws {@link PrivacyBudgetExceededError} past the limit (nothing is recorded). */
  spend(entry: BudgetEntry): void;
  /** Every entry, to persist. */
  entries(): readonly BudgetEntry[];
}

/** Rounding slack so that e.g. ten rounds of ε = 0.1 fit a budget of 1. */
const SLACK = 1e-9;

/**
 * Creates a per-patient privacy budget. Reports of different rounds compose sequentially: after rounds with ε₁, ε₂,
 * … the patient's total privacy loss is at most ε₁ + ε₂ + …, and the budget refuses any contribution that would
 * take that sum past `limit`. A round can be charged only once.
 *
 * @example
 * ```ts
 * import { createPrivacyBudget } from '@mhrchain/stats';
 *
 * const budget = createPrivacyBudget({ limit: 2 });
 * budget.spend({ round: '1', epsilon: 1, report: new Uint8Array(11) });
 * budget.remaining(); // 1
 * ```
 */
export function createPrivacyBudget(parameters: CreatePrivacyBudgetParameters): PrivacyBudget {
  const { limit } = parameters;
  if (typeof limit !== 'number' || !Number.isFinite(limit) || limit < 0)
    throw new InvalidStatsParametersError('The budget limit must be a finite, non-negative number.', {
      details: String(limit),
    });
  const byRound = new Map<string, BudgetEntry>();
  let spent = 0;
  const spend = (entry: BudgetEntry) => {
    if (typeof entry.round !== 'string' || entry.round.length === 0)
      throw new InvalidStatsParametersError('A budget entry needs a round key.');
    if (!Number.isFinite(entry.epsilon) || entry.epsilon <= 0)
      throw new InvalidStatsParametersError('ε must be a positive, finite number.', { details: String(entry.epsilon) });
    if (byRound.has(entry.round))
      throw new InvalidStatsParametersError('This round is already charged to the budget.', { details: entry.round });
    if (spent + entry.epsilon > limit + SLACK)
      throw new PrivacyBudgetExceededError({ requested: entry.epsilon, remaining: limit - spent });
    byRound.set(entry.round, Object.freeze({ ...entry, report: Uint8Array.from(entry.report) }));
    spent += entry.epsilon;
  };
  for (const entry of parameters.entries ?? []) spend(entry);
  return {
    limit,
    spent: () => spent,
    remaining: () => Math.max(0, limit - spent),
    entry: (round) => byRound.get(round),
    spend,
    entries: () => [...byRound.values()],
  };
}
