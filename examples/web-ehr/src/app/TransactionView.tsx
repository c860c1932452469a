import { JsonRpcProvider, type TransactionReceipt } from 'ethers';
import { useEffect, useState } from 'react';
import type { AppConfig } from '../common/config.js';
import { formatTime } from './lib/format.js';
import { createDirectory } from './lib/people.js';

/** One transaction as the chain holds it: block and time, sender, contract, status, number of events. */
export function TransactionView({ config, hash }: { config: AppConfig; hash: string }) {
  const [receipt, setReceipt] = useState<{ receipt: TransactionReceipt; time: number } | null>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    const provider = new JsonRpcProvider(config.rpcUrl, config.chainId, { staticNetwork: true });
    (async () => {
      const found = await provider.getTransactionReceipt(hash);
      if (!found) return setReceipt(null);
      const block = await provider.getBlock(found.blockNumber);
      setReceipt({ receipt: found, time: Number(block?.timestamp ?? 0) * 1000 });
    })().catch((cause: unknown) => setError(String((cause as Error)?.message ?? cause)));
    return () => provider.destroy();
  }, [config, hash]);
  const name = createDirectory(config);
  const contract = Object.entries(config.contracts).find(
    ([, address]) => address.toLowerCase() === receipt?.receipt.to?.toLowerCase(),
  )?.[0];
  return (
    <section className="card" aria-labelledby="tx-title" data-testid="transaction">
      <h2 id="tx-title">Transaction</h2>
      <p className="hash">
        <code>{hash}</code>
      </p>
      {error && <p className="error">{error}</p>}
      {receipt === undefined && !error && <p className="muted">Reading the chain…</p>}
      {receipt === null && <p className="error">No such transaction on this chain.</p>}
      {receipt && (
        <dl className="facts">
          <div>
            <dt>Status</dt>
            <dd data-testid="tx-status">{receipt.receipt.status === 1 ? 'Succeeded' : 'Failed'}</dd>
          </div>
          <div>
            <dt>Block</dt>
            <dd>
              {receipt.receipt.blockNumber}, {formatTime(receipt.time)}
            </dd>
          </div>
          <div>
            <dt>Sent by</dt>
            <dd>{name(receipt.receipt.from)}</dd>
          </div>
          <div>
            <dt>Contract</dt>
            <dd>{contract ?? receipt.receipt.to}</dd>
          </div>
          <div>
            <dt>Events</dt>
            <dd>{receipt.receipt.logs.length}</dd>
          </div>
        </dl>
      )}
      <p>
        <button type="button" className="secondary" onClick={() => history.back()}>
          Back
        </button>
      </p>
    </section>
  );
}
