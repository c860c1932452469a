// Gas of the hot paths on a real anvil, per transaction, beside the budgets of the contracts' gas tests and a plain
// ETH transfer (21,000) measured in the same run. Run: `pnpm --filter @mhrchain/contracts bench`.
import { getBytes, keccak256, type TransactionReceipt, toUtf8Bytes } from 'ethers';
import { startAnvil } from './anvil.js';
import { connectMhrChain, deployMhrChain } from './mhrChain.js';
import { scopeAll, scopeCategory, scopeRecords } from './scope.js';
import { buildSegmentMerkleTree } from './segmentMerkleTree.js';

const anvil = await startAnvil();
try {
  const [admin, registrar, patient, doctor] = anvil.signers;
  const { addresses } = await deployMhrChain({ deployer: admin! });
  const as = (signer: typeof admin) => connectMhrChain(signer!, addresses);
  const rows: { action: string; txGas: bigint; callGas: bigint; budget?: number }[] = [];
  const measure = async (action: string, receipt: TransactionReceipt, data: string, budget?: number) => {
    const calldata = getBytes(data).reduce((sum, byte) => sum + (byte === 0 ? 4n : 16n), 0n);
    rows.push({ action, txGas: receipt.gasUsed, callGas: receipt.gasUsed - 21_000n - calldata, budget });
  };
  const send = async (label: string, signer: typeof admin, to: string, data: string, budget?: number) => {
    const tx = await signer!.sendTransaction({ to, data });
    const receipt = (await tx.wait())!;
    await measure(label, receipt, data, budget);
    return receipt;
  };
  const transfer = await (await admin!.sendTransaction({ to: doctor!.address, value: 1n })).wait();
  rows.push({ action: 'baseline: ETH transfer', txGas: transfer!.gasUsed, callGas: 0n });

  const now = BigInt((await anvil.provider.getBlock('latest'))!.timestamp);
  const c = as(admin);
  await as(admin).identityRegistry.write.setRegistrar(registrar!.address, true);
  await send(
    'register',
    doctor,
    addresses.identityRegistry,
    c.identityRegistry.contract.interface.encodeFunctionData('register', [keccak256(toUtf8Bytes('doctor'))]),
    70_000,
  );
  await as(registrar).identityRegistry.write.attestDoctor(doctor!.address, now + 86400n * 365n);
  const cid = toUtf8Bytes('bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku');
  await send(
    'anchorRecord',
    patient,
    addresses.recordRegistry,
    c.recordRegistry.contract.interface.encodeFunctionData('anchorRecord', [cid, 1]),
    50_000,
  );
  const recordId = await c.recordRegistry.read.recordIdOf(patient!.address, cid);
  const consent = c.consentManager.contract.interface;
  await send(
    'requestAccess',
    doctor,
    addresses.consentManager,
    consent.encodeFunctionData('requestAccess', [patient!.address, scopeCategory(1), 1, 86400]),
    60_000,
  );
  await send(
    'grantAccess (category, answers request)',
    patient,
    addresses.consentManager,
    consent.encodeFunctionData('grantAccess', [doctor!.address, scopeCategory(1), now + 86400n]),
    55_000,
  );
  await send(
    'revokeAccess (first: new key epoch)',
    patient,
    addresses.consentManager,
    consent.encodeFunctionData('revokeAccess', [doctor!.address, 1]),
    35_000,
  );
  await send(
    'grantAccess (all, renewal)',
    patient,
    addresses.consentManager,
    consent.encodeFunctionData('grantAccess', [doctor!.address, scopeAll(), now + 86400n]),
    55_000,
  );
  await send(
    'revokeAccess (later)',
    patient,
    addresses.consentManager,
    consent.encodeFunctionData('revokeAccess', [doctor!.address, 2]),
    35_000,
  );
  await send(
    'grantAccess (1 listed record)',
    patient,
    addresses.consentManager,
    consent.encodeFunctionData('grantAccess', [doctor!.address, scopeRecords([recordId]), now + 86400n]),
  );
  for (const size of [1, 256, 65_536]) {
    const tree = buildSegmentMerkleTree(
      Array.from({ length: Math.min(size, 256) }, (_, i) => toUtf8Bytes(`s${size}-${i}`)),
    );
    await send(
      `anchorStreamBatch (${size} segments)`,
      patient,
      addresses.streamAnchors,
      c.streamAnchors.contract.interface.encodeFunctionData('anchorStreamBatch', [patient!.address, tree.root, size]),
      60_000,
    );
  }

  console.table(
    rows.map((row) => ({
      action: row.action,
      'tx gas': Number(row.txGas),
      'call gas': Number(row.callGas),
      budget: row.budget ?? '-',
      'call / budget': row.budget ? (Number(row.callGas) / row.budget).toFixed(2) : '-',
      'tx / budget': row.budget ? (Number(row.txGas) / row.budget).toFixed(2) : '-',
    })),
  );
} finally {
  await anvil.stop();
}
