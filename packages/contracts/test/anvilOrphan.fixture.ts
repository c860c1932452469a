// Started as a child process by anvil.test.ts: starts anvil, prints its pid, then dies of an uncaught error
// without calling stop(). The exit hook must still kill anvil.
import { execFileSync } from 'node:child_process';
import { startAnvil } from '../src/anvil.js';

const anvil = await startAnvil();
const pid = execFileSync('pgrep', ['-P', String(process.pid), 'anvil'])
  .toString()
  .trim();
console.log(`ANVIL_PID=${pid}`);
setTimeout(() => {
  throw new Error(`a failing test (anvil at ${anvil.rpcUrl})`);
}, 10);
