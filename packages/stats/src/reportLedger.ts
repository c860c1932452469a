import { InvalidStatsParametersError, ReportAlreadySubmittedError, RoundNotOpenError } from './errors.js';
import type { Hex } from './schema.js';

/** A report as a ledger holds it. */
export interface LedgerReport {
  /** Who submitted it (an address on chain, any stable id off chain). */
  readonly patient: string;
  /** The report bytes (see {@link encodeReport}). */
  readonly report: Uint8Array;
}

/** Parameters of {@link ReportLedger.openRound}. */
export interface OpenRoundParameters {
  /** The schema's hash ({@link StatsSchema.hash}); reports of the round must be made for it. */
  schemaHash: Hex;
  /** Unix time (seconds) when the round stops accepting reports; none means open forever (memory ledger only). */
  closesAt?: bigint;
}

/** Parameters of {@link ReportLedger.submitReport}. */
export interface SubmitReportParameters<Patient> {
  /** The round id. */
  round: bigint;
  /** The submitting patient: an id (memory ledger) or the patient's signer (chain ledger). */
  patient: Patient;
  /** The report bytes. */
  report: Uint8Array;
}

/** A round as a ledger knows it. */
export interface LedgerRound {
  /** The schema hash the round was opened for. */
  readonly schemaHash: Hex;
  /** When it closes (unix seconds), if it does. */
  readonly closesAt: bigint | undefined;
}

/**
 * Where reports are collected: rounds, one report per patient per round, and the list of a round's reports.
 * Implemented in memory ({@link createMemoryReportLedger}) and over the `DiseaseReports` contract
 * (`createChainReportLedger` from `@mhrchain/stats/chain`); the mechanism and the aggregation do not depend on which.
 */
export interface ReportLedger<Patient = string> {
  /** Opens a round for a schema and returns its id. */
  openRound(parameters: OpenRoundParameters): Promise<bigint>;
  /** The round, or `undefined` when unknown. */
  getRound(round: bigint): Promise<LedgerRound | undefined>;
  /**
   * Accepts one report per patient per round. Throws {@link ReportAlreadySubmittedError} on a second one and
   * {@link RoundNotOpenError} when the round is unknown or closed.
   */
  submitReport(parameters: SubmitReportParameters<Patient>): Promise<void>;
  /** Whether the patient (by id or address) already reported in the round. */
  hasReported(round: bigint, patient: string): Promise<boolean>;
  /** Every report of the round, in submission order. */
  listReports(round: bigint): Promise<readonly LedgerReport[]>;
}

/** Parameters of {@link createMemoryReportLedger}. */
export interface CreateMemoryReportLedgerParameters {
  /** The clock, unix seconds (defaults to the system clock). */
  now?: () => bigint;
}

/**
 * An in-memory {@link ReportLedger}: for tests, simulations and an aggregator that anchors its tallies elsewhere.
 * Enforces one report per patient per round and the round's closing time.
 *
 * @example
 * ```ts
 * import { createMemoryReportLedger, defineSchema } from '@mhrchain/stats';
 *
 * const schema = defineSchema({ categories: ['I10', 'E11'], epsilon: 1, maxConditions: 2 });
 * const ledger = createMemoryReportLedger();
 * const round = await ledger.openRound({ schemaHash: schema.hash });
 * await ledger.submitReport({ round, patient: 'patient-1', report: new Uint8Array(11) });
 * (await ledger.listReports(round)).length; // 1
 * ```
 */
export function createMemoryReportLedger(parameters: CreateMemoryReportLedgerParameters = {}): ReportLedger<string> {
  const now = parameters.now ?? (() => BigInt(Math.floor(Date.now() / 1000)));
  const rounds: { round: LedgerRound; reports: Map<string, Uint8Array> }[] = [];
  const lookup = (round: bigint) =>
    round >= 1n && round <= BigInt(rounds.length) ? rounds[Number(round) - 1] : undefined;
  return {
    async openRound({ schemaHash, closesAt }) {
      if (!/^0x[0-9a-fA-F]{64}$/.test(schemaHash))
        throw new InvalidStatsParametersError('The schema hash must be 32 bytes of hex.', { details: schemaHash });
      if (closesAt !== undefined && closesAt <= now())
        throw new InvalidStatsParametersError('A round must close in the future.', { details: String(closesAt) });
      rounds.push({ round: Object.freeze({ schemaHash, closesAt }), reports: new Map() });
      return BigInt(rounds.length);
    },
    async getRound(round) {
      return lookup(round)?.round;
    },
    async submitReport({ round, patient, report }) {
      const entry = lookup(round);
      if (!entry || (entry.round.closesAt !== undefined && now() >= entry.round.closesAt))
        throw new RoundNotOpenError({ round });
      if (typeof patient !== 'string' || patient.length === 0)
        throw new InvalidStatsParametersError('A patient id must be a non-empty string.');
      if (entry.reports.has(patient)) throw new ReportAlreadySubmittedError({ round, patient });
      entry.reports.set(patient, Uint8Array.from(report));
    },
    async hasReported(round, patient) {
      return lookup(round)?.reports.has(patient) ?? false;
    },
    async listReports(round) {
      const entry = lookup(round);
      if (!entry) return [];
      return [...entry.reports].map(([patient, report]) => ({ patient, report: Uint8Array.from(report) }));
    },
  };
}
