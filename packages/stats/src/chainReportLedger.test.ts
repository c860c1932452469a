import { connectMhrChain } from '@mhrchain/contracts';
import { anvilTest } from '@mhrchain/contracts/testing';
import { keccak256, toUtf8Bytes } from 'ethers';
import { describe, expect } from 'vitest';
import { aggregateRound } from './aggregateRound.js';
import { createChainReportLedger } from './chainReportLedger.js';
import { ReportAlreadySubmittedError, ReporterNotRegisteredError, RoundNotOpenError } from './errors.js';
import { tallyReports } from './estimate.js';
import { createPrivacyBudget } from './privacyBudget.js';
import { seededRandom } from './random.js';
import { createReporter } from './reporter.js';
import { defineSchema } from './schema.js';

const schema = defineSchema({ categories: ['I10', 'E11', 'J45'], epsilon: 1, maxConditions: 2 });

describe('chain report ledger (DiseaseReports on anvil)', () => {
  anvilTest(
    'collects one report per patient per round and recounts from the chain alone',
    async ({ anvil, mhrChain }) => {
      const [opener, ...patients] = anvil.signers;
      const ledger = createChainReportLedger({ contract: connectMhrChain(opener!, mhrChain.addresses).diseaseReports });
      const round = await ledger.openRound({ schemaHash: schema.hash });
      expect((await ledger.getRound(round))?.schemaHash).toBe(schema.hash);

      // Only registered patients report: an unregistered address (a Sybil) is refused with a typed error.
      const sybil = patients.pop()!;
      await expect(ledger.submitReport({ round, patient: sybil, report: new Uint8Array([1]) })).rejects.toThrow(
        ReporterNotRegisteredError,
      );
      expect(await ledger.hasReported(round, sybil.address)).toBe(false);
      for (const patient of patients)
        await connectMhrChain(patient, mhrChain.addresses).identityRegistry.write.register(
          keccak256(toUtf8Bytes(patient.address)),
        );
      expect(await ledger.getRound(round + 1n)).toBeUndefined();

      const sent: Uint8Array[] = [];
      for (const [i, patient] of patients.entries()) {
        const reporter = createReporter({ schema, budget: createPrivacyBudget({ limit: 3 }), random: seededRandom(i) });
        const report = reporter.report(`31337:${mhrChain.addresses.diseaseReports}:${round}`, i % 2 ? ['I10'] : []);
        await ledger.submitReport({ round, patient, report });
        sent.push(report);
      }
      const first = patients[0]!;
      expect(await ledger.hasReported(round, first.address)).toBe(true);
      await expect(ledger.submitReport({ round, patient: first, report: sent[0]! })).rejects.toThrow(
        ReportAlreadySubmittedError,
      );

      const listed = await ledger.listReports(round);
      expect(listed.map((r) => r.patient)).toEqual(patients.map((p) => p.address));
      expect(listed.map((r) => r.report)).toEqual(sent);
      expect(
        tallyReports(
          schema,
          listed.map((r) => r.report),
        ).counts,
      ).toEqual(tallyReports(schema, sent).counts);
      const aggregate = await aggregateRound({ ledger, round, schema });
      expect(aggregate.reports).toBe(patients.length);
      expect(aggregate.rejected).toBe(0);

      // A second round is independent; a closed round refuses reports.
      const next = await ledger.openRound({
        schemaHash: schema.hash,
        closesAt: BigInt((await anvil.provider.getBlock('latest'))!.timestamp) + 60n,
      });
      await ledger.submitReport({ round: next, patient: first, report: sent[0]! });
      expect(await ledger.listReports(next)).toHaveLength(1);
      await anvil.increaseTime(61);
      await expect(ledger.submitReport({ round: next, patient: patients[1]!, report: sent[1]! })).rejects.toThrow(
        RoundNotOpenError,
      );
      await expect(ledger.submitReport({ round: 99n, patient: first, report: sent[0]! })).rejects.toThrow(
        RoundNotOpenError,
      );
    },
  );
});
