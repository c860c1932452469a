// Type tests: `tsc --noEmit` (the package's typecheck) fails if a `@ts-expect-error` line compiles, i.e. if the
// bindings ever accept a wrong argument type, an unknown function, or an unknown event or error name.
import { describe, expectTypeOf, it } from 'vitest';
import type { Abi, EventFilterArgs, EventName } from './abiTypes.js';
import { type ContractErrorArgs, type ContractErrorName, isContractRevert } from './errors.js';
import type { EventIndex } from './eventIndex.js';
import { encodeEventTopics } from './eventTopics.js';
import type { consentManagerAbi } from './generated/index.js';
import { createLogReader, readContractEvents } from './logReader.js';
import type { MhrChain } from './mhrChain.js';
import { scopeAll } from './scope.js';
import type { TimelineEntry } from './timeline.js';
import type { DecodedEvent, TypedContract } from './typedContract.js';
import type { AccessRequest, Delegation, Grant, LoggedScope } from './views.js';

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
  await chain.consentManager.write.revokeAccess(patient, 1, 2);
  // @ts-expect-error the scope struct needs kind, category and recordIds
  await chain.consentManager.write.grantAccess(patient, { kind: 0 }, 1n);
  // @ts-expect-error a string is no uint40
  await chain.consentManager.write.grantAccess(patient, scopeAll(), 'tomorrow');
  // @ts-expect-error unknown function
  await chain.consentManager.write.grantEverything(patient);
  // @ts-expect-error a view function is not a transaction
  await chain.consentManager.write.isGrantActive(patient, patient);
  // @ts-expect-error a transaction is not a view function
  await chain.consentManager.read.revokeAccess(patient, 1);
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

/** A caller's generic reader over either path (what consent does), with no cast: the filter type passes through. */
async function eventsOf<TAbi extends Abi, E extends EventName<TAbi>>(
  contract: TypedContract<TAbi>,
  name: E,
  args: EventFilterArgs<TAbi, E>,
  index?: EventIndex,
): Promise<DecodedEvent<TAbi, E>[]> {
  if (index) return index.events(contract, name, { args });
  return contract.events(name, { args, fromBlock: 0 });
}

/** Never called: only compiled. Event filters by indexed argument, through every query path. */
async function eventFilters(chain: MhrChain, index: EventIndex) {
  // One indexed argument, two, and arrays (any of them); `null` matches anything.
  const granted = await chain.consentManager.events('AccessGranted', { args: { patient } });
  await chain.consentManager.events('AccessGranted', { args: { patient, doctor: [patient, patient] }, fromBlock: 1 });
  await chain.consentManager.events('AccessGranted', { args: { patient: null, actor: patient }, toBlock: 'latest' });
  await chain.recordRegistry.events('RecordAnchored', { args: { recordId: [recordId, new Uint8Array(32)] } });
  await chain.diseaseReports.events('ReportSubmitted', { args: { roundId: [1n, 2] } });
  // @ts-expect-error serial is not indexed: a log query cannot filter on it
  await chain.consentManager.events('AccessGranted', { args: { serial: 1 } });
  // @ts-expect-error AccessGranted has no recordId argument
  await chain.consentManager.events('AccessGranted', { args: { recordId } });
  // @ts-expect-error a number is no address
  await chain.consentManager.events('AccessGranted', { args: { patient: 42 } });
  // @ts-expect-error a uint64 is no string
  await chain.diseaseReports.events('ReportSubmitted', { args: { roundId: 'first' } });
  // @ts-expect-error the filter names the arguments of the event asked for, not of another
  await chain.identityRegistry.events('DoctorAttested', { args: { patient } });

  // The same filter through a range-limited log reader and through an event index.
  const reader = createLogReader({ provider: chain.consentManager.contract.runner!.provider! });
  const read = await readContractEvents(reader, chain.delegationRegistry, 'DelegationApproved', {
    args: { colleague: [patient] },
    fromBlock: 0,
    toBlock: 10,
  });
  await readContractEvents(reader, chain.delegationRegistry, 'DelegationApproved', {
    // @ts-expect-error scopeHash is not indexed
    args: { scopeHash: recordId },
    fromBlock: 0,
    toBlock: 1,
  });
  const indexed = await index.events(chain.recordRegistry, 'RecordErased', { args: { patient, actor: [patient] } });
  // @ts-expect-error positional filters are gone: name the arguments
  await index.events(chain.recordRegistry, 'RecordErased', [null, patient]);
  encodeEventTopics(chain.consentManager.abi, 'AccessRevoked', { doctor: patient });
  // @ts-expect-error keyEpoch is not indexed
  encodeEventTopics(chain.consentManager.abi, 'AccessRevoked', { keyEpoch: 1n });

  const viaHelper = await eventsOf(chain.consentManager, 'AccessRequested', { doctor: patient }, index);
  // @ts-expect-error purpose is not indexed
  await eventsOf(chain.consentManager, 'AccessRequested', { purpose: 1 });

  return { granted, read, indexed, viaHelper };
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

    // Decoded events carry typed arguments, whatever path read them.
    type Filtered = Awaited<ReturnType<typeof eventFilters>>;
    expectTypeOf<Filtered['granted']>().toEqualTypeOf<DecodedEvent<typeof consentManagerAbi, 'AccessGranted'>[]>();
    expectTypeOf<Filtered['granted'][number]['eventName']>().toEqualTypeOf<'AccessGranted'>();
    expectTypeOf<Filtered['granted'][number]['args']['expiresAt']>().toEqualTypeOf<bigint>();
    expectTypeOf<Filtered['read'][number]['args']['colleague']>().toEqualTypeOf<string>();
    expectTypeOf<Filtered['indexed'][number]['args']['recordId']>().toEqualTypeOf<string>();
    expectTypeOf<Filtered['viaHelper'][number]['args']['duration']>().toEqualTypeOf<bigint>();
    expectTypeOf<EventFilterArgs<typeof consentManagerAbi, 'AccessRevoked'>>().toEqualTypeOf<{
      readonly patient?: string | readonly string[] | null;
      readonly doctor?: string | readonly string[] | null;
      readonly actor?: string | readonly string[] | null;
    }>();
    // An event without indexed arguments accepts no filter.
    const plainAbi = [
      { type: 'event', name: 'Ping', inputs: [{ name: 'at', type: 'uint256', indexed: false }], anonymous: false },
    ] as const;
    expectTypeOf<EventFilterArgs<typeof plainAbi, 'Ping'>>().toEqualTypeOf<{ readonly [name: string]: never }>();

    // The views' results, typed from the ABI.
    expectTypeOf<Grant>().toEqualTypeOf<{
      serial: bigint;
      status: bigint;
      kind: bigint;
      category: bigint;
      grantedAt: bigint;
      expiresAt: bigint;
    }>();
    expectTypeOf<AccessRequest['status']>().toEqualTypeOf<bigint>();
    expectTypeOf<Delegation['doctor']>().toEqualTypeOf<string>();
    expectTypeOf<LoggedScope['recordIds']>().toEqualTypeOf<readonly string[]>();

    const error: unknown = null;
    if (isContractRevert(error, 'RecordNotFound')) expectTypeOf(error.args.recordId).toEqualTypeOf<string>();
    // @ts-expect-error unknown custom-error name
    isContractRevert(error, 'NoSuchError');
  });
});
