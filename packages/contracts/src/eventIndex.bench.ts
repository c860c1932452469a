/**
 * Chain reads at scale: a generated history on anvil (patients anchoring records, grants, revocations, re-grants,
 * delegations), read behind a provider that refuses `eth_getLogs` over 10,000 blocks or 10,000 logs.
 *
 * For each history size: the unindexed reads (one paged scan of the whole chain per read: the baseline, measured in the
 * same run), the event index's first sync, and the reads after 10 new blocks (p50/p99 of sync + one patient's view +
 * one doctor's view). Then 1,000 concurrent anchors from one account through the transaction manager.
 *
 * Run: `pnpm --filter @mhrchain/contracts bench` (or `BENCH_PATIENTS=2000,8000 tsx --conditions=@mhrchain/source
 * src/eventIndex.bench.ts`). Sizes: patients per history; each anchors `BENCH_RECORDS_PER_PATIENT` (10) records,
 * grants one of `patients / 100` doctors, half revoke and grant another (2 grant/revoke events per patient), and a fifth
 * of the patients approve a delegation from their doctor to a colleague. `BENCH_EMPTY_BLOCKS` (200) empty blocks follow
 * each round. The history is checked (event counts) before anything is timed. The doctor's view is the logs consent's
 * `listReadableRecords` reads (grants to the doctor, then each granting patient's records); the access checks it then
 * makes per record (`eth_call`) are not part of these figures.
 */
import { getAddress, Interface, id, JsonRpcProvider, Network, zeroPadValue } from 'ethers';
import { startAnvil } from './anvil.js';
import { createEventIndex } from './eventIndex.js';
import { createLogReader, type LogFilter } from './logReader.js';
import { deployMhrChain, type MhrChain } from './mhrChain.js';
import { startRangeLimitedRpc } from './rangeLimitedRpc.js';
import { delegationScopeHash } from './relayed.js';
import { scopeAll } from './scope.js';
import { createTransactionManager } from './transactionManager.js';

const SIZES = (process.env.BENCH_PATIENTS ?? '1000,4000')
  .split(',')
  .map(Number)
  .filter((n) => n > 0);
const RECORDS_PER_PATIENT = Number(process.env.BENCH_RECORDS_PER_PATIENT ?? 10);
const EMPTY_BLOCKS_PER_ROUND = Number(process.env.BENCH_EMPTY_BLOCKS ?? 200);
const READ_ROUNDS = Number(process.env.BENCH_READ_ROUNDS ?? 40);
const CONCURRENT_ANCHORS = Number(process.env.BENCH_CONCURRENT_ANCHORS ?? 1_000);

const ANCHORED = id('RecordAnchored(bytes32,address,address,uint16,bytes)');

interface Call {
  method: string;
  params: unknown[];
}

async function rpc(url: string, calls: readonly Call[], chunk = 500): Promise<unknown[]> {
  const results: unknown[] = [];
  for (let i = 0; i < calls.length; i += chunk) {
    const body = calls.slice(i, i + chunk).map((call, j) => ({ jsonrpc: '2.0', id: i + j, ...call }));
    const response = (await (
      await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
    ).json()) as { id: number; result?: unknown; error?: { message: string } }[];
    for (const answer of response.sort((a, b) => a.id - b.id)) {
      if (answer.error) throw new Error(`${calls[answer.id]!.method}: ${answer.error.message}`);
      results.push(answer.result);
    }
  }
  return results;
}

const hex = (n: number | bigint) => `0x${n.toString(16)}`;
const synthetic = (prefix: number, i: number) =>
  getAddress(`0x${prefix.toString(16)}${i.toString(16).padStart(38, '0')}`);

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const ms = (n: number) => `${n.toFixed(1)} ms`;

