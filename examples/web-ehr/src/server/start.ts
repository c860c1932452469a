import { startStack } from './stack.js';

// `pnpm start`: the whole example on this machine. `--dev` serves the app with hot reload instead of a build.
const stack = await startStack({
  mode: process.argv.includes('--dev') ? 'dev' : 'preview',
  log: (message) => console.log(message),
});
console.log(`\nMHR Chain web EHR: open ${stack.appUrl}`);
console.log(`  patient page  ${stack.appUrl}#/patient`);
console.log(`  doctor page   ${stack.appUrl}#/doctor`);
console.log('Ctrl+C stops everything.');

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await stack.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
