#!/usr/bin/env node
// Provisions Kubo (the reference IPFS node, `ipfs`) for the tests and examples that run real daemons, the way
// ./pnpmw provisions Node and pnpm: built once from the Go module proxy into the wrapper's cache directory, reused
// when present. Prints the binary's path.
//
//   node packages/core/scripts/ensure-kubo.mjs          build if missing, print the path
//   node packages/core/scripts/ensure-kubo.mjs --path   print where the binary goes, build nothing
//
// `KUBO_BINARY=/path/to/ipfs` skips the build. Needs Go (>= 1.25) on PATH otherwise.
//
// Why not `go install github.com/ipfs/kubo/cmd/ipfs@v0.43.1`: kubo v0.43.1's go.mod replaces go-libp2p with a
// personal fork (`github.com/lidel/go-libp2p`), so `go install pkg@version` refuses it, and the module proxy does not
// serve that fork either. The replace's own comment says to drop it "once a go-libp2p release requires quic-go >=
// v0.62.0 and webtransport-go >= v0.13.0": go-libp2p v0.50.0 is that release. So the script copies the kubo module
// out of the module cache, drops the replace, requires go-libp2p v0.50.0 and builds `./cmd/ipfs` from there.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

const KUBO_VERSION = 'v0.43.1';
const KUBO_MODULE = 'github.com/ipfs/kubo';
const LIBP2P_MODULE = 'github.com/libp2p/go-libp2p';
const LIBP2P_VERSION = 'v0.50.0';

const cache = process.env.MHR_CACHE || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'mhrchain');
const dir = join(cache, `kubo-${KUBO_VERSION}`);
const binary = join(dir, 'ipfs');

const log = (message) => process.stderr.write(`[ensure-kubo] ${message}\n`);
const fail = (message) => {
  log(message);
  process.exit(1);
};

function works(path) {
  const result = spawnSync(path, ['version', '--number'], {
    encoding: 'utf8',
    env: { ...process.env, IPFS_TELEMETRY: 'off' },
  });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

if (process.argv.includes('--path')) {
  console.log(process.env.KUBO_BINARY || binary);
  process.exit(0);
}

if (process.env.KUBO_BINARY) {
  if (!works(process.env.KUBO_BINARY))
    fail(`KUBO_BINARY=${process.env.KUBO_BINARY} does not run (\`ipfs version\` failed).`);
  console.log(process.env.KUBO_BINARY);
  process.exit(0);
}

if (existsSync(binary) && works(binary) === KUBO_VERSION.slice(1)) {
  console.log(binary);
  process.exit(0);
}

const go = spawnSync('go', ['version'], { encoding: 'utf8' });
if (go.error || go.status !== 0) {
  fail(
    `Go is needed to build Kubo ${KUBO_VERSION} (the tests run real IPFS daemons), and \`go\` is not on PATH.\n` +
      '  Install Go >= 1.25 (https://go.dev/doc/install, or your package manager), or point KUBO_BINARY at an `ipfs` binary.',
  );
}

const started = Date.now();
log(`building Kubo ${KUBO_VERSION} with ${go.stdout.trim()} into ${dir} (once; a few minutes cold)`);
const run = (args, cwd) => execFileSync('go', args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });

// Fetch the module source through the module proxy (verified against the checksum database by `go`).
const { Dir: moduleDir } = JSON.parse(run(['mod', 'download', '-json', `${KUBO_MODULE}@${KUBO_VERSION}`]));
mkdirSync(cache, { recursive: true });
const work = mkdtempSync(join(tmpdir(), 'mhr-kubo-src-'));
try {
  const src = join(work, 'kubo');
  cpSync(moduleDir, src, { recursive: true });
  execFileSync('chmod', ['-R', 'u+w', src]); // the module cache is read-only; the copy must not be
  run(['mod', 'edit', `-dropreplace=${LIBP2P_MODULE}`, `-require=${LIBP2P_MODULE}@${LIBP2P_VERSION}`], src);
  run(['mod', 'tidy'], src);
  mkdirSync(dir, { recursive: true });
  const partial = `${binary}.partial-${process.pid}`;
  run(['build', '-trimpath', '-o', partial, './cmd/ipfs'], src);
  renameSync(partial, binary); // atomic: a concurrent run sees either no binary or a whole one
} finally {
  rmSync(work, { recursive: true, force: true });
}

const version = works(binary);
if (version !== KUBO_VERSION.slice(1)) fail(`the built binary reports version ${version ?? '(none)'}`);
log(`built Kubo ${version} in ${Math.round((Date.now() - started) / 1000)} s`);
console.log(binary);
