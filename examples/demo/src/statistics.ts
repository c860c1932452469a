import type { MhrChain } from '@mhrchain/contracts';
import {
  aggregateReports,
  createMemoryReportLedger,
  createPrivacyBudget,
  createReporter,
  defineSchema,
  ReportAlreadySubmittedError,
  seededRandom,
} from '@mhrchain/stats';
import { createChainReportLedger } from '@mhrchain/stats/chain';
import type { Signer } from 'ethers';
import type { Progress } from './console.js';
import type { ReportData } from './report.js';

/** Parameters of {@link runStatistics}. */
export interface RunStatisticsParameters {
  progress: Progress;
  /** The contracts (DiseaseReports), connected to the account that opens the round. */
  chain: MhrChain;
  /** Patients who report on chain with their own wallets. */
  onChainPatients: readonly Signer[];
  /** Size of the simulated cohort reporting through an aggregator. */
  cohort?: number;
}

// ICD-10 chapters with made-up prevalences for the simulated cohort; the last one is rare on purpose
const CHAPTERS: ReadonlyArray<[string, number]> = [
  ['I00–I99 circulatory', 0.28],
  ['E00–E90 endocrine', 0.12],
  ['J00–J99 respiratory', 0.09],
  ['F00–F99 mental', 0.15],
  ['M00–M99 musculoskeletal', 0.2],
  ['K00–K93 digestive', 0.06],
  ['D50–D89 blood', 0.001],
];

/**
 * A statistics round: a few patients report on chain (one report each, a second is refused), a simulated cohort
 * through an in-memory aggregator; every report is randomised on the patient's side (ε = 1 for the whole report).
 */
export async function runStatistics(parameters: RunStatisticsParameters): Promise<ReportData['statistics']> {
  const { progress, chain, onChainPatients, cohort = 20_000 } = parameters;
  const schema = defineSchema({ categories: CHAPTERS.map(([name]) => name), epsilon: 1, maxConditions: 3 });
  const random = seededRandom(2026);

  // on chain: each patient's client randomises its conditions and submits 11 bytes from its own wallet
  const ledger = createChainReportLedger({ contract: chain.diseaseReports });
  const round = await ledger.openRound({ schemaHash: schema.hash });
  for (const [i, patient] of onChainPatients.entries()) {
    const reporter = createReporter({ schema, budget: createPrivacyBudget({ limit: 4 }) });
    const conditions = i % 2 === 0 ? [CHAPTERS[0]![0]] : [CHAPTERS[1]![0], CHAPTERS[3]![0]];
    await ledger.submitReport({ round, patient, report: reporter.report(`round-${round}`, conditions) });
  }
  const onChain = await ledger.listReports(round);
  progress.ok(
    `round ${round} on chain: ${onChain.length} reports of ${onChain[0]?.report.length ?? 0} bytes each, e.g. 0x${Buffer.from(onChain[0]?.report ?? []).toString('hex')}`,
  );
  try {
    await ledger.submitReport({ round, patient: onChainPatients[0]!, report: onChain[0]!.report });
    throw new Error('a second report of the same patient was accepted');
  } catch (error) {
    if (!(error instanceof ReportAlreadySubmittedError)) throw error;
    progress.denied(`a second report from the same patient in the round: ${error.shortMessage}`);
  }

  // a simulated cohort through an aggregator's ledger, with the same randomiser
  const aggregator = createMemoryReportLedger();
  const cohortRound = await aggregator.openRound({ schemaHash: schema.hash });
  const truth = new Array(CHAPTERS.length).fill(0);
  for (let p = 0; p < cohort; p++) {
    const conditions = CHAPTERS.filter(([, prevalence], c) => {
      const has = random.nextUint32() / 2 ** 32 < prevalence;
      if (has) truth[c] += 1;
      return has;
    }).map(([name]) => name);
    const reporter = createReporter({ schema, budget: createPrivacyBudget({ limit: 1 }), random });
    await aggregator.submitReport({ round: cohortRound, patient: `p${p}`, report: reporter.report('r', conditions) });
  }
  const reports = [...onChain, ...(await aggregator.listReports(cohortRound))].map((r) => r.report);
  const aggregate = aggregateReports(schema, reports, { k: 10 });
  const rows = aggregate.categories.map((estimate, c) =>
    estimate.suppressed
      ? {
          category: estimate.category,
          estimate: 'suppressed',
          '95 % interval': '(fewer than k=10 shown)',
          'true (simulation)': `${((truth[c] / cohort) * 100).toFixed(1)} %`,
        }
      : {
          category: estimate.category,
          estimate: `${(estimate.prevalence * 100).toFixed(1)} %`,
          '95 % interval': `${(estimate.interval[0] * 100).toFixed(1)} – ${(estimate.interval[1] * 100).toFixed(1)} %`,
          'true (simulation)': `${((truth[c] / cohort) * 100).toFixed(1)} %`,
        },
  );
  progress.info(
    `${aggregate.reports} randomised reports (ε = 1 per patient for the whole report, at most 3 conditions)`,
  );
  progress.table(rows);
  return aggregate.categories.map((estimate, c) =>
    estimate.suppressed
      ? { category: estimate.category, estimate: 0, low: 0, high: 0, truth: truth[c] / cohort, suppressed: true }
      : {
          category: estimate.category,
          estimate: estimate.prevalence,
          low: estimate.interval[0],
          high: estimate.interval[1],
          truth: truth[c] / cohort,
        },
  );
}
