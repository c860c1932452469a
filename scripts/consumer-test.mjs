#!/usr/bin/env node
/**
 * The integrator's path, as a third-party app meets it: every package is packed (`pnpm pack`, so `workspace:*` becomes
 * a version), the tarballs are installed with plain npm (no workspace links) into a fresh app, and the README's "Use it
 * in your app" block, extracted from the README as written, runs there with Node against a fresh anvil and a plain
 * ethers `JsonRpcProvider`. Then `@mhrchain/core` alone is installed into a second app to report what an integrator
 * pays: install size, package count, import time (median of 5 fresh processes). No React Native may arrive.
 *
 *   node scripts/consumer-test.mjs            (after the packages are built: pnpm build)
 *   MHR_CONSUMER_KEEP=1 node scripts/...      keeps the temporary apps and prints where they are
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'mhr-consumer-'));
const tarballs = join(work, 'tarballs');
const npmCache = process.env.MHR_CONSUMER_NPM_CACHE ?? join(work, 'npm-cache');
mkdirSync(tarballs);

function log(line) {
  console.log(`[consumer] ${line}`);
}

function fail(message) {
  console.error(`[consumer] FAIL: ${message}`);
  process.exitCode = 1;
}

function run(command, args, options = {}) {
  return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });
}

/** The README's first TypeScript block under "## Use it in your app", as written. */
export function readmeSnippet(readme) {
  const section = readme.slice(readme.indexOf('## Use it in your app'));
  const match = /^```ts\n([\s\S]*?)^```/m.exec(section);
  if (!match) throw new Error('README: no ```ts block under "## Use it in your app"');
  return match[1];
}

function bytesIn(dir) {
  let total = 0;
  for (const name of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, name.name);
    if (name.isDirectory()) total += bytesIn(path);
    else if (name.isFile()) total += statSync(path).size;
  }
  return total;
}

/** Every installed package (`node_modules/<name>` and `node_modules/<name>/node_modules/...`), by its package.json. */
function installedPackages(dir, found = []) {
  const modules = join(dir, 'node_modules');
  let names;
  try {
    names = readdirSync(modules);
  } catch {
    return found;
  }
  for (const name of names) {
    if (name.startsWith('.')) continue;
    const entries = name.startsWith('@') ? readdirSync(join(modules, name)).map((n) => `${name}/${n}`) : [name];
    for (const entry of entries) {
      const path = join(modules, entry);
      try {
        statSync(join(path, 'package.json'));
      } catch {
        continue;
      }
      found.push(entry);
      installedPackages(path, found);
    }
  }
  return found;
}

function npmInstall(app, dependencies, overrides = {}) {
  mkdirSync(app, { recursive: true });
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({ name: 'consumer-app', private: true, type: 'module', dependencies, overrides }, null, 2),
  );
  const started = performance.now();
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', '--cache', npmCache], { cwd: app });
  const seconds = (performance.now() - started) / 1000;
  const packages = installedPackages(app);
  const reactNative = packages.filter((name) => /react-native|hermes/.test(name));
  return { seconds, bytes: bytesIn(join(app, 'node_modules')), count: packages.length, reactNative };
}

function footprint(label, result) {
  log(
    `${label}: ${(result.bytes / 2 ** 20).toFixed(1)} MiB in node_modules, ${result.count} packages, ` +
      `npm install ${result.seconds.toFixed(1)} s`,
  );
  if (result.reactNative.length)
    fail(`${label}: React Native arrived in a Node install: ${result.reactNative.join(', ')}`);
}

function runSnippet(app, env) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['snippet.ts'], { cwd: app, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

let anvil;
try {
  // 1. Pack every package as it would be published.
  const packages = readdirSync(join(root, 'packages')).filter((name) => {
    try {
      return !JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8')).private;
    } catch {
      return false;
    }
  });
  const tarballOf = {};
  for (const name of packages) {
    const dir = join(root, 'packages', name);
    const { name: packageName } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const out = run('pnpm', ['pack', '--pack-destination', tarballs], { cwd: dir }).trim().split('\n').pop();
    tarballOf[packageName] = `file:${out.startsWith('/') ? out : join(tarballs, out)}`;
  }
  log(`packed ${Object.keys(tarballOf).join(', ')}`);
  const ethersVersion = JSON.parse(readFileSync(join(root, 'packages/contracts/package.json'), 'utf8')).dependencies
    .ethers;
  // Dependencies between our packages resolve to the tarballs too (`$name` refers to the root dependency).
  const overrides = Object.fromEntries(Object.keys(tarballOf).map((name) => [name, `$${name}`]));

  // 2. The README's app: every package, plain npm.
  const app = join(work, 'app');
  footprint('app with every package', npmInstall(app, { ...tarballOf, ethers: ethersVersion }, overrides));
  const snippet = readmeSnippet(readFileSync(join(root, 'README.md'), 'utf8'));
  writeFileSync(join(app, 'snippet.ts'), snippet);

  // 3. A fresh anvil (the test runner's own tool), and the snippet run as written.
  const { startAnvil } = await import(join(root, 'packages/contracts/dist/anvil.js'));
  anvil = await startAnvil();
  const result = await runSnippet(app, {
    RPC_URL: anvil.rpcUrl,
    ADMIN_KEY: anvil.signers[0].privateKey,
    PATIENT_KEY: anvil.signers[1].privateKey,
    DOCTOR_KEY: anvil.signers[2].privateKey,
  });
  if (result.code !== 0) {
    fail(`the README snippet exited with ${result.code ?? result.signal}\n${result.stdout}\n${result.stderr}`);
  } else if (!result.stdout.includes('application/fhir+json')) {
    fail(`the README snippet ran but the doctor read nothing:\n${result.stdout}`);
  } else {
    const read = result.stdout.split('application/fhir+json').length - 1;
    log(`the README snippet ran against a fresh anvil and a plain JsonRpcProvider: the doctor read ${read} record(s)`);
  }

  // 4. What `npm install @mhrchain/core` alone costs, and how long importing it takes.
  const coreApp = join(work, 'core-only');
  footprint(
    '@mhrchain/core alone',
    npmInstall(coreApp, { '@mhrchain/core': tarballOf['@mhrchain/core'] }, { '@mhrchain/core': '$@mhrchain/core' }),
  );
  const times = [];
  for (let i = 0; i < 5; i++) {
    const out = run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "const t=performance.now();await import('@mhrchain/core');console.log(performance.now()-t)",
      ],
      { cwd: coreApp },
    );
    times.push(Number(out.trim()));
  }
  times.sort((a, b) => a - b);
  log(
    `import('@mhrchain/core'): median ${times[2].toFixed(0)} ms of 5 fresh processes ` +
      `(${times.map((t) => t.toFixed(0)).join(', ')} ms; target ≤ 300 ms)`,
  );
} catch (error) {
  fail(error instanceof Error ? `${error.message}\n${error.stderr ?? ''}` : String(error));
} finally {
  await anvil?.stop();
  if (process.env.MHR_CONSUMER_KEEP) log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
if (process.exitCode) console.error('[consumer] the integrator path is broken (see above)');
