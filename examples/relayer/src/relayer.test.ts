import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AnySignedRelayedAction,
  connectMhrChain,
  type DeployMhrChainReturnType,
  type RelayedAction,
  type RelayedActionMessages,
  signRelayedAction,
  submitRelayedAction,
} from '@mhrchain/contracts';
import { type AnvilInstance, anvilTest } from '@mhrchain/contracts/testing';
import { type BaseWallet, hexlify, randomBytes, Wallet } from 'ethers';
import { afterEach, describe, expect } from 'vitest';
import { openFileQueue } from './queue.js';
import { createRelayer } from './relayer.js';
import { serveRelayer } from './server.js';
import { toWire } from './wire.js';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function queueFile(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'mhr-relayer-'));
  cleanup.push(() => rm(directory, { recursive: true, force: true }));
  return join(directory, 'queue.json');
}

async function sign<A extends RelayedAction>(
  mhrChain: DeployMhrChainReturnType,
  patient: BaseWallet,
  action: A,
  message: RelayedActionMessages[A],
  deadline?: number,
) {
  return (await signRelayedAction({
    chain: mhrChain.chain,
    signer: patient,
    action,
    message,
    deadline,
  })) as AnySignedRelayedAction;
}

const anchor = (mhrChain: DeployMhrChainReturnType, patient: BaseWallet) =>
  sign(mhrChain, patient, 'AnchorRecord', { patient: patient.address, cid: hexlify(randomBytes(36)), category: 1 });

function relayerFor(anvil: AnvilInstance, mhrChain: DeployMhrChainReturnType, queuePath: string, extra = {}) {
  return createRelayer({
    chain: mhrChain.chain,
    signer: anvil.signers[6]!,
    queuePath,
    transactions: { pollIntervalMs: 20 },
    recoveryWaitMs: 2_000,
    ...extra,
  });
}

const anchoredCount = async (mhrChain: DeployMhrChainReturnType) =>
  (await mhrChain.chain.recordRegistry.events('RecordAnchored')).length;

