import type { consentManagerAbi, DecodedEvent } from '@mhrchain/contracts';
import { getAddress } from 'ethers';
import type { PendingRequest } from '../getPendingRequest.js';
import { purposeOfUseFromNumber } from '../purposeOfUse.js';
import { requestIdOf } from '../requestBinding.js';
import { fromScopeTuple } from '../scope.js';

/** The pending request an `AccessRequested` event describes (whether the contract still holds it is not checked). */
export function pendingRequestOf(event: DecodedEvent<typeof consentManagerAbi, 'AccessRequested'>): PendingRequest {
  return {
    requestId: requestIdOf({ transactionHash: event.transactionHash, logIndex: event.logIndex }),
    patient: getAddress(event.args.patient),
    doctor: getAddress(event.args.doctor),
    scope: fromScopeTuple(event.args.scope),
    purpose: purposeOfUseFromNumber(event.args.purpose),
    duration: Number(event.args.duration),
    serial: Number(event.args.serial),
    blockNumber: event.blockNumber,
  };
}