/** One round: every sender sends one transaction (impersonated), mined in one block, then empty blocks. */
async function round(url: string, sends: { from: string; to: string; data: string }[], emptyBlocks: number) {
  if (sends.length > 0) {
    await rpc(
      url,
      sends.map((send) => ({
        method: 'eth_sendTransaction',
        params: [{ ...send, gas: hex(400_000), maxFeePerGas: hex(20_000_000_000), maxPriorityFeePerGas: hex(1) }],
      })),
    );
    await rpc(url, [{ method: 'evm_mine', params: [] }]);
    const [status] = (await rpc(url, [{ method: 'txpool_status', params: [] }])) as { pending: string }[];
    if (Number(status!.pending) !== 0) throw new Error(`${Number(status!.pending)} transactions were left unmined`);
  }
  if (emptyBlocks > 0) await rpc(url, [{ method: 'anvil_mine', params: [hex(emptyBlocks)] }]);
}

async function buildHistory(url: string, chain: MhrChain, admin: string, patients: number) {
  const started = performance.now();
  const doctors = Math.max(3, Math.floor(patients / 100));
  const delegations = Math.floor(patients / 5);
  const patientAddresses = Array.from({ length: patients }, (_, i) => synthetic(0xa1, i));
  const doctorAddresses = Array.from({ length: doctors }, (_, i) => synthetic(0xd0, i));
  await rpc(
    url,
    [...patientAddresses, ...doctorAddresses].map((address) => ({
      method: 'anvil_setBalance',
      params: [address, hex(10n ** 21n)],
    })),
  );
  const identity = new Interface(chain.identityRegistry.abi as never);
  const records = new Interface(chain.recordRegistry.abi as never);
  const consent = new Interface(chain.consentManager.abi as never);
  const delegation = new Interface(chain.delegationRegistry.abi as never);
  const at = chain.addresses;
  await rpc(url, [{ method: 'evm_setAutomine', params: [false] }]);
  try {
    // Doctors: registered, then attested by the admin (a registrar).
    await round(
      url,
      doctorAddresses.map((from, i) => ({
        from,
        to: at.identityRegistry,
        data: identity.encodeFunctionData('register', [`0x${(i + 1).toString(16).padStart(64, '0')}`]),
      })),
      0,
    );
    const validUntil = Math.floor(Date.now() / 1000) + 10 * 365 * 86_400;
    const [nonce] = (await rpc(url, [{ method: 'eth_getTransactionCount', params: [admin, 'latest'] }])) as string[];
    await rpc(url, [
      {
        method: 'eth_sendTransaction',
        params: [
          {
            from: admin,
            to: at.identityRegistry,
            nonce,
            gas: hex(200_000),
            data: identity.encodeFunctionData('setRegistrar', [admin, true]),
          },
        ],
      },
      ...doctorAddresses.map((doctor, i) => ({
        method: 'eth_sendTransaction',
        params: [
          {
            from: admin,
            to: at.identityRegistry,
            nonce: hex(Number(nonce) + 1 + i),
            gas: hex(200_000),
            data: identity.encodeFunctionData('attestDoctor', [doctor, validUntil]),
          },
        ],
      })),
    ]);
    await round(url, [], 0);
    await rpc(url, [{ method: 'evm_mine', params: [] }]);
    // Records: one per patient per round.
    for (let r = 0; r < RECORDS_PER_PATIENT; r++) {
      await round(
        url,
        patientAddresses.map((from, i) => ({
          from,
          to: at.recordRegistry,
          data: records.encodeFunctionData('anchorRecord', [
            `0x${(r * patients + i + 1).toString(16).padStart(8, '0')}`,
            i % 5,
          ]),
        })),
        EMPTY_BLOCKS_PER_ROUND,
      );
    }
    const expiresAt = validUntil;
    const all = [0, 0, []];
    const doctorOf = (i: number, shift = 0) => doctorAddresses[(i + shift) % doctors]!;
    await round(
      url,
      patientAddresses.map((from, i) => ({
        from,
        to: at.consentManager,
        data: consent.encodeFunctionData('grantAccess', [doctorOf(i), all, expiresAt]),
      })),
      EMPTY_BLOCKS_PER_ROUND,
    );
    const half = patientAddresses.filter((_, i) => i % 2 === 0);
    await round(
      url,
      half.map((from, j) => ({
        from,
        to: at.consentManager,
        data: consent.encodeFunctionData('revokeAccess', [doctorOf(j * 2), 1]),
      })),
      EMPTY_BLOCKS_PER_ROUND,
    );
    await round(
      url,
      half.map((from, j) => ({
        from,
        to: at.consentManager,
        data: consent.encodeFunctionData('grantAccess', [doctorOf(j * 2, 1), all, expiresAt]),
      })),
      EMPTY_BLOCKS_PER_ROUND,
    );
    // Delegations: the first patients' live doctors ask to share with a colleague (one request per doctor per block),
    // then the patients approve.
    const liveDoctor = (i: number) => (i % 2 === 1 ? doctorOf(i) : doctorOf(i, 1));
    const requests = Array.from({ length: delegations }, (_, i) => ({
      i,
      doctor: liveDoctor(i),
      colleague: doctorOf(i, 2),
    }));
    const byDoctor = new Map<string, typeof requests>();
    for (const request of requests) byDoctor.set(request.doctor, [...(byDoctor.get(request.doctor) ?? []), request]);
    for (let k = 0; ; k++) {
      const batch = [...byDoctor.values()].map((list) => list[k]).filter((request) => request !== undefined);
      if (batch.length === 0) break;
      await round(
        url,
        batch.map(({ i, doctor, colleague }) => ({
          from: doctor,
          to: at.delegationRegistry,
          data: delegation.encodeFunctionData('requestDelegation', [patientAddresses[i], colleague, all, expiresAt]),
        })),
        0,
      );
    }
    const scopeHash = delegationScopeHash(scopeAll());
    await round(
      url,
      requests.map(({ i, doctor, colleague }) => ({
        from: patientAddresses[i]!,
        to: at.delegationRegistry,
        data: delegation.encodeFunctionData('approveDelegation', [
          colleague,
          { doctor, serial: 1, scopeHash, expiresAt },
        ]),
      })),
      EMPTY_BLOCKS_PER_ROUND,
    );
  } finally {
    await rpc(url, [{ method: 'evm_setAutomine', params: [true] }]);
  }
  return {
    delegations,
    patients: patientAddresses,
    doctors: doctorAddresses,
    seconds: (performance.now() - started) / 1000,
    records: patients * RECORDS_PER_PATIENT,
    grantEvents: patients * 2,
  };
}

