import type { CID } from 'multiformats/cid';
import { InvalidParametersError, RemotePinningError } from './errors.js';
import { sleep } from './internal/sleep.js';
import type { StorageCallOptions } from './storage.js';

/** Parameters of {@link createRemotePinning}. */
export interface CreateRemotePinningParameters {
  /** The service's API endpoint (IPFS Pinning Service API), e.g. `https://api.pinata.cloud/psa`. */
  readonly endpoint: string;
  /** The access token the service gave you (sent as `Authorization: Bearer …`). */
  readonly accessToken: string;
  /**
   * Multiaddrs of nodes that hold the data (your own Kubo nodes' swarm addresses, `/ip4/…/tcp/…/p2p/…`): the service
   * connects to them to fetch it.
   */
  readonly origins?: readonly string[];
  /** Milliseconds between status checks while a pin is queued or pinning. Default: 500. */
  readonly pollIntervalMs?: number;
  /** Milliseconds `pin` waits for the service to report `pinned`. Default: 600,000 (10 minutes). */
  readonly timeout?: number;
}

/** Options of {@link RemotePinning.pin}. */
export interface RemotePinOptions extends StorageCallOptions {
  /** A name for the pin at the service (never put anything identifying the patient or the record here). */
  readonly name?: string;
}

/**
 * A remote pinning service: pins are requests the service fulfils by fetching the DAG from the origins. Has the
 * `pin`, `unpin` and `isPinned` of a {@link Storage}, so it can count towards the durability of
 * {@link createReplicatedStorage} (`pinners`).
 */
export interface RemotePinning {
  /** The API endpoint. */
  readonly endpoint: string;
  /** Asks the service to pin `cid` and waits until it reports `pinned` (throws `RemotePinningError` if it fails). */
  pin(cid: CID, options?: RemotePinOptions): Promise<void>;
  /** Removes every pin request for `cid` at the service. */
  unpin(cid: CID, options?: StorageCallOptions): Promise<void>;
  /** Whether the service reports `cid` pinned. */
  isPinned(cid: CID, options?: StorageCallOptions): Promise<boolean>;
}

/**
 * A client of an [IPFS Pinning Service API](https://ipfs.github.io/pinning-services-api-spec/) service
 * (`@ipfs-shipyard/pinning-service-client`): pin an envelope at a provider that fetches it from your nodes
 * (`origins`), and wait for the provider to confirm. A pin already requested for the same CID is reused (asking again
 * resumes waiting, it does not duplicate the request).
 *
 * @example
 * ```ts
 * import { createKuboStorage, createRemotePinning, createReplicatedStorage } from '@mhrchain/core';
 *
 * const node = await createKuboStorage({ url: 'http://127.0.0.1:5001' });
 * const service = await createRemotePinning({
 *   endpoint: 'https://pinning.example.org',
 *   accessToken: '…',
 *   origins: ['/ip4/203.0.113.7/tcp/4001/p2p/12D3KooW…'], // your node, as the service can reach it
 * });
 * // 2 copies: your node and the service
 * const storage = createReplicatedStorage({ nodes: [node], pinners: [service], k: 2 });
 * ```
 */
export async function createRemotePinning(parameters: CreateRemotePinningParameters): Promise<RemotePinning> {
  if (!parameters.accessToken) throw new InvalidParametersError('A pinning service needs an access token.');
  // Loaded on first use: importing @mhrchain/core stays cheap for code that never talks to a pinning service.
  const { Configuration, RemotePinningServiceClient, Status } = await import('@ipfs-shipyard/pinning-service-client');
  const endpoint = parameters.endpoint.replace(/\/+$/, '');
  const client = new RemotePinningServiceClient(
    new Configuration({ endpointUrl: endpoint, accessToken: parameters.accessToken }),
  );
  const pollIntervalMs = parameters.pollIntervalMs ?? 500;
  const timeout = parameters.timeout ?? 600_000;
  // Typed as a Set, but the generated client's `PinToJSON` hands it to JSON.stringify as is, and a Set serialises
  // as `{}`: an array is what reaches the service as the spec's JSON array.
  const origins = parameters.origins ? ([...parameters.origins] as unknown as Set<string>) : undefined;

  const call = async <T>(operation: string, body: () => Promise<T>, signal?: AbortSignal): Promise<T> => {
    signal?.throwIfAborted();
    try {
      return await body();
    } catch (cause) {
      if (signal?.aborted) throw signal.reason;
      // The generated client throws the fetch Response itself for an HTTP error.
      const status = cause instanceof Response ? cause.status : undefined;
      throw new RemotePinningError({
        operation,
        cause,
        details: typeof status === 'number' ? `HTTP ${status} from ${endpoint}` : `no answer from ${endpoint}`,
      });
    }
  };
  const requestsFor = (cid: CID, signal?: AbortSignal) =>
    call(
      'list pins',
      async () =>
        (
          await client.pinsGet(
            {
              cid: new Set([cid.toString()]),
              status: new Set([Status.Queued, Status.Pinning, Status.Pinned, Status.Failed]),
            },
            { signal },
          )
        ).results,
      signal,
    );

  return {
    endpoint,
    async pin(cid, options) {
      const signal = options?.signal;
      const deadline = Date.now() + timeout;
      const existing = [...(await requestsFor(cid, signal))].filter((r) => r.status !== Status.Failed);
      let request =
        existing.find((r) => r.status === Status.Pinned) ??
        existing[0] ??
        (await call(
          'pin',
          () =>
            client.pinsPost(
              {
                pin: {
                  cid: cid.toString(),
                  ...(options?.name ? { name: options.name } : {}),
                  ...(origins ? { origins } : {}),
                },
              },
              { signal },
            ),
          signal,
        ));
      while (request.status !== Status.Pinned) {
        if (request.status === Status.Failed)
          throw new RemotePinningError({
            operation: 'pin',
            details: `the service reports the pin of ${cid} failed${request.info ? `: ${JSON.stringify(request.info)}` : ''}`,
          });
        if (Date.now() > deadline)
          throw new RemotePinningError({
            operation: 'pin',
            details: `still ${request.status} after ${timeout} ms (${cid})`,
          });
        await sleep(pollIntervalMs, signal);
        const id = request.requestid;
        request = await call('pin status', () => client.pinsRequestidGet({ requestid: id }, { signal }), signal);
      }
    },
    async unpin(cid, options) {
      for (const request of await requestsFor(cid, options?.signal))
        await call(
          'unpin',
          () => client.pinsRequestidDelete({ requestid: request.requestid }, { signal: options?.signal }),
          options?.signal,
        );
    },
    async isPinned(cid, options) {
      return [...(await requestsFor(cid, options?.signal))].some((r) => r.status === Status.Pinned);
    },
  };
}
