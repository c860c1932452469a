import type { ReactNode } from 'react';

/** A link to the page's view of a transaction (`#/tx/<hash>`): block, sender, contract, status, events. */
export function TransactionLink({ hash, children }: { hash: string; children: ReactNode }) {
  return (
    <a href={`#/tx/${hash}`} title={hash} data-testid="tx-link">
      {children}
    </a>
  );
}
