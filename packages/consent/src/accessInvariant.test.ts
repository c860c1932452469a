/**
 * The access invariant over random histories: random sequences of consent actions, each possibly cut short by a
 * random fault, then a restart and resume; and garbage collection of the embedded IPFS node after any of them never
 * takes a current record.
 */
import { deployMhrChain } from '@mhrchain/contracts';
import { anvilTest } from '@mhrchain/contracts/testing';
import fc from 'fast-check';
import { describe, expect } from 'vitest';
import {
  assertInvariant,
  type Fault,
  farFuture,
  note,
  patientApp,
  restart,
  setUp,
  storage,
  useCrashWorld,
  type World,
} from '../test/crashWorld.js';
import { abandoned } from '../test/faults.js';
import { addRecord } from './addRecord.js';
import { grantAccess } from './grantAccess.js';
import { recordsOf } from './internal/records.js';
import { readRecord } from './readRecord.js';
import { revokeAccess } from './revokeAccess.js';
import type { AccessScope } from './scope.js';

useCrashWorld();

type Step =
  | { action: 'add'; category: number }
  | { action: 'grant'; doctor: 'A' | 'B'; scope: AccessScope }
  | { action: 'revoke'; doctor: 'A' | 'B' };

const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ action: fc.constant('add' as const), category: fc.constantFrom(1, 2) }),
  fc.record({
    action: fc.constant('grant' as const),
    doctor: fc.constantFrom('A' as const, 'B' as const),
    scope: fc.constantFrom<AccessScope>(
      { kind: 'all' },
      { kind: 'category', category: 1 },
      { kind: 'category', category: 2 },
    ),
  }),
  fc.record({ action: fc.constant('revoke' as const), doctor: fc.constantFrom('A' as const, 'B' as const) }),
);

const faultArbitrary: fc.Arbitrary<Fault> = fc.oneof(
  fc.constant({}),
  fc.record({
    send: fc.record({
      at: fc.integer({ min: 1, max: 2 }),
      fault: fc.constantFrom('refuse' as const, 'lost' as const, 'kill' as const),
    }),
  }),
  fc.record({
    store: fc.record({
      operation: fc.constantFrom('put' as const, 'pin' as const),
      at: fc.integer({ min: 1, max: 2 }),
    }),
  }),
);

async function run(world: World, step: Step, expiresAt: number): Promise<unknown> {
  const doctor = (name: 'A' | 'B') => (name === 'A' ? world.doctorA : world.doctorB).address;
  if (step.action === 'add')
    return addRecord(world.patient, {
      data: note(`c${step.category}`),
      metadata: { mediaType: 'text/plain' },
      category: step.category,
    });
  if (step.action === 'grant')
    return grantAccess(world.patient, { doctor: doctor(step.doctor), scope: step.scope, expiresAt });
  return revokeAccess(world.patient, { doctor: doctor(step.doctor) });
}

describe('the access invariant over random histories', () => {
  anvilTest(
    'random actions, each possibly cut short, then resumed: the invariant holds after every step',
    async ({ anvil }) => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(stepArbitrary, faultArbitrary), { minLength: 3, maxLength: 6 }),
          async (steps) => {
            const world = await setUp(anvil, await deployMhrChain({ deployer: anvil.signers[0]! }));
            const expiresAt = await farFuture(world);
            for (const [step, fault] of steps) {
              world.patient = await patientApp(world, fault);
              const call = run(world, step, expiresAt);
              // A revoke with no live grant, or a faulted call, fails; a killed one never returns. Then the app restarts.
              if (fault.send?.fault === 'kill') await abandoned(call, 1_000);
              else await call.catch(() => undefined);
              await restart(world);
              await assertInvariant(world);
            }
          },
        ),
        { numRuns: 8, seed: 20261204, endOnFailure: true },
      );
    },
  );

  anvilTest('garbage collection after any of these actions keeps every current record', async ({ anvil, mhrChain }) => {
    const world = await setUp(anvil, mhrChain);
    const expiresAt = await farFuture(world);
    for (const category of [1, 2, 1])
      await addRecord(world.patient, { data: note(`c${category}`), metadata: { mediaType: 'text/plain' }, category });
    await grantAccess(world.patient, { doctor: world.doctorA.address, scope: { kind: 'all' }, expiresAt });
    await grantAccess(world.patient, {
      doctor: world.doctorB.address,
      scope: { kind: 'category', category: 1 },
      expiresAt,
    });
    await grantAccess(world.patient, {
      doctor: world.doctorA.address,
      scope: { kind: 'category', category: 2 },
      expiresAt,
    });
    await revokeAccess(world.patient, { doctor: world.doctorB.address, rotation: 'eager' });
    // A crash between an anchor and its unpin, then resume.
    world.patient = await patientApp(world, { send: { at: 2, fault: 'lost' } });
    await revokeAccess(world.patient, { doctor: world.doctorA.address }).catch(() => undefined);
    await restart(world);
    await assertInvariant(world);

    await storage.store.helia.gc();
    const records = await recordsOf(world.patient, world.patient.address);
    expect(records).toHaveLength(3);
    for (const record of records) {
      const { data } = await readRecord(world.patient, { cid: record.versions.at(-1)!.cid });
      expect(new TextDecoder().decode(data)).toContain(`c${record.category}`);
    }
    // Superseded versions were released: the first version's header of a rotated record is gone after gc.
    const rotated = records.find((record) => record.versions.length > 1)!;
    expect(await storage.store.has(rotated.versions[0]!.cid)).toBe(false);
  });
});
