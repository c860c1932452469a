#!/usr/bin/env node
// The contracts' test command (`pnpm test:native`):
// 1. every forge test in the `ci` profile (deep fuzzing, 10,000 invariant runs of the consent state machine);
// 2. the gas budgets in the `gas` profile (isolation mode: each call is its own transaction), which fail on excess;
// 3. the committed gas snapshot (.gas-snapshot) must still match.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { forgeBinaryPath } from './forge.mjs';

const projectDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const forge = forgeBinaryPath();

/** @param {string} title @param {string} profile @param {string[]} args */
function step(title, profile, args) {
  console.log(`\n--> ${title} (FOUNDRY_PROFILE=${profile}: forge ${args.join(' ')})`);
  const started = performance.now();
  const result = spawnSync(forge, args, {
    cwd: projectDir,
    stdio: 'inherit',
    env: { ...process.env, FOUNDRY_PROFILE: profile },
  });
  console.log(`    ${((performance.now() - started) / 1000).toFixed(1)} s`);
  if (result.status !== 0) process.exit(result.status ?? 1);
}

step('forge tests, fuzz and invariants', 'ci', ['test', '--no-match-contract', 'GasBudget']);
step('gas budgets', 'gas', ['test', '--match-contract', 'GasBudget']);
// forge writes the named figures without a final newline; keep the committed file in the repository's format.
const figures = join(projectDir, 'snapshots', 'GasBudgetTest.json');
if (existsSync(figures)) {
  const text = readFileSync(figures, 'utf8');
  if (!text.endsWith('\n')) writeFileSync(figures, `${text}\n`);
}
step('gas snapshot is current', 'gas', ['snapshot', '--check', '--match-contract', 'GasBudget']);