async function measure(patients: number) {
  const anvil = await startAnvil({
    args: ['--auto-impersonate', '--disable-block-gas-limit', '--prune-history', '--base-fee', '1'],
    timeoutMs: 30_000,
  });
  try {
    const { chain, addresses } = await deployMhrChain({ deployer: anvil.signers[0]! });
    const fromBlock = await anvil.provider.getBlockNumber();
    const history = await buildHistory(anvil.rpcUrl, chain, anvil.signers[0]!.address, patients);
    const head = await anvil.provider.getBlockNumber();
    const proxy = await startRangeLimitedRpc({ upstream: anvil.rpcUrl, maxBlockRange: 10_000, maxLogs: 10_000 });
    const provider = new JsonRpcProvider(proxy.url, Network.from(anvil.chainId), {
      staticNetwork: true,
      cacheTimeout: -1,
    });
    try {
      console.log(
        `\n## ${patients} patients: ${history.records} records, ${history.grantEvents} grants/revokes, ${history.delegations} delegations, ${history.doctors.length} doctors, ${head - fromBlock} blocks (built in ${history.seconds.toFixed(1)} s)`,
      );
      const patient = history.patients[Math.floor(patients / 3)]!;
      const doctor = history.doctors[1]!;
      const patientTopic = zeroPadValue(patient, 32);
      const doctorTopic = zeroPadValue(doctor, 32);
      const granted = chain.consentManager.contract.getEvent('AccessGranted').fragment.topicHash;
      const revoked = chain.consentManager.contract.getEvent('AccessRevoked').fragment.topicHash;

      // A single unpaged query, as the consent reads did: refused.
      try {
        await provider.getLogs({ address: addresses.recordRegistry, fromBlock, toBlock: head, topics: [ANCHORED] });
        console.log('single eth_getLogs over the history: answered (no refusal)');
      } catch (error) {
        console.log(`single eth_getLogs over the history: refused (${String((error as Error).message).slice(0, 90)}…)`);
      }

      // Baseline: unindexed, paged reads of the whole history for each view.
      const reader = createLogReader({ provider, maxBlockRange: 10_000, concurrency: 4 });
      const scan = (filter: Omit<LogFilter, 'fromBlock' | 'toBlock'>, to: number) =>
        reader.getLogs({ ...filter, fromBlock, toBlock: to });
      const patientViewUnindexed = async (to: number) =>
        scan({ address: addresses.recordRegistry, topics: [ANCHORED, null, patientTopic] }, to);
      const doctorViewUnindexed = async (to: number) => {
        const grants = await scan(
          { address: addresses.consentManager, topics: [[granted, revoked], null, doctorTopic] },
          to,
        );
        const granters = [...new Set(grants.map((log) => log.topics[1]!))];
        const recordsOf = await Promise.all(
          granters.map((topic) => scan({ address: addresses.recordRegistry, topics: [ANCHORED, null, topic] }, to)),
        );
        return grants.length + recordsOf.flat().length;
      };
      let started = performance.now();
      const patientLogs = await patientViewUnindexed(head);
      const patientUnindexedMs = performance.now() - started;
      started = performance.now();
      const doctorLogsUnindexed = await doctorViewUnindexed(head);
      const doctorUnindexedMs = performance.now() - started;
      console.log(
        `unindexed (paged scan of ${head - fromBlock} blocks per read): patient view ${ms(patientUnindexedMs)} (${patientLogs.length} logs), doctor view ${ms(doctorUnindexedMs)} (${doctorLogsUnindexed} logs)`,
      );

      // The index: first sync, then the two views from memory.
      proxy.resetStats();
      const index = createEventIndex({
        provider,
        address: Object.values(addresses),
        fromBlock,
        reader: createLogReader({ provider, maxBlockRange: 10_000, concurrency: 2 }),
      });
      started = performance.now();
      const first = await index.sync();
      const firstSyncMs = performance.now() - started;
      const patientView = () =>
        index.query({ address: addresses.recordRegistry, topics: [ANCHORED, null, patientTopic] });
      const doctorView = () => {
        const grants = index.query({
          address: addresses.consentManager,
          topics: [[granted, revoked], null, doctorTopic],
        });
        const granters = [...new Set(grants.map((log) => log.topics[1]!))];
        return (
          grants.length +
          granters.reduce(
            (n, topic) =>
              n + index.query({ address: addresses.recordRegistry, topics: [ANCHORED, null, topic] }).length,
            0,
          )
        );
      };
      if (patientView().length !== patientLogs.length || doctorView() !== doctorLogsUnindexed)
        throw new Error('the index and the unindexed reads disagree');
      // The history is what it claims (a reverted transaction would leave no event).
      const approved = chain.delegationRegistry.contract.getEvent('DelegationApproved').fragment.topicHash;
      const counts = {
        records: index.query({ topics: [ANCHORED] }).length,
        grants: index.query({ topics: [granted] }).length,
        revokes: index.query({ topics: [revoked] }).length,
        delegations: index.query({ topics: [approved] }).length,
      };
      const expected = {
        records: history.records,
        grants: patients + Math.ceil(patients / 2),
        revokes: Math.ceil(patients / 2),
        delegations: history.delegations,
      };
      if (JSON.stringify(counts) !== JSON.stringify(expected))
        throw new Error(`history mismatch: ${JSON.stringify(counts)} != ${JSON.stringify(expected)}`);
      console.log(
        `index first sync: ${ms(firstSyncMs)} for ${first.added} logs (${proxy.stats.calls.eth_getLogs ?? 0} eth_getLogs, ${proxy.stats.refused} refused and split)`,
      );

      // Reads after 10 new blocks (a few anchors in them), through sync + both views.
      const readTimes: number[] = [];
      const unindexedTimes: number[] = [];
      const records = new Interface(chain.recordRegistry.abi as never);
      for (let r = 0; r < READ_ROUNDS; r++) {
        await rpc(anvil.rpcUrl, [{ method: 'evm_setAutomine', params: [false] }]);
        await round(
          anvil.rpcUrl,
          [0, 1, 2].map((k) => ({
            from: history.patients[(r * 3 + k) % patients]!,
            to: addresses.recordRegistry,
            data: records.encodeFunctionData('anchorRecord', [`0xbe${(r * 3 + k).toString(16).padStart(8, '0')}`, 1]),
          })),
          9,
        );
        await rpc(anvil.rpcUrl, [{ method: 'evm_setAutomine', params: [true] }]);
        started = performance.now();
        await index.sync();
        patientView();
        doctorView();
        readTimes.push(performance.now() - started);
        if (r < 5) {
          const to = await provider.getBlockNumber();
          started = performance.now();
          await patientViewUnindexed(to);
          await doctorViewUnindexed(to);
          unindexedTimes.push(performance.now() - started);
        }
      }
      const p50 = percentile(readTimes, 50);
      const p99 = percentile(readTimes, 99);
      const baseline = percentile(unindexedTimes, 50);
      console.log(
        `reads after 10 new blocks (sync + patient view + doctor view), ${READ_ROUNDS} rounds: p50 ${ms(p50)}, p99 ${ms(p99)} (targets: p50 <= 50 ms, p99 <= 200 ms) | unindexed p50 ${ms(baseline)} | ${(baseline / p50).toFixed(0)}× faster`,
      );
      return { patients, p50, p99, baseline, firstSyncMs };
    } finally {
      provider.destroy();
      await proxy.close();
    }
  } finally {
    await anvil.stop();
  }
}

