/**
 * Runs the relayer against a chain: `RPC_URL`, `RELAYER_KEY` (the paying wallet), `CHAIN_ID` with the deployment
 * known to `@mhrchain/contracts` (or `ADDRESSES` as JSON), `QUEUE` (the queue file), `PORT`.
 *
 * Without `RPC_URL` it starts a local anvil, deploys the contracts and serves on them (a dev relayer).
 */
import { addressesForChain, connectMhrChain, deployMhrChain, type MhrChainAddresses } from '@mhrchain/contracts';
import { startAnvil } from '@mhrchain/contracts/anvil';
import { JsonRpcProvider, Wallet } from 'ethers';
import { createRelayer } from './relayer.js';
import { serveRelayer } from './server.js';

const queuePath = process.env.QUEUE ?? './relayer-data/queue.json';
let stopChain = async () => {};
let signer: Wallet;
let addresses: MhrChainAddresses;
if (process.env.RPC_URL && process.env.RELAYER_KEY) {
  const provider = new JsonRpcProvider(process.env.RPC_URL);
  signer = new Wallet(process.env.RELAYER_KEY, provider);
  addresses = process.env.ADDRESSES
    ? (JSON.parse(process.env.ADDRESSES) as MhrChainAddresses)
    : addressesForChain(BigInt(process.env.CHAIN_ID ?? (await provider.getNetwork()).chainId));
} else {
  const anvil = await startAnvil();
  stopChain = () => anvil.stop();
  ({ addresses } = await deployMhrChain({ deployer: anvil.signers[0]! }));
  signer = new Wallet(anvil.signers[1]!.privateKey, anvil.provider);
  console.log(`dev chain ${anvil.rpcUrl}, contracts ${JSON.stringify(addresses)}`);
}
const relayer = await createRelayer({ chain: connectMhrChain(signer.provider!, addresses), signer, queuePath });
await relayer.start();
const server = await serveRelayer(relayer, { port: Number(process.env.PORT ?? 8787) });
console.log(`relayer on ${server.url} (queue ${queuePath}); POST /actions, GET /actions/<id>`);
const shutdown = async () => {
  await server.close();
  await relayer.stop();
  await stopChain();
  process.exit(0);
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
