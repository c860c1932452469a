import { ContractRevertError, signRelayedAction, submitRelayedAction } from '@mhrchain/contracts';
import { anvilTest } from '@mhrchain/contracts/testing';
import { describe, expect } from 'vitest';
import { farFuture, note, setUp, useCrashWorld } from '../test/crashWorld.js';
import { addRecord } from './addRecord.js';
import { cancelSignedActions } from './cancelSignedActions.js';
import { getTimeline } from './getTimeline.js';
import { grantAccess } from './grantAccess.js';

useCrashWorld();

describe('cancelSignedActions', () => {
  anvilTest(
    'a signed revoke the relayer withheld can no longer be submitted once cancelled',
    async ({ anvil, mhrChain }) => {
      const world = await setUp(anvil, mhrChain);
      const { patient, doctorA } = world;
      await addRecord(patient, { data: note('r'), metadata: { mediaType: 'text/plain' }, category: 1 });
      await grantAccess(patient, {
        doctor: doctorA.address,
        scope: { kind: 'all' },
        expiresAt: await farFuture(world),
      });
      // The patient signs a revoke; the relayer keeps it instead of submitting it.
      const withheld = await signRelayedAction({
        chain: patient.chain,
        signer: patient.signer,
        action: 'RevokeAccess',
        message: { patient: patient.address, doctor: doctorA.address },
      });
      expect(await cancelSignedActions(patient)).toHaveLength(4);
      const relayer = mhrChain.chain; // any account may submit a signed action
      await expect(submitRelayedAction(relayer, withheld)).rejects.toThrow(ContractRevertError);
      expect(await patient.chain.consentManager.read.isGrantActive(patient.address, doctorA.address)).toBe(true);
      const cancelled = (await getTimeline(patient)).filter((e) => e.kind === 'signatures-cancelled');
      expect(cancelled.map((e) => e.contract)).toEqual(
        ['consentManager', 'delegationRegistry', 'recordRegistry', 'identityRegistry'].map(
          (name) => mhrChain.addresses[name as keyof typeof mhrChain.addresses],
        ),
      );
    },
  );
});
