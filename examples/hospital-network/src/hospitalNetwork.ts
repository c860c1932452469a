/**
 * A small hospital network on real IPFS nodes: three Kubo daemons (the patient's home node, the hospital's, a
 * clinic's), peered with each other and with nothing else, and one local chain. The patient, the doctor and the
 * colleague each run in a process of their own (`party.ts`); this coordinator starts the infrastructure, tells each
 * party what to do, and reports where every record's blocks live and who can open what.
 *
 * - The patient's app stores through a replicated storage over the three nodes: a record counts as stored once it
 *   is pinned on k = 2 of them.
 * - The doctor reads through the hospital node's gateway (then the clinic's), the colleague through the clinic's:
 *   trustless gateways, every block checked against its CID. Neither reader can write.
 * - The doctor is granted everything; the doctor asks the patient to let a colleague see the imaging, and the patient
 *   approves.
 * - The hospital node is stopped: the records are still pinned on k nodes and the doctor still reads.
 * - The patient revokes the doctor (which ends the colleague's delegation): new versions without them, the old ones
 *   unpinned and collected from every node.
 */
import { attestDoctor, createConsentClient, createMemoryRecordStore } from '@mhrchain/consent';
import { deployMhrChain } from '@mhrchain/contracts';
import { startAnvil } from '@mhrchain/contracts/anvil';
import { createKuboStorage, type KuboStorage } from '@mhrchain/core';
import { type KuboInstance, localOnlyViolations, startKubo } from '@mhrchain/core/kubo';
import { CID } from 'multiformats/cid';
import { type PartyProcess, startParty } from './partyProcess.js';
import { type NetworkNode, type Placement, placementOf } from './placement.js';
import type {
  AddedRecord,
  DurabilityStatus,
  ListedRecord,
  PartyInit,
  Published,
  ReadOutcome,
  Revocation,
  Role,
} from './protocol.js';

/** Options of {@link runHospitalNetwork}. */
export interface RunHospitalNetworkOptions {
  /** Where the story is told (default: `console.log`). */
  readonly log?: (line: string) => void;
  /** Size of the imaging record in bytes. Default: 4 MiB (four payload leaves). */
  readonly imagingBytes?: number;
}

/** Who can open a record's version, per party asked. */
export type AccessRow = Readonly<Partial<Record<Role, ReadOutcome>>>;

/** The outcome of a run, for tests and tools. */
export interface HospitalNetworkReport {
  /** The process id of the coordinator and of each party. */
  readonly pids: Readonly<Record<'coordinator' | Role, number>>;
  readonly nodes: readonly { readonly name: string; readonly peerId: string; readonly localOnly: boolean }[];
  /** Peers each node is connected to. */
  readonly peers: Readonly<Record<string, number>>;
  readonly records: Readonly<Record<string, AddedRecord>>;
  /** After the grant and the delegation: the current versions. */
  readonly shared: {
    readonly versions: Readonly<Record<string, string>>;
    readonly placement: Readonly<Record<string, Placement>>;
    readonly durability: Readonly<Record<string, DurabilityStatus>>;
    readonly listed: Readonly<Record<Role, readonly ListedRecord[]>>;
    readonly access: Readonly<Record<string, AccessRow>>;
  };
  /** After the hospital node stopped. */
  readonly nodeLost: {
    readonly stopped: string;
    readonly durability: Readonly<Record<string, DurabilityStatus>>;
    readonly access: Readonly<Record<string, AccessRow>>;
  };
  /** After the revocation (and garbage collection on every node). */
  readonly revoked: {
    readonly revocation: Revocation;
    readonly versions: Readonly<Record<string, string>>;
    readonly listed: Readonly<Record<Role, readonly ListedRecord[]>>;
    /** The new versions. */
    readonly access: Readonly<Record<string, AccessRow>>;
    /** The versions the doctor and colleague could open before (asked of them only). */
    readonly previousAccess: Readonly<Record<string, AccessRow>>;
    readonly previousPlacement: Readonly<Record<string, Placement>>;
  };
}