async function concurrentAnchors() {
  const anvil = await startAnvil({ args: ['--prune-history'] });
  try {
    const { chain, addresses } = await deployMhrChain({ deployer: anvil.signers[0]! });
    const proxy = await startRangeLimitedRpc({ upstream: anvil.rpcUrl });
    const provider = new JsonRpcProvider(proxy.url, Network.from(anvil.chainId), { staticNetwork: true });
    try {
      const signer = anvil.signers[1]!.connect(provider);
      const manager = createTransactionManager({ signer, pollIntervalMs: 100 });
      const records = new Interface(chain.recordRegistry.abi as never);
      const started = performance.now();
      const outcomes = await Promise.allSettled(
        Array.from({ length: CONCURRENT_ANCHORS }, async (_, i) => {
          const tx = await manager.send({
            to: addresses.recordRegistry,
            data: records.encodeFunctionData('anchorRecord', [`0xc0${i.toString(16).padStart(8, '0')}`, 1]),
          });
          return tx.wait();
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      const failures = outcomes.filter((o) => o.status === 'rejected') as PromiseRejectedResult[];
      const nonceErrors = failures.filter((f) => /nonce/i.test(String(f.reason?.message ?? f.reason))).length;
      const mined = outcomes.filter((o) => o.status === 'fulfilled' && o.value.status === 1).length;
      for (const reason of new Set(
        failures.map((f) => String(f.reason?.shortMessage ?? f.reason?.message ?? f.reason)),
      ))
        console.log(`failure: ${reason}`);
      console.log(
        `\n## ${CONCURRENT_ANCHORS} concurrent anchors from one account (transaction manager): ${mined} mined, ${failures.length} failed, ${nonceErrors} nonce errors, ${seconds.toFixed(1)} s (${(CONCURRENT_ANCHORS / seconds).toFixed(0)} tx/s)`,
      );
    } finally {
      provider.destroy();
      await proxy.close();
    }
  } finally {
    await anvil.stop();
  }
}

const results = [];
for (const size of SIZES) results.push(await measure(size));
if (results.length > 1) {
  const [small, large] = [results[0]!, results.at(-1)!];
  console.log(
    `\nhistory ×${(large.patients / small.patients).toFixed(0)}: incremental read p50 ${ms(small.p50)} → ${ms(large.p50)} (×${(large.p50 / small.p50).toFixed(2)}), unindexed p50 ${ms(small.baseline)} → ${ms(large.baseline)} (×${(large.baseline / small.baseline).toFixed(2)})`,
  );
}
await concurrentAnchors();
