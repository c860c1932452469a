// Started as a child process by anvil.test.ts: starts anvil, prints its pid, then dies of an uncaught error
// without calling stop(). The exit hook must still kill anvil.
import { startAnvil } from '../src/anvil.js';

const anvil = await startAnvil();
console.log(`ANVIL_PID=${anvil.pid}`);
setTimeout(() => {
  throw new Error(`a failing test (anvil at ${anvil.rpcUrl})`);
}, 10);