describe('relayer', () => {
  anvilTest('a restart loses no queued action, and each is submitted exactly once', async ({ anvil, mhrChain }) => {
    const queuePath = await queueFile();
    const patients = [0, 1, 2].map(() => Wallet.createRandom(anvil.provider));
    const actions = await Promise.all(patients.map((patient) => anchor(mhrChain, patient)));
    const relayerAccount = anvil.signers[6]!.address;
    const sentBefore = await anvil.provider.getTransactionCount(relayerAccount, 'latest');

    // Received, not yet submitted, when the process stops.
    const first = await relayerFor(anvil, mhrChain, queuePath);
    const ids: string[] = [];
    for (const action of actions) {
      const { entry, duplicate } = await first.submit(toWire(action));
      expect(duplicate).toBe(false);
      ids.push(entry.id);
    }
    const again = await first.submit(toWire(actions[0]!));
    expect(again.duplicate).toBe(true);
    expect(again.entry.id).toBe(ids[0]);
    await first.stop();

    const second = await relayerFor(anvil, mhrChain, queuePath);
    await second.start();
    await second.idle();
    for (const id of ids) expect(second.status(id)?.status).toBe('mined');
    expect(await anchoredCount(mhrChain)).toBe(3);
    expect(await anvil.provider.getTransactionCount(relayerAccount, 'latest')).toBe(sentBefore + 3);

    // Resubmitting a mined action changes nothing.
    expect((await second.submit(toWire(actions[1]!))).duplicate).toBe(true);
    await second.idle();
    await second.stop();
    const third = await relayerFor(anvil, mhrChain, queuePath);
    await third.start();
    await third.idle();
    expect(await anvil.provider.getTransactionCount(relayerAccount, 'latest')).toBe(sentBefore + 3);
  });

  anvilTest(
    'a crash between broadcast and writing the hash: the chain settles it, no second submission',
    async ({ anvil, mhrChain }) => {
      const queuePath = await queueFile();
      const relayerAccount = anvil.signers[6]!.address;
      const [broadcast, notBroadcast] = await Promise.all(
        [0, 1].map(() => anchor(mhrChain, Wallet.createRandom(anvil.provider))),
      );
      const first = await relayerFor(anvil, mhrChain, queuePath);
      const a = (await first.submit(toWire(broadcast!))).entry;
      const b = (await first.submit(toWire(notBroadcast!))).entry;
      await first.stop();
      // What a crash leaves: both marked "sending"; only the first went out before the process died.
      const queue = await openFileQueue(queuePath);
      await queue.put({ ...a, status: 'sending' });
      await queue.put({ ...b, status: 'sending' });
      await submitRelayedAction(connectMhrChain(anvil.signers[6]!, mhrChain.addresses), broadcast!);
      const sentBefore = await anvil.provider.getTransactionCount(relayerAccount, 'latest');

      const second = await relayerFor(anvil, mhrChain, queuePath);
      await second.start();
      await second.idle();
      expect(second.status(a.id)?.status).toBe('mined');
      expect(second.status(b.id)?.status).toBe('mined');
      expect(await anvil.provider.getTransactionCount(relayerAccount, 'latest')).toBe(sentBefore + 1);
      expect(await anchoredCount(mhrChain)).toBe(2);
    },
  );

  anvilTest(
    'over HTTP: validates, answers duplicates, refuses conflicts, expired, used and rate-limited actions',
    async ({ anvil, mhrChain }) => {
      const relayer = await relayerFor(anvil, mhrChain, await queueFile(), {
        rateLimit: { perAccount: 2, windowMs: 60_000 },
      });
      await relayer.start();
      const server = await serveRelayer(relayer);
      cleanup.push(
        () => server.close(),
        () => relayer.stop(),
      );
      const post = async (body: unknown) => {
        const response = await fetch(`${server.url}/actions`, { method: 'POST', body: JSON.stringify(body) });
        return { status: response.status, body: (await response.json()) as Record<string, unknown> };
      };
      const patient = Wallet.createRandom(anvil.provider);
      const action = await anchor(mhrChain, patient);

      const accepted = await post(toWire(action));
      expect(accepted.status).toBe(202);
      expect((await post(toWire(action))).status).toBe(200);
      const other = await anchor(mhrChain, patient); // same nonce, another record: a second signature over it
      expect((await post(toWire(other))).status).toBe(409);
      await relayer.idle();
      const status = await (
        await fetch(`${server.url}/actions/${encodeURIComponent(String(accepted.body.id))}`)
      ).json();
      expect(status.status).toBe('mined');
      expect((await fetch(`${server.url}/actions/nope`)).status).toBe(404);

      // Malformed and unknown.
      expect((await post({ action: 'Mint', message: {} })).status).toBe(400);
      expect((await post({ ...toWire(action), signature: '0x12' })).status).toBe(400);
      // Expired.
      const now = (await anvil.provider.getBlock('latest'))!.timestamp;
      const late = Wallet.createRandom(anvil.provider);
      const expired = await sign(
        mhrChain,
        late,
        'AnchorRecord',
        { patient: late.address, cid: hexlify(randomBytes(36)), category: 1 },
        now + 5,
      );
      expect((await post(toWire(expired))).status).toBe(400);
      // Nonce used on chain by a submission elsewhere.
      const elsewhere = Wallet.createRandom(anvil.provider);
      const used = await anchor(mhrChain, elsewhere);
      await submitRelayedAction(connectMhrChain(anvil.signers[7]!, mhrChain.addresses), used);
      expect((await post(toWire(used))).status).toBe(409);
      // Rate limit: a third fresh action from one patient within the window.
      const busy = Wallet.createRandom(anvil.provider);
      const device = Wallet.createRandom().address;
      expect((await post(toWire(await anchor(mhrChain, busy)))).status).toBe(202);
      const authorize = await sign(mhrChain, busy, 'AuthorizeDevice', {
        patient: busy.address,
        device,
        authorized: true,
      });
      expect((await post(toWire(authorize))).status).toBe(202);
      const cancel = await sign(mhrChain, busy, 'InvalidateNonces', {
        contract: 'consentManager',
        account: busy.address,
        newNonce: 1,
      });
      expect((await post(toWire(cancel))).status).toBe(429);
      await relayer.idle();
    },
  );
});
