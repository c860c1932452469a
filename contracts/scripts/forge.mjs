#!/usr/bin/env node
// Runs the forge binary shipped by the `@foundry-rs/forge` npm package (its platform package holds the binary),
// from the contracts directory, passing every argument through. Exit code and signals pass through too.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const projectDir = join(here, '..');

/** Absolute path of the forge binary for this platform. */
export function forgeBinaryPath() {
  const fromProject = createRequire(join(projectDir, 'package.json'));
  const forgePackage = fromProject.resolve('@foundry-rs/forge/package.json');
  const fromForge = createRequire(forgePackage);
  const arch = { x64: 'amd64', arm64: 'arm64' }[process.arch] ?? process.arch;
  const platformPackage = `@foundry-rs/forge-${process.platform}-${arch}`;
  const binary = process.platform === 'win32' ? 'forge.exe' : 'forge';
  return join(dirname(fromForge.resolve(`${platformPackage}/package.json`)), 'bin', binary);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const child = spawn(forgeBinaryPath(), process.argv.slice(2), { cwd: projectDir, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => {
    if (signal) process.kill(process.pid, signal);
    process.exit(code ?? 1);
  });
}
