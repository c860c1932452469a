import { rm } from 'node:fs/promises';
import type { AnySignedRelayedAction, MhrChain } from '@mhrchain/contracts';
import { createRelayer, type QueueEntry, serveRelayer, toWire } from '@mhrchain/example-relayer';
import type { Signer } from 'ethers';

/** Parameters of {@link startRelayerService}. */
export interface StartRelayerServiceParameters {
  /** The contracts (reads only). */
  chain: MhrChain;
  /** The service's wallet: pays for every action it submits. */
  signer: Signer;
  /** Where the service keeps its queue. Removed on start and on stop: it belongs to this run's chain. */
  directory: string;
}

/** An action the service mined. */
export interface RelayedOverHttp {
  /** The service's action id (`contract:account:nonce`). */
  id: string;
  txHash: string;
  blockNumber: number;
}

/** The relayer service on a local port, and a patient app's HTTP client of it. */
export interface RelayerService {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** The account that pays the gas. */
  readonly address: string;
  /** Posts a signed action to `POST /actions`, then polls `GET /actions/<id>` until it is mined. */
  relay(signed: AnySignedRelayedAction, options?: { timeoutMs?: number }): Promise<RelayedOverHttp>;
  /** Closes the endpoint, stops the relayer and removes its queue. */
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts the relayer service in this process (the example's `createRelayer` behind `serveRelayer`), with its queue
 * file in `directory`.
 */
export async function startRelayerService(parameters: StartRelayerServiceParameters): Promise<RelayerService> {
  const { chain, signer, directory } = parameters;
  // A queue left by an interrupted run names actions of a chain that is gone.
  await rm(directory, { recursive: true, force: true });
  const relayer = await createRelayer({
    chain,
    signer,
    queuePath: `${directory}/queue.json`,
    transactions: { pollIntervalMs: 100 },
  });
  await relayer.start();
  const server = await serveRelayer(relayer);
  const address = await signer.getAddress();
  return {
    url: server.url,
    address,
    async relay(signed, options = {}) {
      const posted = await fetch(`${server.url}/actions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(toWire(signed)),
      });
      const accepted = (await posted.json()) as QueueEntry | { error: string };
      if (!posted.ok || 'error' in accepted)
        throw new Error(`the relayer refused the action (${posted.status}): ${JSON.stringify(accepted)}`);
      const until = Date.now() + (options.timeoutMs ?? 60_000);
      for (;;) {
        const polled = await fetch(`${server.url}/actions/${encodeURIComponent(accepted.id)}`);
        const entry = (await polled.json()) as QueueEntry;
        if (entry.status === 'mined' && entry.txHash && entry.blockNumber !== undefined)
          return { id: entry.id, txHash: entry.txHash, blockNumber: entry.blockNumber };
        if (entry.status === 'failed') throw new Error(`the relayer could not submit ${entry.id}: ${entry.error}`);
        if (Date.now() > until) throw new Error(`${entry.id} not mined in time (${entry.status})`);
        await sleep(100);
      }
    },
    async stop() {
      await server.close();
      await relayer.stop();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
