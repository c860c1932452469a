import { JsonRpcProvider } from 'ethers';
import { useEffect, useState } from 'react';
import type { AppConfig } from '../common/config.js';

/** Where the app is connected: the chain's latest block and the storage node's health. */
export function StatusBar({ config }: { config: AppConfig }) {
  const [block, setBlock] = useState<number>();
  const [storage, setStorage] = useState<'ok' | 'down'>();
  useEffect(() => {
    const provider = new JsonRpcProvider(config.rpcUrl, config.chainId, { staticNetwork: true });
    let live = true;
    const poll = async () => {
      const number = await provider.getBlockNumber().catch(() => undefined);
      const health: 'ok' | 'down' = await fetch(`${config.storageUrl}/health`).then(
        (response) => (response.ok ? 'ok' : 'down'),
        () => 'down',
      );
      if (!live) return;
      setBlock(number);
      setStorage(health);
    };
    poll();
    const timer = setInterval(poll, 4000);
    return () => {
      live = false;
      clearInterval(timer);
      provider.destroy();
    };
  }, [config]);
  return (
    <p className="status" data-testid="status">
      chain {config.chainId} · block <span data-testid="block">{block ?? '…'}</span> · storage{' '}
      <span data-testid="storage">{storage ?? '…'}</span>
    </p>
  );
}
