#!/usr/bin/env node
// forge calls a `solc` binary; this shim answers it with solc-js (npm `solc`), so no native solc download is needed.
// `--version` prints what forge parses; anything else reads standard JSON from stdin and prints only the output.
const solc = require('solc');

if (process.argv.includes('--version')) {
  process.stdout.write(`solc, the solidity compiler commandline interface\nVersion: ${solc.version()}\n`);
  process.exit(0);
}
const chunks = [];
process.stdin.on('data', (chunk) => chunks.push(chunk));
process.stdin.on('end', () => {
  process.stdout.write(solc.compile(Buffer.concat(chunks).toString('utf8')));
});
