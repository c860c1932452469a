/**
 * One person's app, in a process of its own (started by `startParty`): the patient's, the doctor's or the
 * colleague's. It holds the account's key and its consent client, keeps its storage, and does what the coordinator
 * asks over IPC, one message at a time. Plaintext never leaves this process: answers carry CIDs and hashes.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  addRecord,
  approveDelegation,
  approveRequest,
  type ConsentClient,
  createConsentClient,
  listReadableRecords,
  readRecord,
  registerDoctor,
  registerPatient,
  requestAccess,
  requestDelegation,
  revokeAccess,
} from '@mhrchain/consent';
import {
  createGatewayStorage,
  createKuboStorage,
  createReplicatedStorage,
  type ReplicatedStorage,
  type Storage,
} from '@mhrchain/core';
import { JsonRpcProvider, Wallet } from 'ethers';
import { CID } from 'multiformats/cid';
import type {
  AddedRecord,
  DurabilityStatus,
  FromParty,
  ListedRecord,
  PartyCommand,
  PartyInit,
  Published,
  ReadOutcome,
  Revocation,
  ToParty,
} from './protocol.js';

let party: { init: PartyInit; client: ConsentClient; storage: Storage; replicated?: ReplicatedStorage } | undefined;

async function start(init: PartyInit): Promise<void> {
  let storage: Storage;
  let replicated: ReplicatedStorage | undefined;
  if (init.storage.kind === 'replicated') {
    const nodes = await Promise.all(init.storage.nodes.map((url) => createKuboStorage({ url, timeout: 20_000 })));
    replicated = createReplicatedStorage({ nodes, k: init.storage.k });
    storage = replicated;
  } else {
    storage = await createGatewayStorage({
      gateways: init.storage.gateways,
      allowInsecure: true, // loopback gateways; every block is still checked against its CID
      timeout: init.storage.timeoutMs,
    });
  }
  // No answer cache: the other parties write to the chain from their own processes, and a read must see what they
  // wrote before it was asked (the default cache answers a repeated request for 250 ms).
  const provider = new JsonRpcProvider(init.rpcUrl, undefined, {
    staticNetwork: true,
    pollingInterval: 100,
    cacheTimeout: -1,
  });
  const client = await createConsentClient({
    signer: new Wallet(init.privateKey, provider),
    addresses: init.addresses,
    store: storage,
    identity: { origin: init.origin },
  });
  party = { init, client, storage, ...(replicated ? { replicated } : {}) };
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const published = (v: { recordId: string; version: number; cid: CID }): Published => ({
  recordId: v.recordId,
  version: v.version,
  cid: v.cid.toString(),
});

async function perform(command: PartyCommand): Promise<unknown> {
  if (!party) throw new Error('The party was not started.');
  const { client, init } = party;
  switch (command.action) {
    case 'register':
      await (init.role === 'patient' ? registerPatient(client) : registerDoctor(client));
      return client.address;
    case 'addRecord': {
      const data =
        command.text !== undefined
          ? new TextEncoder().encode(command.text)
          : new Uint8Array(randomBytes(command.size ?? 0));
      const added = await addRecord(client, {
        data,
        metadata: { mediaType: command.mediaType, title: command.title },
        category: command.category,
      });
      return {
        recordId: added.recordId,
        cid: added.cid.toString(),
        size: data.length,
        sha256: sha256(data),
      } satisfies AddedRecord;
    }
    case 'requestAccess':
      await requestAccess(client, {
        patient: command.patient,
        scope: { kind: 'all' },
        purpose: 'TREAT',
        duration: command.days * 86_400,
      });
      return null;
    case 'approveRequest':
      return (await approveRequest(client, { doctor: command.doctor })).released.map(published);
    case 'requestDelegation': {
      const latest = await client.provider.getBlock('latest');
      await requestDelegation(client, {
        patient: command.patient,
        colleague: command.colleague,
        scope: { kind: 'category', category: command.category },
        expiresAt: (latest?.timestamp ?? Math.floor(Date.now() / 1000)) + 7 * 86_400,
      });
      return null;
    }
    case 'approveDelegation':
      return (await approveDelegation(client, { colleague: command.colleague })).released.map(published);
    case 'revokeAccess': {
      // Eager: new data keys, so a data key the doctor kept opens nothing published from now on.
      const revoked = await revokeAccess(client, { doctor: command.doctor, rotation: 'eager' });
      return {
        keyEpoch: revoked.keyEpoch.toString(),
        rotated: revoked.rotated.map(published),
      } satisfies Revocation;
    }
    case 'listReadable':
      return (await listReadableRecords(client)).map(
        (r): ListedRecord => ({
          recordId: r.recordId,
          cid: r.cid.toString(),
          category: r.category,
          version: r.version,
        }),
      );
    case 'read':
      try {
        const { data, metadata } = await readRecord(client, { cid: CID.parse(command.cid) });
        return { opened: true, title: metadata.title, size: data.length, sha256: sha256(data) } satisfies ReadOutcome;
      } catch (error) {
        return { opened: false, error: error instanceof Error ? error.name : String(error) } satisfies ReadOutcome;
      }
    case 'status': {
      if (!party.replicated) throw new Error('Only the patient keeps records on IPFS nodes.');
      const status = await party.replicated.status(CID.parse(command.cid));
      return {
        pinned: status.pinned,
        k: status.k,
        perNode: status.perNode.map((p) => (p === true ? 'pinned' : p === false ? 'not pinned' : 'unreachable')),
      } satisfies DurabilityStatus;
    }
  }
}

const send = (message: FromParty) => process.send?.(message);

// One message at a time, in order: a party's actions build on each other (nonces, journal, records).
let queue = Promise.resolve();
process.on('message', (message: ToParty) => {
  queue = queue.then(async () => {
    try {
      const result = message.action === 'init' ? await start(message.init) : await perform(message);
      send({ id: message.id, ok: true, result: result ?? null });
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      send({ id: message.id, ok: false, error: { name: e.name, message: e.message } });
    }
  });
});
process.on('disconnect', () => {
  void party?.storage.close().finally(() => process.exit(0));
  if (!party) process.exit(0);
});
