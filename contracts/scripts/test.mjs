#!/usr/bin/env node
// The contracts' test command (`pnpm test:native`):
// 1. every forge test in the `ci` profile (deep fuzzing, 10,000 invariant runs of the consent state machine);
// 2. the gas budgets in the `gas` profile (isolation mode: each call is its own transaction), which fail on excess;
// 3. the committed gas snapshot (.gas-snapshot) must still match;
// 4. the interfaces' NatSpec is complete and every error and event is declared once (scripts/natspec.mjs).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { forgeBinaryPath } from './forge.mjs';
import { natspecProblems } from './natspec.mjs';

const projectDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const forge = forgeBinaryPath();

/**
 * Runs forge; exits on failure, and also when a test was skipped (a skipped budget test would hide an excess).
 * @param {string} title @param {string} profile @param {string[]} args
 */
function step(title, profile, args) {
  console.log(`\n--> ${title} (FOUNDRY_PROFILE=${profile}: forge ${args.join(' ')})`);
  const started = performance.now();
  const result = spawnSync(forge, args, {
    cwd: projectDir,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, FOUNDRY_PROFILE: profile },
    maxBuffer: 64 * 1024 * 1024,
  });
  const output = result.stdout.toString();
  process.stdout.write(output);
  console.log(`    ${((performance.now() - started) / 1000).toFixed(1)} s`);
  if (result.status !== 0) process.exit(result.status ?? 1);
  if (/\b[1-9]\d* skipped/.test(output)) {
    console.error(`${title}: some tests were skipped`);
    process.exit(1);
  }
}

/** forge writes the named gas figures without a final newline; keep the committed file in the repository's format. */
function normalizeFigures() {
  const figures = join(projectDir, 'snapshots', 'GasBudgetTest.json');
  if (!existsSync(figures)) return;
  const text = readFileSync(figures, 'utf8');
  if (!text.endsWith('\n')) writeFileSync(figures, `${text}\n`);
}

if (process.argv.includes('--update-snapshot')) {
  // `pnpm snapshot`: refresh .gas-snapshot and snapshots/ after an intended gas change.
  step('gas snapshot', 'gas', ['snapshot', '--match-contract', 'GasBudget']);
  normalizeFigures();
  process.exit(0);
}

step('forge tests, fuzz and invariants', 'ci', ['test', '--no-match-contract', 'GasBudget']);
console.log('\n--> NatSpec of the interfaces (scripts/natspec.mjs)');
const problems = natspecProblems(projectDir);
if (problems.length > 0) {
  console.error(`${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log('    every function, event and error documented; errors and events declared once');
step('gas budgets', 'gas', ['test', '--match-contract', 'GasBudget']);
normalizeFigures();
step('gas snapshot is current', 'gas', ['snapshot', '--check', '--match-contract', 'GasBudget']);
normalizeFigures();