/** The origin the parties' encryption keys are bound to (`createConsentClient({ identity: { origin } })`). */
const ORIGIN = 'https://hospital-network.example';
/** Categories of the example's records. */
const VITALS = 1;
const IMAGING = 2;
const ROLES: readonly Role[] = ['patient', 'doctor', 'colleague'];
/**
 * How long a reader's gateway storage waits for a block. A block on no node is never served: a read of one fails
 * with `BlockNotFoundError` after this long (the check after the revocation waits that long).
 */
const READ_TIMEOUT_MS = 10_000;

/** Runs the whole story (about half a minute) and returns what happened; everything it started is stopped after. */
export async function runHospitalNetwork(options: RunHospitalNetworkOptions = {}): Promise<HospitalNetworkReport> {
  const log = options.log ?? ((line: string) => console.log(line));
  const imagingBytes = options.imagingBytes ?? 4 * 1024 * 1024;
  const kubos: KuboInstance[] = [];
  const parties: PartyProcess[] = [];
  const anvil = await startAnvil();
  try {
    // 1. Three IPFS nodes, local only, each connected to the two others.
    const names = ['home', 'hospital', 'clinic'] as const;
    for (const _ of names) kubos.push(await startKubo());
    const [home, hospital, clinic] = kubos as [KuboInstance, KuboInstance, KuboInstance];
    await home.connect(hospital);
    await home.connect(clinic);
    await hospital.connect(clinic);
    const offline: KuboStorage[] = await Promise.all(
      kubos.map((k) => createKuboStorage({ url: k.apiUrl, offline: true })),
    );
    const network: NetworkNode[] = names.map((name, i) => ({
      name,
      storage: offline[i]!,
      get running() {
        return kubos[i]!.running;
      },
    }));
    const nodes = await Promise.all(
      names.map(async (name, i) => ({
        name,
        peerId: kubos[i]!.peerId,
        localOnly: localOnlyViolations(await kubos[i]!.config()).length === 0,
      })),
    );
    const peers: Record<string, number> = {};
    for (const [i, name] of names.entries()) {
      const response = await fetch(`${kubos[i]!.apiUrl}/api/v0/swarm/peers`, { method: 'POST' });
      peers[name] = ((await response.json()) as { Peers: unknown[] | null }).Peers?.length ?? 0;
    }
    log('IPFS nodes (Kubo, local only, peered with each other only):');
    for (const node of nodes)
      log(
        `  ${node.name.padEnd(8)} ${node.peerId}  ${peers[node.name]} peers  local only: ${node.localOnly ? 'yes' : 'NO'}`,
      );

    // 2. The chain: contracts deployed, a registrar appointed (the coordinator acts as the medical board).
    const [admin, patientWallet, doctorWallet, colleagueWallet] = anvil.signers;
    const { addresses, chain } = await deployMhrChain({ deployer: admin! });
    await chain.identityRegistry.write.setRegistrar(admin!.address, true);
    const registrar = await createConsentClient({
      signer: admin!,
      addresses,
      store: createMemoryRecordStore(),
      identity: { origin: ORIGIN },
    });

    // 3. The three parties, each in its own process.
    const base = { rpcUrl: anvil.rpcUrl, addresses, origin: ORIGIN };
    const inits: Record<Role, PartyInit> = {
      patient: {
        ...base,
        role: 'patient',
        privateKey: patientWallet!.privateKey,
        storage: { kind: 'replicated', nodes: kubos.map((k) => k.apiUrl), k: 2 },
      },
      doctor: {
        ...base,
        role: 'doctor',
        privateKey: doctorWallet!.privateKey,
        storage: { kind: 'gateway', gateways: [hospital.gatewayUrl, clinic.gatewayUrl], timeoutMs: READ_TIMEOUT_MS },
      },
      colleague: {
        ...base,
        role: 'colleague',
        privateKey: colleagueWallet!.privateKey,
        storage: { kind: 'gateway', gateways: [clinic.gatewayUrl], timeoutMs: READ_TIMEOUT_MS },
      },
    };
    const [patient, doctor, colleague] = await Promise.all(ROLES.map((role) => startParty(inits[role])));
    parties.push(patient!, doctor!, colleague!);
    const party: Record<Role, PartyProcess> = { patient: patient!, doctor: doctor!, colleague: colleague! };
    const pids = { coordinator: process.pid, patient: patient!.pid, doctor: doctor!.pid, colleague: colleague!.pid };
    log(
      `\nProcesses: coordinator ${pids.coordinator}, patient ${pids.patient}, doctor ${pids.doctor}, colleague ${pids.colleague}`,
    );
    log('  patient   writes to home, hospital and clinic (k = 2 pinned copies)');
    log('  doctor    reads through the hospital gateway, then the clinic gateway (verified)');
    log('  colleague reads through the clinic gateway (verified)');

    const patientAddress = await party.patient.call<string>({ action: 'register' });
    const doctorAddress = await party.doctor.call<string>({ action: 'register' });
    const colleagueAddress = await party.colleague.call<string>({ action: 'register' });
    const validUntil = Math.floor(Date.now() / 1000) + 365 * 86_400;
    for (const account of [doctorAddress, colleagueAddress])
      await attestDoctor(registrar, { doctor: account, validUntil });

    // 4. The patient adds two records.
    const records: Record<string, AddedRecord> = {};
    records['Resting heart rate'] = await party.patient.call<AddedRecord>({
      action: 'addRecord',
      title: 'Resting heart rate',
      mediaType: 'application/fhir+json',
      category: VITALS,
      text: JSON.stringify({ resourceType: 'Observation', code: { text: 'heart rate' }, valueQuantity: { value: 72 } }),
    });
    records['Chest CT'] = await party.patient.call<AddedRecord>({
      action: 'addRecord',
      title: 'Chest CT',
      mediaType: 'application/dicom',
      category: IMAGING,
      size: imagingBytes,
    });
    const titles = Object.keys(records);
    const versions: Record<string, string> = Object.fromEntries(titles.map((t) => [t, records[t]!.cid]));
    const titleOf = (recordId: string) => titles.find((t) => records[t]!.recordId === recordId)!;
    const apply = (published: readonly Published[]) => {
      for (const v of published) versions[titleOf(v.recordId)] = v.cid;
    };
    log('\nThe patient added:');
    for (const t of titles) log(`  ${t.padEnd(20)} ${records[t]!.size} bytes  ${records[t]!.cid}`);

    // 5. The doctor asks for access; the patient grants it (headers re-wrapped for the doctor: new versions).
    await party.doctor.call({ action: 'requestAccess', patient: patientAddress, days: 30 });
    apply(await party.patient.call<Published[]>({ action: 'approveRequest', doctor: doctorAddress }));
    // The doctor asks to share the imaging with a colleague; the patient approves.
    await party.doctor.call({
      action: 'requestDelegation',
      patient: patientAddress,
      colleague: colleagueAddress,
      category: IMAGING,
    });
    apply(await party.patient.call<Published[]>({ action: 'approveDelegation', colleague: colleagueAddress }));
    log('\nThe doctor was granted every record; the colleague, with the patient’s approval, the imaging.');

    const placementOfAll = async (cids: Record<string, string>) =>
      Object.fromEntries(
        await Promise.all(titles.map(async (t) => [t, await placementOf(network, CID.parse(cids[t]!))] as const)),
      );
    const durabilityOfAll = async (cids: Record<string, string>) => {
      const out: Record<string, DurabilityStatus> = {};
      for (const t of titles) out[t] = await party.patient.call<DurabilityStatus>({ action: 'status', cid: cids[t]! });
      return out;
    };
    const accessOfAll = async (cids: Record<string, string>, roles = ROLES) => {
      const out: Record<string, AccessRow> = {};
      for (const t of titles) {
        const row: Partial<Record<Role, ReadOutcome>> = {};
        await Promise.all(
          roles.map(async (role) => {
            row[role] = await party[role].call<ReadOutcome>({ action: 'read', cid: cids[t]! });
          }),
        );
        out[t] = row;
      }
      return out;
    };
    const listedByAll = async () => {
      const out = {} as Record<Role, ListedRecord[]>;
      for (const role of ROLES) out[role] = await party[role].call<ListedRecord[]>({ action: 'listReadable' });
      return out;
    };
    const printPlacement = (placement: Record<string, Placement>, cids: Record<string, string>) => {
      for (const t of titles) {
        const p = placement[t]!;
        log(`  ${t} (${cids[t]!.slice(0, 16)}…, ${p.blocks > 0 ? `${p.blocks} blocks` : 'on no running node'})`);
        const held = (n: Placement['nodes'][number]) =>
          n.state === 'down' || p.blocks === 0 ? '' : ` ${n.blocks}/${p.blocks}`;
        log(`    ${p.nodes.map((n) => `${n.node}: ${n.state}${held(n)}`).join(' · ')}`);
      }
    };
    const printDurability = (durability: Record<string, DurabilityStatus>) => {
      for (const t of titles) {
        const d = durability[t]!;
        log(
          `  ${t.padEnd(20)} pinned on ${d.pinned} of ${d.perNode.length} (k = ${d.k}): ` +
            d.perNode.map((state, i) => `${names[i]} ${state}`).join(', '),
        );
      }
    };
    const printAccess = (access: Record<string, AccessRow>) => {
      for (const t of titles) {
        const row = access[t]!;
        const cell = (o: ReadOutcome) =>
          o.opened ? (o.sha256 === records[t]!.sha256 ? 'opens (intact)' : 'opens (DIFFERENT BYTES)') : o.error;
        const cells = ROLES.filter((role) => row[role] !== undefined).map((role) => `${role}: ${cell(row[role]!)}`);
        log(`  ${t.padEnd(20)} ${cells.join(' · ')}`);
      }
    };

    const sharedVersions = { ...versions };
    const sharedPlacement = await placementOfAll(sharedVersions);
    const sharedDurability = await durabilityOfAll(sharedVersions);
    const sharedListed = await listedByAll();
    const sharedAccess = await accessOfAll(sharedVersions);
    log('\nWhere the current versions live (pinned / cached / absent, blocks held):');
    printPlacement(sharedPlacement, sharedVersions);
    log('Durability, as the patient’s app sees it:');
    printDurability(sharedDurability);
    log('Who can open them:');
    printAccess(sharedAccess);
    log(
      `The chain lists for the doctor ${sharedListed.doctor.length} record(s), for the colleague ${sharedListed.colleague.length}.`,
    );

    // 6. A node is lost after the records were durable: the hospital's, the one the doctor was reading through.
    await hospital.stop();
    const lostDurability = await durabilityOfAll(sharedVersions);
    const lostAccess = await accessOfAll(sharedVersions);
    log('\nThe hospital node stopped.');
    printDurability(lostDurability);
    printAccess(lostAccess);
    await hospital.restart();
    await hospital.connect(home);
    await hospital.connect(clinic);
    log('The hospital node is back (same repository, same addresses).');

    // 7. The patient revokes the doctor: the colleague's delegation ends with it. The superseded versions are
    //    unpinned by the patient's app and collected by every node's garbage collector.
    const revocation = await party.patient.call<Revocation>({ action: 'revokeAccess', doctor: doctorAddress });
    apply(revocation.rotated);
    for (const node of offline) await node.gc();
    const revokedListed = await listedByAll();
    const revokedAccess = await accessOfAll(versions);
    // The doctor and colleague: the blocks are gone from every node, so their gateways find nothing to serve.
    const previousAccess = await accessOfAll(sharedVersions, ['doctor', 'colleague']);
    const previousPlacement = await placementOfAll(sharedVersions);
    log(
      `\nThe patient revoked the doctor (key epoch ${revocation.keyEpoch}): ${revocation.rotated.length} record(s) re-encrypted.`,
    );
    log(
      `The chain lists for the doctor ${revokedListed.doctor.length} record(s), for the colleague ${revokedListed.colleague.length}.`,
    );
    log('New versions:');
    printAccess(revokedAccess);
    log('The versions they could open before (unpinned, then garbage-collected):');
    printPlacement(previousPlacement, sharedVersions);
    printAccess(previousAccess);

    return {
      pids,
      nodes,
      peers,
      records,
      shared: {
        versions: sharedVersions,
        placement: sharedPlacement,
        durability: sharedDurability,
        listed: sharedListed,
        access: sharedAccess,
      },
      nodeLost: { stopped: 'hospital', durability: lostDurability, access: lostAccess },
      revoked: {
        revocation,
        versions: { ...versions },
        listed: revokedListed,
        access: revokedAccess,
        previousAccess,
        previousPlacement,
      },
    };
  } finally {
    await Promise.allSettled(parties.map((p) => p.stop()));
    await Promise.allSettled(kubos.map((k) => k.destroy()));
    await anvil.stop();
  }
}
