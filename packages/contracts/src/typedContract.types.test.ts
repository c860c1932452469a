// Type tests: `tsc --noEmit` (the package's typecheck) fails if a `@ts-expect-error` line compiles, i.e. if the
// bindings ever accept a wrong argument type, an unknown function, or an unknown event or error name.
import { describe, expectTypeOf, it } from 'vitest';
import { type ContractErrorArgs, type ContractErrorName, isContractRevert } from './errors.js';
import type { MhrChain } from './mhrChain.js';
import { scopeAll } from './scope.js';
import type { TimelineEntry } from './timeline.js';

const patient = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const recordId = `0x${'ab'.repeat(32)}`;

/** Never called: only compiled. */
async function compileOnly(chain: MhrChain) {
  // Correct calls compile, with precise result types.
  const active: boolean = await chain.consentManager.read.isGrantActive(patient, patient);
  const epoch: bigint = await chain.consentManager.read.keyEpochOf(patient);
  const grant = await chain.consentManager.read.grantOf(patient, patient);
  const serial: bigint = grant.serial;
  await chain.consentManager.write.grantAccess(patient, scopeAll(), 1_900_000_000n);
  await chain.recordRegistry.write.anchorRecord(new Uint8Array([1, 2]), 1);
  await chain.diseaseReports.write.openRound(recordId, 1_900_000_000);

  // @ts-expect-error a number is no address
  await chain.consentManager.read.isGrantActive(patient, 42);
  // @ts-expect-error missing argument
  await chain.consentManager.write.revokeAccess();
  // @ts-expect-error too many arguments
  await chain.consentManager.write.revokeAccess(patient, patient);
  // @ts-expect-error the scope struct needs kind, category and recordIds
  await chain.consentManager.write.grantAccess(patient, { kind: 0 }, 1n);
  // @ts-expect-error a string is no uint40
  await chain.consentManager.write.grantAccess(patient, scopeAll(), 'tomorrow');
  // @ts-expect-error unknown function
  await chain.consentManager.write.grantEverything(patient);
  // @ts-expect-error a view function is not a transaction
  await chain.consentManager.write.isGrantActive(patient, patient);
  // @ts-expect-error a transaction is not a view function
  await chain.consentManager.read.revokeAccess(patient);
  // @ts-expect-error unknown event name
  await chain.consentManager.events('GrantCreated');
  // @ts-expect-error an event of another contract
  await chain.consentManager.events('RecordAnchored');
  // @ts-expect-error grantOf returns a struct without such a field
  grant.owner;

  const granted = await chain.consentManager.events('AccessGranted');
  const doctor: string = granted[0]!.args.doctor;
  // @ts-expect-error AccessGranted has no recordId argument
  granted[0]!.args.recordId;

  return { active, epoch, serial, doctor };
}

describe('typed bindings (compile-time)', () => {
  it('types results, events, errors and timeline entries', () => {
    expectTypeOf(compileOnly).returns.resolves.toEqualTypeOf<{
      active: boolean;
      epoch: bigint;
      serial: bigint;
      doctor: string;
    }>();
    expectTypeOf<'NoActiveGrant'>().toExtend<ContractErrorName>();
    expectTypeOf<'NoSuchError'>().not.toExtend<ContractErrorName>();
    expectTypeOf<ContractErrorArgs<'NoActiveGrant'>>().toEqualTypeOf<{ patient: string; doctor: string }>();
    expectTypeOf<ContractErrorArgs<'ReportAlreadySubmitted'>>().toEqualTypeOf<{ roundId: bigint; patient: string }>();
    expectTypeOf<
      Extract<TimelineEntry, { eventName: 'AccessRevoked' }>['contract']
    >().toEqualTypeOf<'consentManager'>();

    const error: unknown = null;
    if (isContractRevert(error, 'RecordNotFound')) expectTypeOf(error.args.recordId).toEqualTypeOf<string>();
    // @ts-expect-error unknown custom-error name
    isContractRevert(error, 'NoSuchError');
  });
});
