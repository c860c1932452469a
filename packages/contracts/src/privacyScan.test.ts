import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { hexlify, keccak256, toUtf8Bytes } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnvilInstance, startAnvil } from './anvil.js';
import { connectMhrChain, type DeployMhrChainReturnType, deployMhrChain } from './mhrChain.js';
import { OBSERVER_VIEW, type ObservableFact } from './observerView.js';
import { scanChainPrivacy } from './privacyScan.js';
import { scopeAll, scopeRecords } from './scope.js';

const NAME = 'Ana Quintero';
const DIAGNOSIS = 'atrial fibrillation';
const FILE = new Uint8Array(4096).map((_, i) => (i * 131 + 7) % 256);
const plaintexts = [NAME, DIAGNOSIS, 'TREAT', 'treatment', { label: 'the PDF', bytes: FILE }];

let anvil: AnvilInstance;
let deployment: DeployMhrChainReturnType;
let recordId: string;
let storyEnd: number;

/** A whole consent story through the contracts, on a chain of its own (the scan reads every block from 0). */
beforeAll(async () => {
  anvil = await startAnvil();
  deployment = await deployMhrChain({ deployer: anvil.signers[0]! });
  const [admin, patient, doctor, colleague, relayer] = [0, 1, 2, 3, 4].map((i) => anvil.signers[i]!);
  const as = (signer: (typeof anvil.signers)[number]) => connectMhrChain(signer, deployment.addresses);
  await as(admin!).identityRegistry.write.setRegistrar(admin!.address, true);
  const now = BigInt((await anvil.provider.getBlock('latest'))!.timestamp);
  for (const account of [patient, doctor, colleague])
    await as(account!).identityRegistry.write.register(keccak256(toUtf8Bytes(account!.address)));
  for (const account of [doctor, colleague])
    await as(admin!).identityRegistry.write.attestDoctor(account!.address, now + 86_400n * 365n);
  const cid = toUtf8Bytes('bafy-an-envelope-cid');
  const anchored = await as(patient!).recordRegistry.write.anchorRecord(cid, 1);
  recordId = anchored.events.find((e) => e.eventName === 'RecordAnchored')!.args.recordId as string;
  await as(patient!).recordRegistry.write.supersedeRecords([recordId], [toUtf8Bytes('bafy-version-1')]);
  await as(doctor!).consentManager.write.requestAccess(patient!.address, scopeRecords([recordId]), 1, 86_400);
  await as(patient!).consentManager.write.grantAccess(doctor!.address, scopeAll(), now + 86_400n);
  await as(patient!).consentManager.write.revokeAccess(doctor!.address, 1);
  await as(patient!).recordRegistry.write.eraseRecords([recordId]);
  await as(relayer!).recordRegistry.write.invalidateNonces(1n);
  storyEnd = await anvil.provider.getBlockNumber();
}, 60_000);

afterAll(async () => {
  await anvil?.stop();
});

describe('scanChainPrivacy', () => {
  it('reads every transaction, event and storage slot, and finds neither plaintext nor unlisted field', async () => {
    const scan = await scanChainPrivacy({
      provider: anvil.provider,
      addresses: deployment.addresses,
      plaintexts,
      toBlock: storyEnd,
    });
    expect(scan.leaks).toEqual([]);
    expect(scan.unlisted).toEqual([]);
    expect(scan.transactions).toBeGreaterThanOrEqual(19); // 6 deployments + the story
    expect(scan.storageSlots).toBeGreaterThan(10);
    for (const field of [
      'consentManager.requestAccess(patient, scope.kind, scope.category, scope.recordIds, purpose, duration)',
      'consentManager.AccessRequested{patient, doctor, serial, scope.kind, scope.category, scope.recordIds, purpose, duration}',
      'recordRegistry.RecordErased{recordId, patient, actor}',
      'consentManager.storage',
      'transaction.deploy',
    ])
      expect(scan.observed.get(field), field).toBeGreaterThan(0);
  });

  it('finds a plaintext put on chain, as text or as file bytes, in calldata, events and other transactions', async () => {
    const patient = anvil.signers[5]!;
    const chain = connectMhrChain(patient, deployment.addresses);
    const before = await anvil.provider.getBlockNumber();
    // an application that misuses the CID field for a name, and one that sends a file fragment as plain calldata
    await chain.recordRegistry.write.anchorRecord(toUtf8Bytes(`note: ${NAME}`), 3);
    await (
      await patient.sendTransaction({ to: anvil.signers[6]!.address, data: hexlify(FILE.slice(100, 300)) })
    ).wait();
    const scan = await scanChainPrivacy({
      provider: anvil.provider,
      addresses: deployment.addresses,
      plaintexts,
      fromBlock: before + 1,
    });
    expect(scan.leaks.map((l) => [l.plaintext, l.field])).toEqual(
      expect.arrayContaining([
        [NAME, 'recordRegistry.anchorRecord(cid, category)'],
        [NAME, 'recordRegistry.RecordAnchored{recordId, patient, actor, category, cid}'],
        ['the PDF', 'transaction.data'],
      ]),
    );
    expect(scan.leaks.some((l) => l.field === 'recordRegistry.storage')).toBe(false); // storage keeps no CID
    expect(scan.unlisted).toEqual(['transaction.data']); // calldata to a non-MHR account is not on the list
  });

  it('reports every observed field that the view leaves out', async () => {
    const view = OBSERVER_VIEW.filter((fact) => fact.fact !== 'record-erasure');
    const scan = await scanChainPrivacy({
      provider: anvil.provider,
      addresses: deployment.addresses,
      view,
      toBlock: storyEnd,
    });
    expect(scan.unlisted).toEqual([
      'recordRegistry.RecordErased{recordId, patient, actor}',
      'recordRegistry.eraseRecords(recordIds)',
    ]);
  });
});

/** The threat model's table of what an observer learns, rendered from {@link OBSERVER_VIEW}. */
function renderObserverView(view: readonly ObservableFact[]): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const rows = view.map(
    (fact) =>
      `| \`${fact.fact}\` | ${cell(fact.learns)} | ${cell(fact.why)} | ${fact.fields.map((f) => `\`${cell(f)}\``).join('<br>')} |`,
  );
  return [
    '| Fact | What an observer learns | Why it stays on chain | Fields |',
    '| --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

describe('the threat model lists exactly the observer view', () => {
  it('docs/threat-model.md holds the table rendered from OBSERVER_VIEW (MHR_UPDATE_DOCS=1 rewrites it)', async () => {
    const path = fileURLToPath(new URL('../../../docs/threat-model.md', import.meta.url));
    const doc = await readFile(path, 'utf8');
    const start = '<!-- observer-view:start (generated from OBSERVER_VIEW in @mhrchain/contracts) -->';
    const end = '<!-- observer-view:end -->';
    expect(doc).toContain(start);
    const [head, rest] = doc.split(start) as [string, string];
    const tail = rest.slice(rest.indexOf(end));
    const expected = `${head}${start}\n${renderObserverView(OBSERVER_VIEW)}\n${tail}`;
    if (process.env.MHR_UPDATE_DOCS === '1') await writeFile(path, expected);
    expect(doc).toBe(expected);
  });
});
