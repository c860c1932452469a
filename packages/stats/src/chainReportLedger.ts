import { type diseaseReportsAbi, isContractRevert, type TypedContract } from '@mhrchain/contracts';
import { type EventLog, getBytes, hexlify, type Signer } from 'ethers';
import {
  InvalidStatsParametersError,
  ReportAlreadySubmittedError,
  ReporterNotRegisteredError,
  RoundNotOpenError,
} from './errors.js';
import type { LedgerReport, ReportLedger } from './reportLedger.js';
import type { Hex } from './schema.js';

/** Parameters of {@link createChainReportLedger}. */
export interface CreateChainReportLedgerParameters {
  /**
   * The `DiseaseReports` contract (e.g. `connectMhrChain(signer, addresses).diseaseReports`). Its runner opens
   * rounds and reads; reports are sent by each patient's own signer.
   */
  contract: TypedContract<typeof diseaseReportsAbi>;
  /** First block to read `ReportSubmitted` logs from (default 0: the whole chain). */
  fromBlock?: number | bigint;
  /** How long a round stays open when `closesAt` is not given (default 7 days). */
  defaultDurationSeconds?: bigint;
}

const SEVEN_DAYS = 7n * 24n * 3600n;

/**
 * A {@link ReportLedger} over the `DiseaseReports` contract: `openRound` opens a round for the schema hash,
 * `submitReport` sends the report from the patient's own signer (the contract refuses a second report of the same
 * address in a round, and this ledger turns that revert into {@link ReportAlreadySubmittedError}; it accepts reports only
 * from patients registered in the `IdentityRegistry`, {@link ReporterNotRegisteredError} otherwise), and
 * `listReports` reads the round's `ReportSubmitted` events. Anyone can recount a round from the chain alone.
 *
 * @example
 * ```ts
 * import { connectMhrChain, deployMhrChain } from '@mhrchain/contracts';
 * import { startAnvil } from '@mhrchain/contracts/anvil';
 * import { createChainReportLedger } from '@mhrchain/stats/chain';
 * import { defineSchema, encodeReport } from '@mhrchain/stats';
 *
 * const anvil = await startAnvil();
 * const [deployer, patient] = anvil.signers;
 * const { addresses } = await deployMhrChain({ deployer: deployer! });
 * const ledger = createChainReportLedger({ contract: connectMhrChain(deployer!, addresses).diseaseReports });
 * const schema = defineSchema({ categories: ['I10', 'E11'], epsilon: 1, maxConditions: 2 });
 * const round = await ledger.openRound({ schemaHash: schema.hash });
 * // Only registered patients report (the X25519 key comes from the patient's identity).
 * await connectMhrChain(patient!, addresses).identityRegistry.write.register(`0x${'11'.repeat(32)}`);
 * await ledger.submitReport({ round, patient: patient!, report: encodeReport(schema, null) });
 * await anvil.stop();
 * ```
 */
export function createChainReportLedger(parameters: CreateChainReportLedgerParameters): ReportLedger<Signer> {
  const { contract } = parameters;
  const fromBlock = parameters.fromBlock ?? 0;
  const duration = parameters.defaultDurationSeconds ?? SEVEN_DAYS;
  const translate = (error: unknown, round: bigint, patient: string): never => {
    if (isContractRevert(error, 'ReportAlreadySubmitted'))
      throw new ReportAlreadySubmittedError({ round, patient, cause: error });
    if (isContractRevert(error, 'RoundNotOpen')) throw new RoundNotOpenError({ round, cause: error });
    if (isContractRevert(error, 'UnregisteredReporter'))
      throw new ReporterNotRegisteredError({ patient, cause: error });
    throw error;
  };
  return {
    async openRound({ schemaHash, closesAt }) {
      if (!/^0x[0-9a-fA-F]{64}$/.test(schemaHash))
        throw new InvalidStatsParametersError('The schema hash must be 32 bytes of hex.', { details: schemaHash });
      let closing = closesAt;
      if (closing === undefined) {
        const block = await contract.contract.runner?.provider?.getBlock('latest');
        if (!block) throw new InvalidStatsParametersError('The contract runner has no provider to read the time.');
        closing = BigInt(block.timestamp) + duration;
      }
      try {
        const { events } = await contract.write.openRound(schemaHash, closing);
        for (const event of events) if (event.eventName === 'RoundOpened') return BigInt(event.args.roundId);
      } catch (error) {
        if (isContractRevert(error, 'InvalidClosingTime'))
          throw new InvalidStatsParametersError('A round must close in the future.', { details: String(closing) });
        throw error;
      }
      throw new InvalidStatsParametersError('The transaction did not open a round.');
    },
    async getRound(round) {
      const { opener, closesAt, schemaHash } = await contract.read.roundOf(round);
      if (/^0x0{40}$/.test(opener)) return undefined;
      return { schemaHash: schemaHash as Hex, closesAt: BigInt(closesAt) };
    },
    async submitReport({ round, patient, report }) {
      const address = await patient.getAddress();
      try {
        await contract.connect(patient).write.submitReport(round, report);
      } catch (error) {
        translate(error, round, address);
      }
    },
    async hasReported(round, patient) {
      return contract.read.hasReported(round, patient);
    },
    async listReports(round) {
      const raw = contract.contract;
      const logs = await raw.queryFilter(raw.filters.ReportSubmitted?.(round) ?? 'ReportSubmitted', fromBlock);
      const out: LedgerReport[] = [];
      for (const log of logs) {
        const args = (log as EventLog).args;
        if (!args || BigInt(args.roundId) !== round) continue;
        out.push({ patient: String(args.patient), report: getBytes(hexlify(args.report)) });
      }
      return out;
    },
  };
}
